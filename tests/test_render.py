import datetime as dt
import email
import json
import re
from email import policy

import pytest


from digest.config import Config
from digest.period import Kind, Period
from digest.pipeline import run
from digest.render import render
from digest.render.email import EmailOptions, build_message
from digest.summarize import SummaryOptions

from conftest import SEED, make_record, write_export

GOLDEN_DAY = dt.date(2026, 1, 14)
GOLDEN_WEEK = "2026-W03"
EXTENSIONS = {"html": "html", "md": "md", "json": "json", "email": "eml"}


@pytest.fixture(scope="module")
def golden_daily():
    return run([SEED], Period.day(GOLDEN_DAY), Config(summary=SummaryOptions(backend="extractive")))  # golden files pin the extractive path


@pytest.fixture(scope="module")
def golden_weekly():
    return run([SEED], Period.parse(Kind.WEEKLY, GOLDEN_WEEK), Config(summary=SummaryOptions(backend="extractive")))


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_golden_daily(golden_daily, fmt, golden, clock):
    golden(f"daily-{GOLDEN_DAY}.{EXTENSIONS[fmt]}", render(golden_daily, fmt, Config(), clock))


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_golden_weekly(golden_weekly, fmt, golden, clock):
    golden(f"weekly-{GOLDEN_WEEK}.{EXTENSIONS[fmt]}", render(golden_weekly, fmt, Config(), clock))


def test_json_contract(golden_daily):
    data = json.loads(render(golden_daily, "json", Config()))
    assert data["kind"] == "daily" and data["date"] == "2026-01-14"
    assert data["overview"].startswith("1月14日")
    item_keys = {"aid", "title", "headline", "summary", "url", "published", "account", "score", "method",
                 "category_reason", "related"}
    for section in data["sections"]:
        assert section["label"]
        for item in section["items"]:
            assert item_keys <= set(item)
            assert item["method"] == "extractive"
    near = [i for s in data["sections"] for i in s["items"] if i["related"]]
    assert [(i["aid"], i["related"]) for i in near] == [("2247552337_1", ["2247552346_1"])]
    assert data["skipped"] == []


def test_email_structure(golden_weekly, clock):
    raw = render(golden_weekly, "email", Config(email=EmailOptions(sender="简报 <digest@news.example.org>")), clock)
    message = email.message_from_bytes(raw, policy=policy.default)
    # the count and the lead story: what decides whether to open it
    assert message["Subject"] == "天津政务网 · 每周简报｜2026-W03｜30项：市委常委会召开2025年度民主生活会暨中央巡视反馈意见整改…"
    assert message["Date"] == "Wed, 21 Jan 2026 07:00:00 +0800"
    assert re.fullmatch(r"<digest\.weekly\.2026-W03\.[0-9a-f]{16}@news\.example\.org>", message["Message-ID"])
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    text = plain.get_content()
    assert "张工调度降雪天气应对工作" in text and "<" not in text
    assert "http://mp.weixin.qq.com/" in text
    body = html.get_content()
    assert "<table" in body and 'style="' in body  # inlined CSS for mail clients
    # The one <style> block only recolours for dark mode: a client that strips it (Gmail) loses nothing else.
    (sheet,) = re.findall(r"<style>(.*?)</style>", body, re.S)
    rules = re.sub(r"@media \(prefers-color-scheme: dark\) \{(.*)\}", "", sheet, flags=re.S)
    assert rules.strip() == ":root { color-scheme: light dark; supported-color-schemes: light dark; }"
    assert '<meta name="color-scheme" content="light dark">' in body
    assert len(raw) < 100_000


HOSTILE_TITLE = '<script>alert(1)</script> [点我](javascript:alert(2)) **粗** <img src=x onerror=alert(3)>'


