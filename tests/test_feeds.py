"""Feeds read from files: every shape gives the briefing its JSON export gives; days; copies; hostile XML."""

import datetime as dt
import json

import pytest

from digest.ingest import read_exports
from digest.sources.feeds import FeedError, canonical_link, parse_feed, parse_time, sniff
from digest.sources.html import html_paragraphs

from feeds_support import ACCOUNTS, FEEDS, week_briefing

WEWE_PER_ACCOUNT = {fmt: [FEEDS / "wewe-rss" / f"{mp}.{fmt}" for mp in ACCOUNTS] for fmt in ("rss", "atom", "json")}
WEMP_PER_ACCOUNT = {fmt: [FEEDS / "we-mp-rss" / f"{mp}.{fmt}" for mp in ACCOUNTS] for fmt in ("rss", "atom", "json")}


@pytest.fixture(scope="module")
def short_export_briefing():
    return week_briefing([FEEDS / "export-short-links.json"])


@pytest.fixture(scope="module")
def long_export_briefing():
    return week_briefing([FEEDS / "export-long-links.json"])


@pytest.mark.parametrize("inputs", [
    *WEWE_PER_ACCOUNT.values(), [FEEDS / "wewe-rss" / "all.atom"], [FEEDS / "wewe-rss" / "all.json"],
], ids=["wewe-rss", "wewe-atom", "wewe-json", "wewe-all-atom", "wewe-all-json"])
def test_wewe_rss_shapes_give_the_briefing_of_the_export(inputs, short_export_briefing):
    briefing = json.loads(week_briefing(inputs))
    assert briefing == json.loads(short_export_briefing)
    assert sum(len(s["items"]) + sum(len(i["related"]) for i in s["items"]) for s in briefing["sections"]) == 10


@pytest.mark.parametrize("inputs", [
    *WEMP_PER_ACCOUNT.values(), [FEEDS / "we-mp-rss" / "all.atom"], [FEEDS / "we-mp-rss" / "all.json"],
], ids=["we-mp-rss-rss", "we-mp-rss-atom", "we-mp-rss-json", "we-mp-rss-all-atom", "we-mp-rss-all-json"])
def test_we_mp_rss_shapes_give_the_briefing_of_the_export(inputs, long_export_briefing):
    assert week_briefing(inputs) == long_export_briefing
    assert week_briefing(inputs, "md") == week_briefing([FEEDS / "export-long-links.json"], "md")


def test_every_post_is_accounted_for_once():
    result = read_exports([FEEDS / "wewe-rss" / "all.json"])
    assert len(result.articles) == 10 and result.skipped == ()
    assert len({(a.account, a.aid) for a in result.articles}) == 10


def test_utc_atom_puts_early_morning_posts_on_their_local_day():
    feed = parse_feed((FEEDS / "wewe-rss" / "MP_WXS_3093667473.atom").read_bytes(), "weather.atom")
    cold_wave = next(p.article for p in feed.posts if p.article.title.startswith("寒潮"))
    assert "<updated>2026-03-02T22:45:00.000Z</updated>" in (FEEDS / "wewe-rss" / "MP_WXS_3093667473.atom").read_text()
    assert cold_wave.published == dt.date(2026, 3, 3)  # 06:45 in Asia/Shanghai
    days = {p.article.aid: p.article.published for p in parse_feed(
        (FEEDS / "wewe-rss" / "all.atom").read_bytes(), "all.atom").posts}
    export = {r["文章标识符aid"]: r["时间time"] for r in json.loads((FEEDS / "export-short-links.json").read_text())}
    assert {aid: day.isoformat() for aid, day in days.items()} == export


@pytest.mark.parametrize("text, expected", [
    ("Sun, 01 Mar 2026 23:30:00 GMT", dt.date(2026, 3, 2)),
    ("2026-03-01T23:30:00.000Z", dt.date(2026, 3, 2)),
    ("Mon, 02 Mar 2026 07:30:00 +0800", dt.date(2026, 3, 2)),
    ("2026-03-02T07:30:00+08:00", dt.date(2026, 3, 2)),
    ("2026-03-02 07:30:00", dt.date(2026, 3, 2)),  # no zone: taken as Asia/Shanghai
    ("Mon, 02 Mar 2026 17:30:00 -0500", dt.date(2026, 3, 3)),
])
def test_times_become_days_in_shanghai(text, expected):
    assert parse_time(text).date() == expected


def test_three_feeds_at_once_count_each_post_once(short_export_briefing):
    inputs = [FEEDS / "wewe-rss" / f"{ACCOUNTS[0]}.atom", FEEDS / "wewe-rss" / "all.rss",
              FEEDS / "wewe-rss" / "all-titles.atom", FEEDS / "wewe-rss" / "all.json"]
    result = read_exports(inputs)
    assert len(result.articles) == 10 and result.skipped == ()
    assert len(result.merged_duplicates) == 5 + 10 + 10 + 10 - 10
    # all.rss names no account; the per-account and JSON feeds do, and the merged post keeps it.
    assert all(a.account for a in result.articles)
    assert week_briefing(inputs) == short_export_briefing


def test_the_same_post_under_another_link_is_matched_by_its_words():
    result = read_exports([FEEDS / "wewe-rss" / "all.json", FEEDS / "we-mp-rss" / "all.json"])
    assert len(result.articles) == 10  # short links in one, long links in the other
    assert len(result.merged_duplicates) == 10


def test_aggregate_rss_without_accounts_is_still_briefed():
    result = read_exports([FEEDS / "wewe-rss" / "all.rss"])
    assert len(result.articles) == 10 and {a.account for a in result.articles} == {""}


