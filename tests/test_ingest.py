import datetime as dt
import json
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.ingest import parse_article, parse_date, read_exports, safe_url

from conftest import make_record, write_export


def test_reads_every_seed_post(seed_path, seed_records):
    result = read_exports([seed_path])
    assert len(result.articles) == len(seed_records) == 51
    assert result.skipped == () and result.merged_duplicates == ()
    first = result.articles[0]
    assert first.aid == "2247552523_1"
    assert first.published == dt.date(2026, 1, 20)
    assert first.account == "天津政务网"
    assert first.url.startswith("http://mp.weixin.qq.com/")


def test_english_keys_json_lines_and_missing_optional_fields(tmp_path):
    lines = [
        {"aid": "1_1", "title": "标题一", "url": "https://example.org/a", "time": "2026-01-05 08:30:00",
         "account": "账号", "content": "正文一。"},
        {"title": "标题二", "publish_time": 1767571200, "content": "正文二。"},  # no aid, url, account
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    result = read_exports([path])
    assert [a.title for a in result.articles] == ["标题一", "标题二"]
    second = result.articles[1]
    assert second.aid.startswith("sha1-") and second.url == "" and second.account == ""
    assert second.published == dt.date(2026, 1, 5)  # 2026-01-05 00:00 Asia/Shanghai


def test_malformed_file_and_articles_are_reported_not_fatal(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "broken.json").write_text('[{"标题title": "x",', encoding="utf-8")
    write_export(folder / "good.json", [
        make_record(aid="1_1"),
        make_record(aid="2_1", content="   "),
        make_record(aid="3_1", time="not a date"),
        "just a string",
        make_record(aid="4_1", time="2026年1月6日"),
    ])
    (folder / "notes.txt").write_text("ignored: not an export", encoding="utf-8")
    result = read_exports([folder])
    assert [a.aid for a in result.articles] == ["1_1", "4_1"]
    reasons = {(s.file, s.position, s.aid): s.reason for s in result.skipped}
    assert reasons[("exports/broken.json", None, None)].startswith("invalid JSON at line 1")
    assert reasons[("exports/good.json", 2, "2_1")] == "article has no content"
    assert "unreadable publication time" in reasons[("exports/good.json", 3, "3_1")]
    assert "not an object" in reasons[("exports/good.json", 4, None)]
    assert len(result.skipped) == 4


def test_bad_json_line_skips_only_that_line(tmp_path):
    path = tmp_path / "x.jsonl"
    good = json.dumps(make_record(aid="1_1"), ensure_ascii=False)
    path.write_text(good + "\n{oops\n" + json.dumps(make_record(aid="2_1"), ensure_ascii=False) + "\n", encoding="utf-8")
    result = read_exports([path])
    assert [a.aid for a in result.articles] == ["1_1", "2_1"]
    assert [(s.position, s.reason.split(":")[0]) for s in result.skipped] == [(2, "invalid JSON on line 2")]
    assert [a.position for a in result.articles] == [1, 3]


def test_same_aid_in_two_accounts_is_two_posts(tmp_path):
    write_export(tmp_path / "a.json", [make_record(aid="2247483650_1", account="天津政务网", title="天津的")])
    write_export(tmp_path / "b.json", [make_record(aid="2247483650_1", account="北京发布", title="北京的")])
    result = read_exports([tmp_path])
    assert sorted(a.account for a in result.articles) == ["北京发布", "天津政务网"]
    assert result.merged_duplicates == ()


def test_merging_does_not_depend_on_file_order(tmp_path):
    first = make_record(aid="1_1", title="标题甲", content="正文甲。")
    second = make_record(aid="1_1", title="标题乙", content="正文乙。")  # same length
    write_export(tmp_path / "x.json", [first])
    write_export(tmp_path / "y.json", [second])
    forward = read_exports([tmp_path / "x.json", tmp_path / "y.json"]).articles
    backward = read_exports([tmp_path / "y.json", tmp_path / "x.json"]).articles
    assert [(a.title, a.content) for a in forward] == [(a.title, a.content) for a in backward]


def test_account_names_are_one_line(tmp_path):
    path = write_export(tmp_path / "x.json", [make_record(account="坏\r\n账号\u2028X-Evil: 1\x85\x00")])
    assert read_exports([path]).articles[0].account == "坏 账号 X-Evil: 1"


def test_missing_title_is_left_to_the_summariser(tmp_path):
    path = write_export(tmp_path / "x.json", [make_record(title="")])
    assert read_exports([path]).articles[0].title == ""


def test_duplicate_aids_across_files_are_merged_once(tmp_path, seed_path, seed_records):
    write_export(tmp_path / "a.json", seed_records[:10])
    longer = dict(seed_records[0], finalContent=seed_records[0]["finalContent"] + "补充一句。")
    write_export(tmp_path / "b.json", [longer, *seed_records[5:12]])
    result = read_exports([tmp_path])
    assert len(result.articles) == 12
    assert len(result.merged_duplicates) == 5  # identical copies
    kept = next(a for a in result.articles if a.aid == seed_records[0]["文章标识符aid"])
    assert kept.content.endswith("补充一句。")  # same time: the fuller copy wins
    # the other version is not lost: the skip report names it and where the briefed one is
    [other] = result.skipped
    assert other.aid == kept.aid and other.file.endswith("/a.json") and "b.json#1" in other.reason


def test_missing_input_is_an_error(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        read_exports([tmp_path / "nope.json"])


@pytest.mark.parametrize("value, expected", [
    ("2026-01-20", dt.date(2026, 1, 20)),
    ("2026/1/9", dt.date(2026, 1, 9)),
    ("2026年1月9日 10:00", dt.date(2026, 1, 9)),
    ("20260119", dt.date(2026, 1, 19)),
    ("1768838400.0", dt.date(2026, 1, 20)),
    ("2026-01-19T23:30:00Z", dt.date(2026, 1, 20)),  # UTC evening is the next morning in Shanghai
    (1768838400, dt.date(2026, 1, 20)),
    (1768838400000, dt.date(2026, 1, 20)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://mp.weixin.qq.com/s?a=1", "https://mp.weixin.qq.com/s?a=1"),
    ("  http://example.org/x  ", "http://example.org/x"),
    ("javascript:alert(1)", ""),
    ("JAVASCRIPT:alert(1)", ""),
    ("data:text/html,<script>", ""),
    ("//evil.example/x", ""),
    ("https://ok.example/a\r\nSet-Cookie: x", ""),
    ("https://ok.example/\u2028x", ""),
    ("ftp://files.example/x", ""),
])
def test_only_http_links_survive(url, expected):
    assert safe_url(url) == expected


def test_aid_from_wechat_link_when_missing():
    article = parse_article({"title": "t", "content": "正文。", "time": "2026-01-01",
                             "url": "http://mp.weixin.qq.com/s?__biz=X&mid=2247552523&idx=2&sn=abc"})
    assert article.aid == "2247552523_2"


def test_the_newest_version_of_a_post_is_briefed_and_the_other_recorded(tmp_path):
    original = make_record(aid="7_1", title="关于停水的通知", content="1月5日9时起停水，时长八小时，请市民提前储水。",
                           time="2026-01-05 08:00")
    corrected = make_record(aid="7_1", title="【更正】关于停水的通知", content="1月5日9时起停水。", time="2026-01-05 10:30")
    write_export(tmp_path / "a.json", [corrected])
    write_export(tmp_path / "b.json", [original])  # longer, but older
    for order in ([tmp_path / "a.json", tmp_path / "b.json"], [tmp_path / "b.json", tmp_path / "a.json"]):
        result = read_exports(order)
        assert [a.title for a in result.articles] == ["【更正】关于停水的通知"]
        [older] = result.skipped
        assert (older.aid, older.file, older.published) == ("7_1", "b.json", dt.date(2026, 1, 5))
        assert "older version" in older.reason and "a.json#1" in older.reason
        assert result.merged_duplicates == ()


@pytest.mark.parametrize("payload, reason", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('[{"title": "x", "content": "y", "time": ' + "9" * 5000 + "}]", "more than 4300 digits"),
])
def test_a_file_beyond_the_decoders_limits_is_skipped_and_the_rest_briefed(tmp_path, payload, reason):
    (tmp_path / "hostile.json").write_text(payload, encoding="utf-8")
    (tmp_path / "hostile.jsonl").write_text(json.dumps(make_record(aid="3_1")) + "\n" + payload + "\n",
                                            encoding="utf-8")
    write_export(tmp_path / "ok.json", [make_record(aid="1_1")])
    result = read_exports([tmp_path])
    assert sorted(a.aid for a in result.articles) == ["1_1", "3_1"]
    assert sorted((Path(s.file).name, s.position) for s in result.skipped) == [("hostile.json", None),
                                                                                ("hostile.jsonl", 2)]
    assert all(reason in s.reason for s in result.skipped)


def test_a_huge_epoch_is_an_unreadable_time_not_a_crash(tmp_path):
    path = write_export(tmp_path / "x.json", [make_record(aid="1_1", time=10**400)])
    [skip] = read_exports([path]).skipped
    assert "unreadable publication time" in skip.reason


def test_nan_and_infinity_are_missing_values_and_said(tmp_path, caplog):
    path = tmp_path / "x.json"
    path.write_text(json.dumps([
        dict(make_record(), **{"文章标识符aid": float("nan"), "标题title": float("inf")}),
        dict(make_record(aid="2_1"), **{"时间time": float("-inf")}),
    ]), encoding="utf-8")
    assert "NaN" in path.read_text()
    with caplog.at_level("WARNING", logger="digest"):
        result = read_exports([path])
    [article] = result.articles
    assert article.aid == "9000000001_1" and article.title == ""  # aid from the link; no "nan", no "inf"
    assert "aid, title not a finite number" in caplog.text and "x.json#1" in caplog.text
    [skip] = result.skipped
    assert skip.aid == "2_1" and skip.reason.startswith("article has no publication time (time not a finite")
