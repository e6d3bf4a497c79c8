import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

from digest.clean import clean_article, clean_title, split_sentences
from digest.records import Article, CleanArticle, Paragraph

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tianjin-zwb-2026-01.json"

# Longer than a poster phrase, so a line of its own is a body paragraph.
LONG = "1月17日下午，今年初雪飘落津门，一场保障城市运行的作战全面启动。"
LONG2 = "市气象台昨天发布道路结冰黄色预警信号，市民需做好防寒保暖措施。"


def make(content: str, title: str = "测试标题") -> Article:
    return Article(
        aid="test_1",
        title=title,
        url="http://example.invalid/",
        published=dt.date(2026, 1, 19),
        account="测试号",
        content=content,
    )


def texts(cleaned: CleanArticle) -> list[tuple[str, bool]]:
    return [(p.text, p.is_heading) for p in cleaned.paragraphs]


# ------------------------------------------------------------------- titles

TITLES = [
    ("combining marks", "本周末迎降雪，下周冷҈冷҈冷҈！最低温达-14℃！", "本周末迎降雪，下周冷冷冷！最低温达-14℃！"),
    ("keeps clickbait wording", "46个优质项目落地！总投资额近百亿元！", "46个优质项目落地！总投资额近百亿元！"),
    ("space before punctuation", "这场大会在津召开 ！并揭晓——", "这场大会在津召开！并揭晓——"),
    ("phrase-separating space kept", "市委常委会召开扩大会议  陈敏尔主持并讲话", "市委常委会召开扩大会议 陈敏尔主持并讲话"),
    ("entities and decoration", " ★重磅★&nbsp;天津新政 ", "重磅 天津新政"),
    ("zero-width", "\u200b天津\ufeff发布\u200d！", "天津发布！"),
    ("emoji and variation selector", "🔥天津发布\u2764\ufe0f", "天津发布"),
    ("bar bullet", "▍天津发布", "天津发布"),
    ("vertical bars", "｜天津发布｜", "天津发布"),
    ("whole-title wrapper", "【天津发布新政】", "天津发布新政"),
    ("tag prefix is wording", "【重磅】天津发布", "【重磅】天津发布"),
    ("line break", "天津\r\n发布", "天津 发布"),
    ("ampersand", "A&amp;B 公司", "A&B 公司"),
    ("fullwidth alnum", "ＡＢＣ１２３", "ABC123"),
    ("empty", "", ""),
    ("whitespace only", " \u3000&nbsp; ", ""),
]


@pytest.mark.parametrize("raw, expected", [t[1:] for t in TITLES], ids=[t[0] for t in TITLES])
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


# --------------------------------------------------------------- characters

CHARACTERS = [
    ("nbsp entity between CJK", "天津&nbsp;发布新政策。", "天津发布新政策。"),
    ("nbsp char between CJK", "天津\u00a0发布新政策。", "天津发布新政策。"),
    ("ideographic spaces", "天津\u3000\u3000发布新政策。", "天津发布新政策。"),
    ("space kept between Latin", "麒麟V11&nbsp;AI操作系统发布。", "麒麟V11 AI操作系统发布。"),
    ("mixed spacing", "版本  2.0   发布 in   2025 年。", "版本2.0发布in 2025年。"),
    ("double-escaped entity", "&amp;nbsp;天津发布。", "天津发布。"),
    ("numeric entities", "&#24180;&#x5E74;度报告。", "年年度报告。"),
    ("ampersand entity", "A &amp; B 合作。", "A & B合作。"),
    ("combining mark", "冷҈冷҈天气来了。", "冷冷天气来了。"),
    ("zero-width and direction", "天\u200b津\u200d发\u2060布\ufeff新\u202e政\u200e策。", "天津发布新政策。"),
    ("box drawing", "┏━━┓天津发布新政策。┗━━┛", "天津发布新政策。"),
    ("bullets", "▍★☆◆●▲✦天津发布新政策。", "天津发布新政策。"),
    ("emoji", "天津发布新政策👍🏻。", "天津发布新政策。"),
    ("ring as zero kept", "二○二五年工作总结。", "二○二五年工作总结。"),
    ("leading and trailing space", "  \t天津发布新政策。 \u3000", "天津发布新政策。"),
]


