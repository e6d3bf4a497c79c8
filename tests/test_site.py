"""`digest site`: the static archive of the sample, its links followed one by one, its Atom feed parsed;
and the Markdown outputs read through python-markdown as a wiki renders them."""

import datetime as dt
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from digest.cli import main
from digest.config import load_config
from digest.deliver.wiki import WikiOptions, index_text
from digest.period import Kind, Period
from digest.pipeline import run
from digest.render import render_markdown
from digest.render.markdown_html import markdown_to_html

from conftest import SEED, git

ATOM = "{http://www.w3.org/2005/Atom}"


class Links(HTMLParser):
    """Every href/src of a page, and every id it defines."""

    def __init__(self, text):
        super().__init__()
        self.links, self.ids, self.tags = [], set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, attributes[name]))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    assert main(["site", "--input", str(SEED), "--out", str(out)]) == 0
    return out


def parsed(path: Path) -> Links:
    return Links(path.read_text(encoding="utf-8"))


def test_the_sample_builds_an_index_12_days_3_weeks_and_a_feed(site):
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    days = [f for f in files if f.startswith("daily/")]
    weeks = [f for f in files if f.startswith("weekly/")]
    assert days == [f"daily/2026-01-{d:02d}.html" for d in range(9, 21)]
    assert weeks == ["weekly/2026-W02.html", "weekly/2026-W03.html", "weekly/2026-W04.html"]
    assert set(files) == {*days, *weeks, "index.html", "feed.xml"}


def test_every_relative_link_leads_to_a_page_and_anchor_that_exist(site):
    followed = 0
    for page in site.rglob("*.html"):
        here = page.relative_to(site).as_posix()
        for tag, target in parsed(page).links:
            parts = urlsplit(target)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), f"{here}: {target}"
                continue
            assert not target.startswith("/"), f"{here}: {target} is not relative"
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path)) if parts.path else here
            assert (site / path).is_file(), f"{here}: {target} leads nowhere"
            if parts.fragment:
                assert parts.fragment in parsed(site / path).ids, f"{here}: no #{parts.fragment} in {path}"
            followed += 1
    assert followed > 150  # 192 on the sample: index, neighbours, weeks, days, category anchors


def test_pages_link_to_their_neighbours_week_and_the_index(site):
    page = parsed(site / "daily" / "2026-01-19.html")
    assert ("a", "2026-01-18.html") in page.links and ("a", "2026-01-20.html") in page.links
    assert ("a", "../weekly/2026-W04.html") in page.links and ("a", "../index.html") in page.links
    assert {"economy", "weather", "society"} <= page.ids  # category anchors
    assert ("a", "#economy") in page.links
    first = parsed(site / "daily" / "2026-01-09.html")
    assert not any(href.startswith("2026-01-08") for _, href in first.links)
    week = parsed(site / "weekly" / "2026-W03.html")
    assert [h for _, h in week.links if h.startswith("../daily/")] == [f"../daily/2026-01-{d}.html" for d in range(12, 19)]
    assert ("a", "2026-W02.html") in week.links and ("a", "2026-W04.html") in week.links


def test_the_index_lists_newest_first(site):
    links = [href for _, href in parsed(site / "index.html").links if re.fullmatch(r"(daily|weekly)/[\w-]+\.html", href)]
    assert links[0] == "weekly/2026-W04.html" and links[1] == "daily/2026-01-20.html"
    days = [link for link in links if link.startswith("daily/")]
    assert days == sorted(days, reverse=True) and len(days) == 12