@pytest.fixture(scope="module")
def hostile_briefing(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "export.json"
    write_export(path, [
        make_record(aid="1_1", title=HOSTILE_TITLE, url="javascript:alert(4)",
                    account="坏账号\r\nBcc: victim@example.org\u2028X-Evil: 1",
                    content="1月5日，市政府召开常务会议。<b>会议</b>审议 [链接](http://x.example) 有关事项。"),
        make_record(aid="2_1", title="正常标题：市政府发布决定", url="https://ok.example/a?b=1&c=(2)"),
    ])
    return run([path], None, Config())


def test_html_escapes_and_links_only_http(hostile_briefing):
    html = render(hostile_briefing, "html", Config()).decode()
    assert "<script>" not in html and "<img" not in html and "<b>会议" not in html
    assert "&lt;script&gt;" in html
    external = [h for h in re.findall(r'href="([^"]*)"', html) if not h.startswith("#")]
    assert set(external) == {"https://ok.example/a?b=1&amp;c=(2)"}


def test_markdown_is_sanitised(hostile_briefing):
    md = render(hostile_briefing, "md", Config()).decode()
    assert re.search(r"(?<!\\)<", md) is None, "raw HTML reached the Markdown"
    assert "](javascript" not in md and "\\[点我\\]" in md
    links = [link for link in re.findall(r"\]\(([^)]*)\)", md) if not link.startswith("#")]
    assert set(links) == {"https://ok.example/a?b=1&c=%282%29"}
    assert "\\*\\*粗\\*\\*" in md


def test_markdown_values_cannot_start_blocks(tmp_path):
    path = write_export(tmp_path / "x.json", [make_record(
        aid="1_1", title="- 列表项标题", content="1. 第一条，这是一个被伪装成列表的句子内容。\n=== 又一行 ===")])
    md = render(run([path], None, Config()), "md", Config()).decode()
    assert "\n1. " not in md and "\n- 列表项" not in md and "\n===" not in md
    assert "1\\.第一条" in md and "[\\-列表项标题]" in md


def test_a_huge_week_still_fits_in_an_email(tmp_path):
    records = [make_record(aid=f"{n}_1", time=f"2026-01-{12 + n % 7:02d}", title=f"港口企业第{n}号项目签约落地",
                           content=f"1月{12 + n % 7}日，第{n}号项目在天津港签约，总投资{n}亿元。" * 3)
               for n in range(420)]
    path = write_export(tmp_path / "big.json", records)
    briefing = run([path], Period.parse(Kind.WEEKLY, "2026-W03"), Config())
    raw = render(briefing, "email", Config())
    message = email.message_from_bytes(raw, policy=policy.default)
    html = message.get_body(("html",)).get_content()
    assert len(html.encode("utf-8")) <= 102_400
    assert "另有" in html  # what was cut is said, not hidden
    assert json.loads(render(briefing, "json", Config()))["sections"]  # the JSON keeps everything


def test_email_headers_cannot_be_injected(hostile_briefing, clock):
    message = build_message(hostile_briefing, EmailOptions(), clock=clock, recipients=["reader@example.org"])
    raw = message.as_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert parsed["To"] == "reader@example.org"
    header_block = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    assert b"victim" not in header_block
    assert "\u2028" not in str(parsed["Subject"])
    html = next(p for p in parsed.iter_parts() if p.get_content_type() == "text/html").get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert all(href.startswith(("http", "#")) for href in re.findall(r'href="([^"]*)"', html))


def test_several_recipients_are_not_disclosed(golden_daily, clock):
    message = build_message(golden_daily, EmailOptions(), clock=clock, recipients=["a@example.org", "b@example.org"])
    assert message["To"] == "undisclosed-recipients:;"


def test_user_templates_override_and_extend_the_defaults(tmp_path, golden_daily):
    (tmp_path / "daily.html.j2").write_text(
        '{% extends "default:daily.html.j2" %}{% block period %}本地版 · {{ super() }}{% endblock %}',
        encoding="utf-8")
    html = render(golden_daily, "html", Config(templates=tmp_path)).decode()
    assert "本地版 · 1月14日（星期三）" in html
    assert "促进充分就业" in html  # the rest still comes from the default template


def test_broken_user_template_is_a_render_error(tmp_path, golden_daily):
    from digest.errors import RenderError

    (tmp_path / "daily.md.j2").write_text("{{ briefing.nope }}", encoding="utf-8")
    with pytest.raises(RenderError, match="daily.md.j2"):
        render(golden_daily, "md", Config(templates=tmp_path))


# --- what readers see -------------------------------------------------------

from digest.render.options import RenderOptions  # noqa: E402


def _parts(raw: bytes):
    message = email.message_from_bytes(raw, policy=policy.default)
    return message, message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_readers_see_no_engine_detail_unless_an_operator_asks(tmp_path, clock):
    broken = tmp_path / "exports"
    broken.mkdir()
    write_export(broken / "ok.json", [make_record(aid="1_1")])
    (broken / "bad.json").write_text("{oops", encoding="utf-8")
    briefing = run([broken], None, Config())
    assert briefing.skipped
    jargon = ("依据", "account order", "extractive", "bad.json", "invalid JSON", "未收录")

    def shown(fmt, options=RenderOptions()):
        raw = render(briefing, fmt, Config(render=options), clock)
        return "".join(_parts(raw)[1:]) if fmt == "email" else raw.decode()

    for fmt in ("html", "md", "email"):
        assert not [word for word in jargon if word in shown(fmt)], fmt
        detailed = shown(fmt, RenderOptions(details=True))
        assert "bad.json" in detailed and "依据" in detailed, fmt
    data = json.loads(render(briefing, "json", Config()))
    assert data["skipped"][0]["file"].endswith("bad.json") and data["sections"][0]["items"][0]["score_reason"]


def test_overview_counts_agree_with_the_sections(golden_daily):
    html = render(golden_daily, "html", Config()).decode()
    assert "社会民生1项（2篇）" in golden_daily.overview  # one of its posts is listed as related
    assert '社会民生 <span class="count">1项（2篇）</span>' in html
    data = json.loads(render(golden_daily, "json", Config()))
    assert data["counts"]["society"] == {"items": 1, "posts": 2}
    assert len(data["highlights"]) == 4 and data["highlights"][0]["headline"] in html


def test_contents_line_jumps_to_each_category(golden_weekly):
    html = render(golden_weekly, "html", Config()).decode()
    for section in golden_weekly.sections:
        assert f'href="#{section.category}"' in html and f'<section id="{section.category}"' in html
    md = render(golden_weekly, "md", Config()).decode()
    assert "目录：[■ 时政 8](#时政)" in md and "\n## 时政\n" in md


def test_week_table_shows_zeros_totals_and_the_change_against_last_week(tmp_path):
    records = [make_record(aid=f"{n}_1", time=f"2026-01-{5 + n:02d}", title=f"第{n}号港口项目签约",
                           content=f"1月{5 + n}日，第{n}号港口项目签约，总投资{n}亿元。") for n in range(14)]
    path = write_export(tmp_path / "two-weeks.json", records)
    briefing = run([path], Period.parse(Kind.WEEKLY, "2026-W03"), Config())
    assert briefing.previous_counts is not None and sum(n for _, n in briefing.previous_counts) == 7
    md = render(briefing, "md", Config()).decode()
    assert "| 本周 |" in md and "| 上周 |" in md and "| 变化 |" in md and "±0" in md
    assert re.search(r"\| 1月12日（一） \|( \d+ \|){6}", md)  # zeros written, not left empty
    data = json.loads(render(briefing, "json", Config()))
    assert sum(data["previous_week_counts"].values()) == 7
    # the seed starts on a Friday: its W03 has no full week before, so no change is claimed
    seed_md = render(run([SEED], Period.parse(Kind.WEEKLY, "2026-W03"), Config()), "md", Config()).decode()
    assert "| 本周 |" in seed_md and "上周" not in seed_md


def test_email_subject_preheader_browser_link_and_unsubscribe(golden_weekly, clock):
    config = Config(email=EmailOptions(sender="简报 <digest@news.example.org>",
                                       unsubscribe_url="https://news.example.org/u?x=1"),
                    render=RenderOptions(web_url="https://news.example.org/digest/{id}.html"))
    message, text, html = _parts(render(golden_weekly, "email", config, clock))
    assert message["Subject"].startswith("天津政务网 · 每周简报｜2026-W03｜30项：")
    assert 'display:none' in html and "张工调度降雪天气应对工作" in html.split("<table")[0]  # the preheader
    page = "https://news.example.org/digest/weekly-2026-W03.html"
    assert f'href="{page}"' in html and f"在浏览器中查看：{page}" in text
    assert "https://news.example.org/u?x=1" in html and "退订：https://news.example.org/u?x=1" in text
    plain_default = _parts(render(golden_weekly, "email", Config(), clock))[1]
    assert "退订" not in plain_default and "在浏览器中查看" not in plain_default


def test_a_shortened_email_links_to_the_web_page(golden_weekly):
    from digest.render import render_template

    options = RenderOptions(web_url="https://news.example.org/{kind}/{period}.html")
    context = dict(limit=2, unsubscribe="", preheader="")
    html = render_template(golden_weekly, "email/weekly.html.j2", "html", None, options, **context)
    text = render_template(golden_weekly, "email/weekly.txt.j2", "text", None, options, **context)
    assert '，<a href="https://news.example.org/weekly/2026-W03.html" style="color:#0b3d91;" class="dm-link">完整简报见网页版</a>' in html
    assert "完整简报见网页版：https://news.example.org/weekly/2026-W03.html" in text
    without = render_template(golden_weekly, "email/weekly.html.j2", "html", None, RenderOptions(), **context)
    assert "完整简报见网页版或 wiki" in without


def test_the_text_part_drops_wechat_tracking_parameters(golden_daily, clock):
    _, text, html = _parts(render(golden_daily, "email", Config(), clock))
    assert "chksm" not in text and "#rd" not in text
    assert "http://mp.weixin.qq.com/s?__biz=MzI4MjI5NTk5MQ==&mid=2247552345&idx=1&sn=4d83d125b6a0bd55c4ef52b1a51148bc" in text
    assert "chksm" in html  # the link itself still works as exported


def test_an_encoded_word_look_alike_stays_literal_in_the_subject(tmp_path, clock):
    path = write_export(tmp_path / "x.json", [make_record(aid="1_1", account="=?utf-8?b?5pS/5Yqh?=")])
    raw = render(run([path], None, Config()), "email", Config(), clock)
    subject = email.message_from_bytes(raw, policy=policy.default)["Subject"]
    assert "?utf-8?b?5pS/5Yqh?=" in subject and "政务" not in subject


def test_a_raw_invalid_byte_in_email_from_is_a_config_error(golden_daily, clock):
    from digest.errors import ConfigError

    broken = Config(email=EmailOptions(sender=b"digest \xff <d@example.org>".decode("utf-8", "surrogateescape")))
    with pytest.raises(ConfigError, match="not UTF-8"):
        render(golden_daily, "email", broken, clock)


def test_a_link_ending_in_a_backslash_keeps_its_markdown_link(tmp_path):
    path = write_export(tmp_path / "x.json", [make_record(aid="1_1", url="https://example.org/a\\")])
    md = render(run([path], None, Config()), "md", Config()).decode()
    assert "](https://example.org/a%5C)" in md and "a\\)" not in md