@pytest.mark.parametrize("raw, expected", [c[1:] for c in CHARACTERS], ids=[c[0] for c in CHARACTERS])
def test_character_normalisation(raw: str, expected: str) -> None:
    assert texts(clean_article(make(raw))) == [(expected, False)]


# --------------------------------------------------------------- paragraphs

PARAGRAPHS = [
    (
        "poster phrases joined",
        "墙角数枝梅\r凌寒独自开\r明天\r大寒",
        [("墙角数枝梅，凌寒独自开，明天，大寒。", False)],
    ),
    (
        "poster blocks stay apart",
        "墙角数枝梅\r凌寒独自开\r\r大寒这天\r要吃糯米",
        [("墙角数枝梅，凌寒独自开。", False), ("大寒这天，要吃糯米。", False)],
    ),
    ("run closed by a question", "冬天过后\r春天还会远吗？", [("冬天过后，春天还会远吗？", False)]),
    (
        "weather table",
        "今日 星期五\r白天：多云转晴\r夜间：晴转多云\r微风，3到-5℃",
        [("今日星期五，白天：多云转晴，夜间：晴转多云，微风，3到-5℃。", False)],
    ),
    ("no comma before a bracket", "昨天\r（以下简称国铁）了解到", [("昨天（以下简称国铁）了解到。", False)]),
    (
        "standalone headings",
        f"津城应对初雪\r{LONG}\r气象专家提醒\r{LONG2}",
        [("津城应对初雪", True), (LONG, False), ("气象专家提醒", True), (LONG2, False)],
    ),
    ("heading alone in its block", f"周末迎降雪\r\r{LONG}", [("周末迎降雪", True), (LONG, False)]),
    ("heading keeps its space", f"凝聚思想共识 传递发展信心\r{LONG}", [("凝聚思想共识 传递发展信心", True), (LONG, False)]),
    (
        "wrapped subtitle",
        f"去年天津口岸锰矿铬矿\r进口量全国居首\r{LONG}",
        [("去年天津口岸锰矿铬矿 进口量全国居首", True), (LONG, False)],
    ),
    (
        "subtitle wrapped inside book marks",
        f"{LONG}\r《天津市智能机器人产业发展\r工作方案》正筹划出台\r{LONG2}",
        [(LONG, False), ("《天津市智能机器人产业发展工作方案》正筹划出台", True), (LONG2, False)],
    ),
    ("short terminated line kept", f"{LONG}\r煤码头作业现场。\r{LONG2}", [(LONG, False), ("煤码头作业现场。", False), (LONG2, False)]),
    ("colon line is not a heading", f"共6个方面22条措施，主要包括：\r{LONG}", [("共6个方面22条措施，主要包括：", False), (LONG, False)]),
    ("long unterminated line is body", "听取提振消费专项行动进展情况汇报并研究加快培育服务消费新增长点等促消费举措",
     [("听取提振消费专项行动进展情况汇报并研究加快培育服务消费新增长点等促消费举措", False)]),
    ("flattened paragraph breaks", "第一段结束。 第二段“开始。”  第三段。", [("第一段结束。", False), ("第二段“开始。”", False), ("第三段。", False)]),
    ("mixed line breaks", "第一段。\r\n第二段。\n第三段。\r第四段。", [(f"第{n}段。", False) for n in "一二三四"]),
    ("blank lines dropped", "\r\r  \r第一段。\r\r\r第二段。\r\r", [("第一段。", False), ("第二段。", False)]),
    ("punctuation-only line dropped", f"\"\r{LONG}\r★\r——", [(LONG, False)]),
    (
        "official notice furniture",
        f"{LONG}\r附件：先进个人名单\r天津市人民政府\r2025年12月30日",
        [(LONG, False), ("附件：先进个人名单", True), ("天津市人民政府", True), ("2025年12月30日", True)],
    ),
]


