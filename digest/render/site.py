"""A static archive of briefings: an index newest first, a page per day and week, an Atom feed.

Every link between pages is relative, so the folder works from any web server
or file share. `site.base_url`, when set, says where the folder is served:
emails and pushes link to a briefing's page there (`page_url`), and the feed
uses absolute links. The pages are the usual HTML briefings (`daily.html.j2`,
`weekly.html.j2`) extended by `site/*.html.j2` with the archive's navigation;
a wiki's Markdown pages become pages through python-markdown instead.

Pure: briefings in, {relative path: bytes} out; the command writes the files.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence
from xml.etree import ElementTree

from ..clock import TIMEZONE
from ..options import config_section, http_url, setting
from ..overview import chinese_date, chinese_day, highlights
from ..period import Period
from ..records import Briefing
from . import render_markdown, render_template
from .markdown_html import markdown_to_html, relative_link
from .options import RenderOptions
from .environment import plain

ATOM = "http://www.w3.org/2005/Atom"
INDEX, FEED = "index.html", "feed.xml"


@config_section
class SiteOptions:
    """Config section `[site]`: the static archive `digest site` writes."""

    base_url: str | None = setting(
        None, "Where the archive folder is served (http(s)); emails and pushes then link to each "
        "briefing's page, and the feed's links are absolute.", check=http_url)
    title: str = setting("政务简报存档", "The archive's name, on its index page and in the feed.")


def page_path(span: Period) -> str:
    """Where a briefing's page lies in the archive: daily/2026-01-19.html, weekly/2026-W03.html."""
    return page_path_pattern().format(kind=span.kind, period=span.label)


def page_path_pattern() -> str:
    """page_path with the placeholders of `render.web_url`: the archive's pages as a web_url."""
    return "{kind}/{period}.html"


@dataclass(frozen=True)
class Page:
    """One briefing as the archive lists it, whatever it was built from."""

    span: Period
    title: str
    post_count: int
    categories: tuple[tuple[str, str, int], ...]  # (category, label, posts)
    top: tuple[tuple[str, str], ...]  # (headline, url) of its most important stories
    content_html: str  # the briefing as HTML (the feed's entry content)

    @property
    def path(self) -> str:
        return page_path(self.span)

    @property
    def when(self) -> str:
        if self.span.is_daily:
            return chinese_day(self.span.start)
        return f"{self.span.label} · {chinese_date(self.span.start)}—{chinese_date(self.span.end)}"

    @property
    def closed(self) -> dt.datetime:
        """When the period ended (midnight after it, Asia/Shanghai): the feed's stable `updated`."""
        return dt.datetime.combine(self.span.end + dt.timedelta(days=1), dt.time(), TIMEZONE)


def page_of(briefing: Briefing, templates: Path | None = None, options: RenderOptions = RenderOptions()) -> Page:
    top = highlights(briefing.sections, 3)  # as the briefing's own overview picks them
    return Page(
        span=briefing.span,
        title=briefing.title,
        post_count=briefing.post_count,
        categories=tuple((s.category, s.label, s.post_count) for s in briefing.sections),
        top=tuple((item.headline, item.url) for item in top),
        content_html=markdown_to_html(render_markdown(briefing, templates, options)),
    )


@dataclass(frozen=True)
class Nav:
    """The links around one page: the index, the feed, the neighbours, the week or the days."""

    index: str
    feed: str
    previous: tuple[str, str] | None  # (href, label)
    next: tuple[str, str] | None
    related: tuple[tuple[str, str], ...]  # a day's week, or a week's days