def test_the_feed_is_atom_with_an_entry_per_briefing(site):
    root = ElementTree.parse(site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 15
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 15 and all(i.startswith("urn:uuid:") for i in ids)
    updated = [dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert (site / link).is_file()  # relative to the feed
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html" and "<h2" in content.text
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title").startswith("天津政务网 · 每日简报｜1月20日")


def test_rebuilding_changes_nothing(site, tmp_path):
    assert main(["site", "--input", str(SEED), "--out", str(tmp_path)]) == 0
    for path in site.rglob("*"):
        if path.is_file():
            assert (tmp_path / path.relative_to(site)).read_bytes() == path.read_bytes(), path


def test_with_a_base_url_the_feed_is_absolute_and_briefings_know_their_page(tmp_path):
    assert main(["site", "--input", str(SEED), "--out", str(tmp_path), "--base-url", "https://news.example.org/b/"]) == 0
    root = ElementTree.parse(tmp_path / "feed.xml").getroot()
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://news.example.org/b/feed.xml"
    briefing = run([SEED], Period.parse(Kind.WEEKLY, "2026-W03"), load_config(environ={}))
    served = load_config(environ={"DIGEST_SITE_BASE_URL": "https://news.example.org/b/"})
    assert served.render.page_url(briefing) == "https://news.example.org/b/weekly/2026-W03.html"
    assert load_config(environ={}).render.page_url(briefing) == ""
    # an explicit render.web_url wins over the archive's address
    chosen = load_config(environ={"DIGEST_SITE_BASE_URL": "https://news.example.org/b/",
                                  "DIGEST_RENDER_WEB_URL": "https://intra.example.org/{id}"})
    assert chosen.render.page_url(briefing) == "https://intra.example.org/weekly-2026-W03"
    assert "weekly/2026-W03.html" in {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}


def test_a_base_url_must_be_http(capsys):
    assert main(["site", "--input", str(SEED), "--out", "x", "--base-url", "javascript:alert(1)"]) == 1
    assert "must be an http(s) URL" in capsys.readouterr().err


# --- Markdown as a wiki renders it -------------------------------------------------------------

def tree(markdown_text):
    html = markdown_to_html(markdown_text)
    return html, Links(html)


def test_daily_markdown_renders_to_headings_links_and_anchors():
    briefing = run([SEED], Period.parse(Kind.DAILY, "2026-01-14"), load_config(environ={}))
    html, page = tree(render_markdown(briefing))
    assert page.tags.count("h1") == 1 and page.tags.count("h2") == len(briefing.sections)
    assert page.tags.count("h3") == len(briefing.items)
    assert {s.label for s in briefing.sections} <= page.ids
    story_links = re.findall(r'<h3[^>]*><a href="([^"]+)">', html)
    assert story_links == [item.url.replace("&", "&amp;") for item in briefing.items]
    assert page.tags.count("blockquote") == 1  # the overview
    assert "\\" not in re.sub(r"<[^>]+>", "", html)  # no escaping backslash shows


def test_weekly_markdown_table_has_a_row_per_day_and_a_column_per_category():
    briefing = run([SEED], Period.parse(Kind.WEEKLY, "2026-W03"), load_config(environ={}))
    html, page = tree(render_markdown(briefing))
    assert page.tags.count("table") == 1
    assert page.tags.count("th") == 1 + 5 + 2  # 日期, the five categories, 合计, 分布
    assert page.tags.count("tr") == 1 + 7 + 1  # the header, a row per day, the week's totals
    assert re.findall(r"<td>1月12日（一）</td>", html) and "<td>本周</td>" in html
    assert page.tags.count("h2") == 1 + len(briefing.sections)  # 每日发布 (the table), then a section each
    shown_in_full = sum(min(len(s.items), 5) for s in briefing.sections)
    assert page.tags.count("h3") == shown_in_full


def test_the_wiki_index_renders_to_links_to_html_pages(wiki):
    config = load_config(environ={})
    for kind, label in ((Kind.DAILY, "2026-01-19"), (Kind.DAILY, "2026-01-20"), (Kind.WEEKLY, "2026-W03")):
        assert main(["publish", "--input", str(SEED), "--" + ("date" if kind is Kind.DAILY else "week"), label,
                     "--wiki", str(wiki)]) == 0
    html, page = tree(index_text(wiki, wiki / "index.md"))
    assert page.tags.count("h1") == 1 and page.tags.count("h2") == 2
    assert [href for _, href in page.links] == [
        "weekly/2026-W03.html", "daily/2026/01/2026-01-20.html", "daily/2026/01/2026-01-19.html"]
    assert config.wiki == WikiOptions()


def test_raw_html_and_unsafe_links_in_a_hand_edited_page_stay_text():
    html, page = tree("## 经济\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://a.org/)\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert page.links == [("a", "https://a.org/")]
    assert "经济" in page.ids


def test_site_from_the_wikis_committed_pages(wiki, tmp_path):
    for label in ("2026-01-18", "2026-01-19"):
        assert main(["publish", "--input", str(SEED), "--date", label, "--wiki", str(wiki)]) == 0
    assert main(["publish", "--input", str(SEED), "--week", "2026-W03", "--wiki", str(wiki)]) == 0
    # Work in progress is not published: an uncommitted edit and an uncommitted page stay out.
    page = wiki / "daily" / "2026" / "01" / "2026-01-19.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<b>草稿</b>\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["site", "--from-wiki", str(wiki), "--out", str(out)]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["daily/2026-01-18.html", "daily/2026-01-19.html", "feed.xml", "index.html",
                     "weekly/2026-W03.html"]
    day = (out / "daily" / "2026-01-19.html").read_text(encoding="utf-8")
    assert "草稿" not in day and "46个优质项目落地" in day
    assert ("a", "2026-01-18.html") in Links(day).links and "经济" in Links(day).ids
    links = Links((out / "daily" / "2026-01-18.html").read_text(encoding="utf-8"))
    assert ("a", "2026-01-19.html") in links.links and ("a", "../weekly/2026-W03.html") in links.links
    week = Links((out / "weekly" / "2026-W03.html").read_text(encoding="utf-8"))
    assert week.tags.count("table") == 1
    entries = ElementTree.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert int(git(wiki, "rev-list", "--count", "HEAD")) == 4  # reading the wiki committed nothing


def test_from_wiki_without_digest_pages_is_an_input_error(wiki, tmp_path, capsys):
    assert main(["site", "--from-wiki", str(wiki), "--out", str(tmp_path)]) == 1
    assert "no briefing page written by digest" in capsys.readouterr().err


def test_site_from_the_archive_database(tmp_path, capsys):
    archive = tmp_path / "archive.sqlite3"
    assert main(["ingest", "--input", str(SEED), "--archive-path", str(archive)]) == 0
    out = tmp_path / "site"
    assert main(["site", "--archive", "--archive-path", str(archive), "--out", str(out)]) == 0
    assert len(list((out / "daily").glob("*.html"))) == 12 and len(list((out / "weekly").glob("*.html"))) == 3
    assert main(["site", "--out", str(tmp_path / "none")]) == 1
    assert "no input" in capsys.readouterr().err