def test_government_site_rss_keeps_description_only_posts():
    feed = parse_feed((FEEDS / "gov-site.rss").read_bytes(), "gov-site.rss")
    assert [p.description_only for p in feed.posts] == [True, True, True]
    assert feed.posts[0].article.content.startswith("3月4日，南湖区召开优化营商环境推进会")
    assert feed.posts[0].article.account == "临江市南湖区人民政府 - 政务动态"
    result = read_exports([FEEDS / "gov-site.rss"])
    assert len(result.articles) == 2
    (skip,) = result.skipped  # the item with only a title is reported, not dropped silently
    assert skip.position == 3 and "only a title" in skip.reason and skip.published == dt.date(2026, 3, 4)
    assert week_briefing([FEEDS / "gov-site.rss"]) == week_briefing([FEEDS / "gov-site-export.json"])


@pytest.mark.parametrize("name, words", [
    ("bomb.xml", "declares an entity"),
    ("external-entity.rss", "external entity (file:///etc/passwd)"),
])
def test_hostile_xml_is_refused_and_the_rest_is_briefed(name, words, short_export_briefing):
    with pytest.raises(FeedError, match="refused"):
        parse_feed((FEEDS / "hostile" / name).read_bytes(), name)
    result = read_exports([FEEDS / "hostile" / name, FEEDS / "wewe-rss" / "all.json"])
    (skip,) = result.skipped
    assert skip.file == name and words in skip.reason and "nothing in this feed was read" in skip.reason
    assert len(result.articles) == 10
    assert not any("root:" in a.content or "lol" in a.content for a in result.articles)
    assert week_briefing([FEEDS / "hostile" / name, FEEDS / "wewe-rss" / "all.json"]) == short_export_briefing


def test_feeds_are_recognised_by_content_not_by_name(tmp_path):
    renamed = tmp_path / "weather.txt"
    renamed.write_bytes((FEEDS / "wewe-rss" / f"{ACCOUNTS[2]}.atom").read_bytes())
    disguised = tmp_path / "posts.json"  # an RSS feed under a JSON export's name
    disguised.write_bytes((FEEDS / "we-mp-rss" / f"{ACCOUNTS[1]}.rss").read_bytes())
    result = read_exports([renamed, disguised])
    assert len(result.articles) == 2 + 3 and result.skipped == ()
    assert sniff(b'[{"title": "x"}]') is None and sniff(b'{"items": [{"title": "x", "content": "y"}]}') is None


def test_a_folder_of_feeds_and_exports(tmp_path):
    for mp in ACCOUNTS:
        (tmp_path / f"{mp}.atom").write_bytes((FEEDS / "wewe-rss" / f"{mp}.atom").read_bytes())
    (tmp_path / "notes.xml").write_text("<notes><note>not a feed</note></notes>", encoding="utf-8")
    result = read_exports([tmp_path])
    assert len(result.articles) == 10
    (skip,) = result.skipped
    assert skip.file.endswith("notes.xml") and "not a feed" in skip.reason


def test_html_body_becomes_clean_paragraphs():
    html = ('<style>p{color:red}</style><section><span>点击蓝字</span><span> 关注我们</span></section>'
            '<p><img src="https://mmbiz.qpic.cn/a.jpg">第一段，<strong>加粗</strong>的字。</p>'
            '<section><p>第二段<br>第三段</p></section><script>var x = "脚本";</script>'
            '<p>群众可扫描下方二维码，登录“临江办事”平台在线申请补贴，申请材料在3个工作日内审核完毕。</p>'
            '<p>阅读原文</p><p>来源：临江日报</p><p>编辑：王晓 审核：李明</p><p>校对：孙悦</p>'
            '<p>长按识别二维码关注我们</p><p>&nbsp;</p>')
    assert html_paragraphs(html) == [
        "第一段，加粗的字。", "第二段", "第三段",
        "群众可扫描下方二维码，登录“临江办事”平台在线申请补贴，申请材料在3个工作日内审核完毕。",  # long: not furniture
        "来源：临江日报",  # the outlet stays: the clean stage reads it
    ]


def test_canonical_links():
    long = ("http://mp.weixin.qq.com/s?__biz=MzA5MTIyMTMzMQ==&mid=2650110001&idx=1&sn=abc&chksm=ff00"
            "&scene=21#wechat_redirect")
    assert canonical_link(long) == "https://mp.weixin.qq.com/s?__biz=MzA5MTIyMTMzMQ%3D%3D&idx=1&mid=2650110001&sn=abc"
    assert canonical_link("HTTP://WWW.Example.ORG/a?utm_source=x&id=3#top") == "http://www.example.org/a?id=3"
    assert canonical_link("javascript:alert(1)") == ""


@pytest.mark.parametrize("data, reason", [
    (b"<html><body>not a feed</body></html>", "not a feed: the XML root is <html>"),
    (b"<rss><channel><item>", "not well-formed XML"),
    (b"<rss version='2.0'><title>x</title></rss>", "without a <channel>"),
])
def test_broken_feeds_give_a_reason(data, reason):
    with pytest.raises(FeedError, match=reason):
        parse_feed(data, "x.xml")


def test_a_bad_item_is_skipped_and_the_others_kept():
    text = (FEEDS / "wewe-rss" / f"{ACCOUNTS[1]}.rss").read_text(encoding="utf-8")
    broken = text.replace("<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>", "<pubDate>next week</pubDate>", 1)
    assert broken != text
    feed = parse_feed(broken.encode("utf-8"), "transport.rss")
    assert len(feed.posts) == 2
    (skip,) = feed.skipped
    assert "unreadable publication time" in skip.reason and skip.position == 1