def navigation(pages: Sequence[Page]) -> dict[str, Nav]:
    """Each page's Nav: neighbours of the same kind, in date order."""
    by_path = {}
    by_kind: dict[str, list[Page]] = {}
    for page in sorted(pages, key=lambda p: p.span.start):
        by_kind.setdefault(page.span.kind, []).append(page)
    for page in pages:
        here = page.path
        siblings = by_kind[page.span.kind]
        position = siblings.index(page)

        def link(other: Page | None) -> tuple[str, str] | None:
            return (relative_link(here, other.path), other.span.label) if other else None

        if page.span.is_daily:
            related = [p for p in by_kind.get("weekly", []) if p.span.contains(page.span.start)]
        else:
            related = [p for p in by_kind.get("daily", []) if page.span.contains(p.span.start)]
        by_path[here] = Nav(
            index=relative_link(here, INDEX),
            feed=relative_link(here, FEED),
            previous=link(siblings[position - 1] if position > 0 else None),
            next=link(siblings[position + 1] if position + 1 < len(siblings) else None),
            related=tuple((relative_link(here, p.path), p.span.label) for p in related),
        )
    return by_path


def build_site(
    briefings: Sequence[Briefing], site: SiteOptions, templates: Path | None = None,
    options: RenderOptions = RenderOptions(),
) -> dict[str, bytes]:
    """Every file of the archive of `briefings`, by its path relative to the archive's root."""
    pages = {b.id: page_of(b, templates, options) for b in briefings}
    navs = navigation(list(pages.values()))
    files: dict[str, bytes] = {}
    for briefing in briefings:
        page = pages[briefing.id]
        html = render_template(briefing, f"site/{briefing.kind}.html.j2", "html", templates, options,
                               nav=navs[page.path], site=site)
        files[page.path] = html.encode("utf-8")
    files.update(index_and_feed(list(pages.values()), site, templates))
    return files


def index_and_feed(pages: Sequence[Page], site: SiteOptions, templates: Path | None = None) -> dict[str, bytes]:
    weeks: dict[Period, dict[str, Any]] = {}
    for page in pages:
        week = Period.week_of(page.span.start)
        entry = weeks.setdefault(week, {"span": week, "weekly": None, "days": []})
        if page.span.is_daily:
            entry["days"].append(page)
        else:
            entry["weekly"] = page
    groups = sorted(weeks.values(), key=lambda w: w["span"].start, reverse=True)
    for group in groups:
        group["days"].sort(key=lambda p: p.span.start, reverse=True)
    html = render_template(None, "site/index.html.j2", "html", templates, site=site, weeks=groups,
                           pages=pages, feed=FEED)
    return {INDEX: html.encode("utf-8"), FEED: atom_feed(pages, site)}


def atom_feed(pages: Sequence[Page], site: SiteOptions) -> bytes:
    """RFC 4287 feed, newest first. Links are relative to the feed unless site.base_url is set."""
    base = site.base_url.rstrip("/") + "/" if site.base_url else ""
    namespace = site.base_url or "digest:archive"
    # A week still running (the input ends mid-week) was last updated when its newest day closed, not in the future.
    horizon = max((p.closed for p in pages if p.span.is_daily), default=None)

    def updated(page: Page) -> dt.datetime:
        return min(page.closed, horizon) if horizon else page.closed

    newest = sorted(pages, key=lambda p: (updated(p), p.span.is_daily, p.span.start), reverse=True)
    ElementTree.register_namespace("", ATOM)

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = plain(text) if tag != "content" else text
        return element

    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    add(feed, "title", site.title)
    add(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, namespace)}")
    add(feed, "updated", (updated(newest[0]) if newest else dt.datetime(1970, 1, 1, tzinfo=TIMEZONE)).isoformat())
    add(feed, "link", rel="self", href=base + FEED, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=base + INDEX, type="text/html")
    author = add(feed, "author")
    add(author, "name", site.title)
    add(feed, "generator", "digest")
    for page in newest:
        entry = add(feed, "entry")
        add(entry, "title", f"{page.title}｜{page.when}")
        add(entry, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, namespace + '#' + page.path)}")
        add(entry, "updated", updated(page).isoformat())
        add(entry, "link", rel="alternate", href=base + page.path, type="text/html")
        summary = "；".join(f"{label}{count}条" for _, label, count in page.categories)
        add(entry, "summary", f"共{page.post_count}条：{summary}")
        add(entry, "content", _xml_safe(page.content_html), type="html")
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))