@pytest.mark.parametrize("content, expected", [p[1:] for p in PARAGRAPHS], ids=[p[0] for p in PARAGRAPHS])
def test_paragraphs(content: str, expected: list[tuple[str, bool]]) -> None:
    assert texts(clean_article(make(content))) == expected


def test_title_repeated_as_first_line_is_dropped() -> None:
    cleaned = clean_article(make("李强主持召开国务院常务会议\r会议指出，要深入实施专项行动。", title="李强主持召开国务院常务会议"))
    assert texts(cleaned) == [("会议指出，要深入实施专项行动。", False)]


def test_headings_are_not_sentences() -> None:
    cleaned = clean_article(make(f"津城应对初雪\r{LONG}"))
    assert cleaned.sentences == tuple(split_sentences(LONG))
    assert cleaned.lead == LONG


# ----------------------------------------------------------------- trailers

TRAILERS = [
    ("source line", "正文。\r来源：天津日报", "正文。", "天津日报", ()),
    ("ascii colon", "正文。\r来源:天津日报", "正文。", "天津日报", ()),
    ("信息来源", "正文。\r信息来源：市教委", "正文。", "市教委", ()),
    ("文章来源", "正文。\r文章来源：新华社\r\r", "正文。", "新华社", ()),
    ("bracketed", "正文。\r（来源：天津日报）", "正文。", "天津日报", ()),
    ("glued after a full stop", "扩大培训规模。来源：天津日报", "扩大培训规模。", "天津日报", ()),
    ("glued after a unit", "体感温度-2到-10℃来源：天津气象", "体感温度-2到-10℃", "天津气象", ()),
    ("source then poster credit", "正文。\r来源：人民日报\r海报制作：天津政务网", "正文。", "人民日报", ("海报制作：天津政务网",)),
    ("first source wins", "正文。\r来源：新华社\r来源：天津日报", "正文。", "新华社", ("来源：天津日报",)),
    ("source and editor on one line", "正文。\r来源：天津日报 编辑：张三", "正文。", "天津日报", ("编辑：张三",)),
    (
        "editorial credits",
        "正文。\r编辑：张三\r责任编辑：李四\r责编：赵六\r审核：王五\r校对：钱七",
        "正文。",
        None,
        ("编辑：张三", "责任编辑：李四", "责编：赵六", "审核：王五", "校对：钱七"),
    ),
    ("several roles on one line", "正文。\r编辑：张三 审核：李四", "正文。", None, ("编辑：张三 审核：李四",)),
    ("media credits", "正文。\r摄影：张三\r图片：新华社\r视频：李四", "正文。", None, ("摄影：张三", "图片：新华社", "视频：李四")),
    ("来源丨 is a credit", "正文。\r来源丨天津日报", "正文。", None, ("来源丨天津日报",)),
    ("reprint notice", "正文。\r如需转载请注明来源↓", "正文。", None, ("如需转载请注明来源",)),
    ("reprint notice glued", "2025年12月25日如需转载请注明来源↓", "2025年12月25日", None, ("如需转载请注明来源",)),
    ("转载请注明出处", "正文。\r转载请注明出处", "正文。", None, ("转载请注明出处",)),
    ("来源 inside a sentence", "家庭主要收入来源：工资性收入。", "家庭主要收入来源：工资性收入。", None, ()),
    ("来源 glued to an ideograph", "家庭的主要收入来源：工资", "家庭的主要收入来源：工资", None, ()),
    ("来源 line in the middle", "收入来源：工资性收入。\r第二段。", "第二段。", None, ()),
]


