"""Posts of other kinds of account than the seed's: categories, headlines, bundles."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from digest.bundles import split_bundle
from digest.classify import Classifier
from digest.clean import clean_article
from digest.config import Config
from digest.period import Period
from digest.pipeline import build_briefing
from digest.records import Article, counts_as_post
from digest.render import render
from digest.summarize import SummaryOptions, get_summarizer
from digest.summarize.titles import split_series_tag

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "account_posts.json").read_text(encoding="utf-8"))["posts"]
DAY = dt.date(2026, 1, 16)
BAD_OPENING = re.compile(r"^【|^(?:他|她|其)(?:们)?")


def _article(aid, title, content, account="测试号"):
    return Article(aid=aid, title=title, url=f"https://mp.weixin.qq.com/s/{aid}", published=DAY,
                   account=account, content=content)


def test_fixtures_cover_five_kinds_of_account():
    assert len({p["kind"] for p in FIXTURES}) >= 5


@pytest.mark.parametrize("post", FIXTURES, ids=[p["aid"] for p in FIXTURES])
def test_account_post_category(post):
    result = Classifier.default().classify(clean_article(_article(post["aid"], post["title"], post["content"])))
    assert result.category in (post["category"], *post.get("also", ())), result.reason


@pytest.mark.parametrize("post", FIXTURES, ids=[p["aid"] for p in FIXTURES])
def test_account_post_headline_opens_well(post):
    summary = get_summarizer("extractive", SummaryOptions())(clean_article(_article(post["aid"], post["title"], post["content"])))
    assert summary.headline and not BAD_OPENING.search(summary.headline)


@pytest.mark.parametrize("title, expected", [
    ("台风“红霞”今天凌晨登陆", "weather"),
    ("台风“红霞”逼近 粤闽积极应对", "weather"),
    ("今年第12号台风将影响我国华南地区", "weather"),
    ("暴雪致京哈高速封闭 多趟列车停运", "weather"),  # weather that disrupts transport is weather
    ("中国人民银行新增支农支小再贷款额度", "economy"),
    ("上半年我国财政运行总体平稳", "economy"),
    ("以军空袭黎巴嫩南部多地", "governance"),  # no lexicon term: the learned words decide
])
def test_titles_from_the_issue(title, expected):
    result = Classifier.default().classify_text(title)
    assert result.category == expected, result.reason


def test_reason_names_learned_words_when_no_term_matched():
    result = Classifier.default().classify_text("以军空袭黎巴嫩南部多地")
    assert "learned:" in result.reason and "catch-all" not in result.reason


def test_series_tag_is_a_label_not_the_headline():
    assert split_series_tag("【新思想引领新征程·非凡“十四五”】我国机器人产业实现跨越式发展") == (
        "新思想引领新征程·非凡“十四五”", "我国机器人产业实现跨越式发展")
    assert split_series_tag("【重磅】") == ("", "【重磅】")  # nothing after it: the tag is the title
    post = clean_article(_article("s1", "【新春走基层】以旧换新购年货 乡村消费再升级",
                                  "这个春节，以旧换新政策在乡村落地见效，百姓年货添新彩，乡村消费再升级。"))
    assert get_summarizer("extractive", SummaryOptions())(post).headline == "以旧换新购年货 乡村消费再升级"
    briefing = build_briefing([post.article], [], Period.day(DAY), Config())
    assert briefing.items[0].series == "新春走基层"


def test_short_title_that_says_who_did_what_beats_a_pronoun_clause():
    post = clean_article(_article("p1", "李希在重庆调研", "中共中央政治局常委李希近日在重庆调研。他强调，纪检监察机关要深入学习贯彻党中央精神，推动全面从严治党向纵深发展。"))
    summary = get_summarizer("extractive", SummaryOptions())(post)
    assert summary.headline == "李希在重庆调研"


BUNDLE = _article("b1", "国内联播快讯", "\n".join([
    "国务院追授罗阳同志“航空工业英模”",
    "国务院追授罗阳同志“航空工业英模”荣誉称号仪式，昨天在沈阳举行。",
    "",
    "财政部安排68亿元中央冬春救灾资金",
    "财政部近日安排68亿元中央冬春救灾资金，用于帮助各地灾区统筹解决受灾群众口粮、衣被取暖等困难。",
    "",
    "全国最大的教育行业人才市场建成",
    "在长春举行的东北高师联合供需洽谈会向毕业生提供了近8万条需求信息，高校毕业生网上招聘周也同时启动。",
]))


def test_bundle_is_split_into_its_items():
    parts = split_bundle(BUNDLE)
    assert [p.title for p in parts] == ["国务院追授罗阳同志“航空工业英模”", "财政部安排68亿元中央冬春救灾资金",
                                        "全国最大的教育行业人才市场建成"]
    assert [p.aid for p in parts] == ["b1#1", "b1#2", "b1#3"]
    assert {p.url for p in parts} == {BUNDLE.url} and {p.bundle for p in parts} == {"b1"}
    assert [counts_as_post(p.aid) for p in parts] == [1, 0, 0]


def test_a_post_that_is_not_a_bundle_stays_whole():
    post = _article("n1", "市政府召开常务会议", "第一段。\n第二段。")
    assert split_bundle(post) == (post,)
    # a roundup title, but no subtitles: nothing to split
    assert split_bundle(_article("n2", "今日快讯", "今天上午，市长主持召开会议。会议研究了有关事项。")) == (
        _article("n2", "今日快讯", "今天上午，市长主持召开会议。会议研究了有关事项。"),)


def test_bundle_items_in_the_briefing_and_every_post_accounted_for_once():
    other = _article("o1", "寒潮蓝色预警！明天最低气温降至零下12℃", "市气象台发布寒潮蓝色预警，明天最低气温降至零下12℃。")
    briefing = build_briefing([BUNDLE, other], [], Period.day(DAY), Config())
    data = json.loads(render(briefing, "json", Config()))
    items = [i for s in data["sections"] for i in s["items"]]
    parts = [i for i in items if i.get("bundle") == "b1"]
    assert sorted(i["headline"] for i in parts) == sorted(p.title for p in split_bundle(BUNDLE))
    assert {i["url"] for i in parts} == {BUNDLE.url}
    assert {i["category"] if "category" in i else s["category"] for s in data["sections"] for i in s["items"]
            if i.get("bundle")} >= {"economy"}  # 财政部…资金 is economy, whatever the others are
    seen = [i.get("bundle") or i["aid"] for i in items if counts_as_post(i["aid"])]
    seen += [aid for i in items for aid in i["related"] if counts_as_post(aid)]
    seen += [s["aid"] for s in data["skipped"] if "aid" in s]
    assert sorted(seen) == ["b1", "o1"]  # each input post exactly once
    assert briefing.post_count == 2 and "共4项（2篇推送）" in briefing.overview and "0篇" not in briefing.overview
