import re

import pytest

from digest.clean import split_sentences

CASES = [
    # (id, text, expected)
    ("plain", "第一句。第二句。", ["第一句。", "第二句。"]),
    ("all terminators", "好。真的！是吗？Yes! OK?", ["好。", "真的！", "是吗？", "Yes!", "OK?"]),
    ("unterminated last", "第一句。第二句没有句号", ["第一句。", "第二句没有句号"]),
    ("only unterminated", "没有句号", ["没有句号"]),
    ("closing double quote", "他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
    ("closing corner bracket", "他说「好。」然后走了。", ["他说「好。」", "然后走了。"]),
    ("closing white corner", "他说『好。』然后走了。", ["他说『好。』", "然后走了。"]),
    ("closing fullwidth paren", "（注：见附件。）下一句。", ["（注：见附件。）", "下一句。"]),
    ("closing ascii paren", "(注：见附件。)下一句。", ["(注：见附件。)", "下一句。"]),
    ("closing single quote", "他说‘好。’然后走了。", ["他说‘好。’", "然后走了。"]),
    ("closing ascii quote", '他说"好。"然后走了。', ['他说"好。"', "然后走了。"]),
    ("terminator after closer", "他喊：“好！”。然后走了。", ["他喊：“好！”。", "然后走了。"]),
    ("double exclamation", "太好了！！我们赢了。", ["太好了！！", "我们赢了。"]),
    ("mixed ascii run", "真的?!不会吧。", ["真的?!", "不会吧。"]),
    ("fullwidth run", "真的？！不会吧。", ["真的？！", "不会吧。"]),
    ("ellipsis run", "骤停……连日来，试飞。", ["骤停……", "连日来，试飞。"]),
    ("ellipsis then closer", "“启动协同作业……”1月16日上午。", ["“启动协同作业……”", "1月16日上午。"]),
    ("no split at semicolon", "一是甲；二是乙。三是丙。", ["一是甲；二是乙。", "三是丙。"]),
    ("no split at comma", "一是甲，二是乙。", ["一是甲，二是乙。"]),
    ("decimal percent", "增长3.5%。下降1.1万人。", ["增长3.5%。", "下降1.1万人。"]),
    ("decimal unit", "线路全程23.738千米，设站十座。", ["线路全程23.738千米，设站十座。"]),
    ("english abbreviation", "见 e.g. Mr. Smith 的说明。下一句。", ["见 e.g. Mr. Smith 的说明。", "下一句。"]),
    ("url with dots", "详见www.gov.cn/a.html页面。下一句。", ["详见www.gov.cn/a.html页面。", "下一句。"]),
    ("url with query", "访问 http://x.cn/p?id=3&a=1 查看。完。", ["访问 http://x.cn/p?id=3&a=1 查看。", "完。"]),
    ("ellipsis inside book marks", "审议《关于……的意见》。下一句。", ["审议《关于……的意见》。", "下一句。"]),
    ("terminator inside book marks", "学习《论语！》心得。下一句。", ["学习《论语！》心得。", "下一句。"]),
    ("nested book marks", "《关于《条例》……的说明》已发布。完。", ["《关于《条例》……的说明》已发布。", "完。"]),
    ("unclosed book mark", "《未闭合。第二句。", ["《未闭合。", "第二句。"]),
    ("newline hard boundary", "第一行没有句号\n第二行。", ["第一行没有句号", "第二行。"]),
    ("carriage returns", "甲\r\n乙\r丙", ["甲", "乙", "丙"]),
    ("whitespace pieces dropped", "  第一句。   \n\n   \t第二句。  ", ["第一句。", "第二句。"]),
    ("empty", "", []),
    ("whitespace only", " \n\t\u3000 ", []),
    ("terminators only", "。。。", ["。。。"]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


LOSSLESS = [
    "他说：“好。”然后走了。第三句没有句号",
    "“启动协同作业……”1月16日上午，码头迎来新突破！！是吗?!当然。",
    "增长3.5%，约1.1万人；全程23.738千米。详见www.gov.cn。",
    "审议《关于……的意见》。（完。）",
    "  前后有空格。 中间也有。  ",
]


@pytest.mark.parametrize("text", LOSSLESS)
def test_no_character_lost(text: str) -> None:
    result = split_sentences(text)
    assert re.sub(r"\s", "", "".join(result)) == re.sub(r"\s", "", text)
    assert all(sentence == sentence.strip() and sentence for sentence in result)