@pytest.mark.parametrize(
    "content, last, outlet, credits", [t[1:] for t in TRAILERS], ids=[t[0] for t in TRAILERS]
)
def test_trailers(content: str, last: str, outlet: str | None, credits: tuple[str, ...]) -> None:
    cleaned = clean_article(make(content))
    assert cleaned.paragraphs[-1].text == last
    assert cleaned.source_outlet == outlet
    assert cleaned.credits == credits


def test_source_line_in_the_middle_is_kept() -> None:
    cleaned = clean_article(make("收入来源：工资性收入。\r第二段。"))
    assert texts(cleaned) == [("收入来源：工资性收入。", False), ("第二段。", False)]


# -------------------------------------------------------------- adversarial

EMPTY = [
    ("empty", ""),
    ("whitespace only", " \r\n\t\u3000&nbsp;\r\r "),
    ("decoration only", "┏━┓\r★\r┗━┛"),
    ("line breaks only", "\r\r\n\n"),
]


@pytest.mark.parametrize("content", [e[1] for e in EMPTY], ids=[e[0] for e in EMPTY])
def test_empty_content(content: str) -> None:
    cleaned = clean_article(make(content))
    assert (cleaned.paragraphs, cleaned.sentences, cleaned.source_outlet, cleaned.credits) == ((), (), None, ())
    assert cleaned.body == "" and cleaned.lead == ""


def test_only_a_trailer() -> None:
    cleaned = clean_article(make("\r来源：天津日报\r海报制作：天津政务网\r"))
    assert cleaned.paragraphs == () and cleaned.sentences == ()
    assert cleaned.source_outlet == "天津日报"
    assert cleaned.credits == ("海报制作：天津政务网",)


def test_clean_article_is_pure() -> None:
    article = make("墙角数枝梅\r凌寒独自开\r来源：人民日报")
    first, second = clean_article(article), clean_article(article)
    assert first == second
    assert first.article is article and first.aid == "test_1"
    assert first.paragraphs == (Paragraph("墙角数枝梅，凌寒独自开。"),)


# ------------------------------------------------------------- real sample


def _load_sample() -> list[Article]:
    posts = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return [
        Article(
            aid=post["文章标识符aid"],
            title=post["标题title"],
            url=post["链接url"],
            published=dt.date.fromisoformat(post["时间time"]),
            account=post["公众号名称"],
            content=post["finalContent"],
            source_file=SAMPLE.name,
            position=position,
        )
        for position, post in enumerate(posts)
    ]


ARTICLES = _load_sample()
CLEANED = {article.aid: clean_article(article) for article in ARTICLES}

_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe0f\u00a0\u3000]")
_BOX = re.compile("[\u2500-\u259f]")
_TRAILER_WORDS = ("来源：", "来源:", "海报制作", "转载请注明")


def test_sample_has_51_posts() -> None:
    assert len(ARTICLES) == 51


@pytest.mark.parametrize("aid", list(CLEANED))
def test_sample_post_is_clean(aid: str) -> None:
    cleaned = CLEANED[aid]
    for text in (cleaned.title, *(p.text for p in cleaned.paragraphs), *cleaned.sentences):
        assert text and text == text.strip()
        assert not _ENTITY.search(text), text
        assert not _INVISIBLE.search(text), text
        assert not _BOX.search(text), text
        assert not any(unicodedata.category(ch) in ("Mn", "Me") for ch in text), text
        assert "\r" not in text and "\n" not in text
    for text in (*(p.text for p in cleaned.paragraphs), *cleaned.sentences):
        assert not any(word in text for word in _TRAILER_WORDS), text
    # Every post names its outlet or carries the reprint notice instead.
    assert cleaned.source_outlet or cleaned.credits
    expected = [s for p in cleaned.paragraphs if not p.is_heading for s in split_sentences(p.text)]
    assert list(cleaned.sentences) == expected
    assert cleaned.sentences


