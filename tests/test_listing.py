"""A list post's summary names its items in the post's own words, within summary.max_chars."""

import datetime as dt
import re

import pytest

from digest.clean import clean_article
from digest.ingest import read_exports
from digest.records import Article
from digest.summarize import SummaryOptions, get_summarizer
from digest.summarize.keyfacts import repeats_headline
from digest.summarize.listing import list_items, list_summary

from conftest import SEED

MAX_CHARS = SummaryOptions().max_chars


@pytest.fixture(scope="module")
def seed():
    summarizer = get_summarizer("extractive")
    posts = {}
    for article in read_exports([SEED]).articles:
        clean = clean_article(article)
        posts[article.aid] = (clean, summarizer(clean))
    return posts


def own_clauses(summary: str, source: str) -> list[str]:
    """The summary's clauses (end marks aside) that the post does not hold word for word."""
    return [c for c in re.split(r"[，,；;。！？!?：:]", summary) if c and c not in source]


@pytest.mark.parametrize("aid, items", [
    ("2247552346_1", ["一是千方百计拓宽就业渠道", "二是完善招生—培养—就业联动机制", "三是构建快速响应市场需求的人才培养机制"]),
    ("2247552337_1", ["推动经济社会发展与就业促进协调联动", "着力解决结构性就业矛盾"]),  # 6个方面22条
    ("2247552249_1", ["一奖，即设立“市属高校青年教师奖创金”", "一赛，即举办", "一盟，即成立天津市高校创新创业教育联盟"]),
])
def test_seed_list_posts_name_their_first_items_in_their_own_words(seed, aid, items):
    clean, summary = seed[aid]
    for item in items:
        assert item in summary.text, (aid, summary.text)
    assert len(summary.text) <= MAX_CHARS
    assert own_clauses(summary.text, "".join(clean.sentences)) == []
    assert not repeats_headline(summary.headline, summary.text)
    assert "吹风会" not in summary.text  # the background sentence two posts share says none of the items


def test_the_five_measures_summary_names_all_five_after_what_announces_them(seed):
    _, summary = seed["2247552346_1"]
    assert summary.text.startswith("市教委负责人介绍，")
    assert [n for n in "一二三四五" if f"{n}是" in summary.text] == list("一二三四五")
    assert summary.text.endswith("五是加强困难群体就业帮扶。")


def test_the_limit_keeps_the_first_items_whole_and_drops_the_announcement_first(seed):
    clean, _ = seed["2247552346_1"]
    text = list_summary(clean.sentences, "天津市教委发布五项举措", 40)
    assert text == "一是千方百计拓宽就业渠道；二是完善招生—培养—就业联动机制。"
    assert list_summary(clean.sentences, "天津市教委发布五项举措", 20) == ""  # one name is not a list


def test_marker_styles_count_up_from_one():
    for marker in ("（{}）", "{}、"):
        sentences = ["市里发布三项措施。"] + [marker.format(n) + f"措施{n}要落实到位，各区抓紧推进。" for n in "一二三"]
        assert [i.name for i in list_items(sentences)] == ["措施一要落实到位", "措施二要落实到位", "措施三要落实到位"]
    digits = ["主要包括以下十条措施：", "1.扩大消费。", "2.稳定就业。", "3.优化服务。"]
    assert list_summary(digits, "某区出台稳增长政策", 150) == "主要包括以下十条措施：扩大消费；稳定就业；优化服务。"
    # An announcement that says the headline again is left out.
    assert list_summary(digits, "某区发布十条措施", 150) == "扩大消费；稳定就业；优化服务。"
    # Numbers that do not start at one, or a date, are not a list.
    assert list_items(["二是稳定就业。", "三是优化服务。"]) == []
    assert list_items(["1月5日，会议召开。", "2月6日，活动举行。"]) == []


def test_items_that_are_long_sentences_give_no_invented_name():
    long_items = [
        "某市发布三项举措。",
        "一是围绕先进制造康养托育现代服务新职业等重点领域推行岗位需求技能培训技能评价就业服务四位一体的项目化培训并持续扩大覆盖面。",
        "二是推动各高校深化访企拓岗每所高校走访用人单位不少于一百家同时开展小而精专而优的专场招聘活动不断扩大岗位供给。",
        "三是加强困难群体就业帮扶。",
    ]
    # The first item has no short name of its own: no list summary, never a name cut mid-clause.
    assert list_summary(long_items, "某市发布三项举措", 150) == ""
    summarizer = get_summarizer("extractive")
    article = _article(long_items, "某市发布三项举措")
    summary = summarizer(article)
    assert len(summary.text) <= MAX_CHARS
    assert own_clauses(summary.text, "".join(long_items)) == []
    # Items whose first clause is short keep it, however long the sentence runs on.
    clause_first = ["某市发布两项举措。", "一是扩大就业渠道，" + "推动" * 60 + "。", "二是加强就业帮扶，" + "保障" * 60 + "。"]
    assert list_summary(clause_first, "某市发布两项举措", 150) == "一是扩大就业渠道；二是加强就业帮扶。"


def test_a_numbered_list_inside_a_speech_is_not_what_the_post_announces():
    speech = [
        "1月12日，市政府召开常务会议，研究部署冬季安全生产工作，审议通过《天津市安全生产条例实施办法》。",
        "会议听取了有关部门工作汇报。",
        "会议指出，全市安全生产形势总体平稳。",
        "张三强调，要做好以下工作：",
        "一是压实安全责任。",
        "二是加强隐患排查。",
        "三是强化应急值守。",
    ]
    headline = "市政府召开常务会议"
    assert list_items(speech)  # it is a list ...
    assert list_summary(speech, headline, 150) == ""  # ... but not the post's
    summary = get_summarizer("extractive")(_article(speech, headline))
    assert "一是" not in summary.text and "《天津市安全生产条例实施办法》" in summary.text
    # Inline items after a speaker are not items that open their own piece.
    inline = ["会议强调，一是压实责任；二是排查隐患；三是应急值守。"]
    assert list_items(inline) == []
    # When the headline counts the items, the list is what the post is about, though a speaker gives it.
    assert list_summary(speech, "张三部署三项重点工作", 150) == (
        "张三强调，要做好以下工作：一是压实安全责任；二是加强隐患排查；三是强化应急值守。")


def _article(sentences, title):
    """A made-up post of these sentences, one paragraph each, through the real cleaning stage."""
    post = Article(aid="list_test", title=title, url="https://mp.weixin.qq.com/s/list_test",
                   published=dt.date(2026, 1, 16), account="测试号", content="\n".join(sentences))
    return clean_article(post)