def by_title(title: str) -> CleanArticle:
    return next(c for c in CLEANED.values() if c.article.title == title)


def test_sample_outlet_from_trailer_line() -> None:
    assert by_title("天津轨道交通上新！1月18日开通运营").source_outlet == "津云综合滨海发布"


def test_sample_glued_outlets() -> None:
    assert CLEANED["2247552346_1"].source_outlet == "天津日报"
    assert CLEANED["2247552346_1"].paragraphs[-1].text.endswith("扩大“宏志助航计划”培训规模。")
    weather = CLEANED["2247552422_1"]
    assert weather.source_outlet == "天津气象"
    assert weather.paragraphs[-1].text == "1月22日星期四，晴间多云，微风，-1到-8℃，体感温度-2到-10℃。"


def test_sample_poster_is_joined() -> None:
    poster = CLEANED["2247552507_1"]
    assert 3 <= len(poster.paragraphs) <= 10
    assert poster.paragraphs[0] == Paragraph("墙角数枝梅，凌寒独自开，明天，我们迎来二十四节气中，最后一个节气，大寒。")
    assert "海报制作：天津政务网" in poster.credits
    assert poster.source_outlet == "人民日报"
    assert all(not p.is_heading for p in poster.paragraphs)


def test_sample_title_combining_marks() -> None:
    assert by_title("本周末迎降雪，下周冷҈冷҈冷҈！最低温达-14℃！").title == "本周末迎降雪，下周冷冷冷！最低温达-14℃！"


def test_sample_shared_first_sentence() -> None:
    first = CLEANED["2247552337_1"].sentences[0]
    assert first == CLEANED["2247552346_1"].sentences[0]
    assert first.startswith("市政府新闻办昨日召开专题政策吹风会") and first.endswith("（以下简称《实施意见》）。")


def test_sample_box_frame_removed() -> None:
    assert CLEANED["2247552506_1"].lead.startswith("静海区迎来高质量发展“开门红”。")


def test_sample_headings() -> None:
    snow = CLEANED["2247552503_1"]
    assert snow.paragraphs[0] == Paragraph("津城应对初雪", is_heading=True)
    assert snow.lead.startswith("1月17日下午")
    assert Paragraph("气象专家提醒", is_heading=True) in CLEANED["2247552478_2"].paragraphs


def test_sample_flattened_paragraphs_split() -> None:
    # The export joined this post's paragraphs with spaces.
    meeting = CLEANED["2247552448_1"]
    assert len(meeting.paragraphs) == 4
    assert meeting.paragraphs[1].text == "市领导王旭、李文海、谢元、张玲、王瑛玮、王宝雨和市政府秘书长胡学明出席。"


def test_sample_official_notice() -> None:
    notice = CLEANED["2247552202_1"]
    assert notice.source_outlet is None
    assert notice.credits == ("如需转载请注明来源",)
    assert notice.paragraphs[-1] == Paragraph("2025年12月30日", is_heading=True)
    assert notice.paragraphs[0].is_heading and notice.paragraphs[0].text.endswith("的决定")


def test_every_character_is_normalised_as_one_at_a_time():
    """The translate table gives, for every code point, what the per-character loop gave."""
    from digest.clean.text import _FULLWIDTH_ALNUM, _keep_char, normalise_chars

    def one_at_a_time(ch):
        if ch != "\n" and (ch == "\t" or unicodedata.category(ch) == "Zs" or ch in "\f\v"):
            return " "
        return ch if _keep_char(ch) else ""

    for start in range(0, 0x30000, 0x1000):
        chars = "".join(chr(c) for c in range(start, start + 0x1000) if chr(c) not in "\r\x85\u2028\u2029")
        chars = unicodedata.normalize("NFC", chars.replace("&", ""))
        expected = "".join(one_at_a_time(ch) for ch in chars.translate(_FULLWIDTH_ALNUM))
        assert normalise_chars(chars) == expected
