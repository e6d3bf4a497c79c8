"""`digest site --from-wiki`: the archive built from a wiki's committed Markdown pages.

The pages are the ones `digest publish` wrote (front matter with `generator:
digest`, see deliver/wiki.py); only what is committed counts, so a page being
edited in the work tree does not reach readers half done. Each becomes an HTML
page through python-markdown, with the archive's navigation around it.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Iterator

from ..deliver.wiki import front_matter
from ..errors import InputError
from ..period import Kind, Period
from ..records import CATEGORY_LABELS
from . import render_template
from .markdown_html import markdown_to_html
from .site import Page, SiteOptions, index_and_feed, navigation

_STORY = re.compile(r'<h3[^>]*>\s*<a href="([^"]*)">(.*?)</a>\s*</h3>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def committed_pages(wiki: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of every committed .md file under `wiki` (which may be a folder of a larger repository)."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(wiki), *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise InputError(f"cannot read the wiki at {wiki}: {(result.stderr or result.stdout).strip()}")
        return result.stdout

    if not wiki.is_dir():
        raise InputError(f"wiki folder not found: {wiki}")
    listing = git("ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD", "--", ".")
    prefix = git("rev-parse", "--show-prefix").strip()
    for path in sorted(filter(None, listing.split("\0"))):
        if path.endswith(".md") and path.startswith(prefix):
            yield path[len(prefix):], git("show", f"HEAD:{path}")


def page_from_wiki(path: str, text: str) -> Page | None:
    """The archive's Page for a briefing page digest wrote; None for any other page (the index, notes)."""
    meta, body = front_matter(text)
    if not str(meta.get("generator", "")).startswith("digest") or meta.get("kind") not in ("daily", "weekly"):
        return None
    kind = Kind(str(meta["kind"]))
    label = meta.get("date" if kind is Kind.DAILY else "week")
    try:
        span = Period.parse(kind, str(label))
        title = json.loads(str(meta.get("title", '""')))
        posts = int(str(meta.get("posts", "0")))
    except (ValueError, TypeError) as exc:
        raise InputError(f"{path}: front matter unreadable: {exc}") from None
    categories = meta.get("categories")
    counts = tuple((c, CATEGORY_LABELS[c], int(n)) for c, n in (categories or {}).items()  # type: ignore[union-attr]
                   if c in CATEGORY_LABELS and str(n).isdigit())
    content = markdown_to_html(body)
    top = tuple((html.unescape(_TAGS.sub("", text)), html.unescape(url)) for url, text in _STORY.findall(content))[:3]
    return Page(span=span, title=str(title), post_count=posts, categories=counts, top=top, content_html=content)


def build_wiki_site(wiki: Path, site: SiteOptions, templates: Path | None = None) -> dict[str, bytes]:
    pages: dict[str, Page] = {}
    for path, text in committed_pages(wiki):
        page = page_from_wiki(path, text)
        if page is not None:
            pages[page.path] = page  # one page per period, whatever the wiki's layout named it
    if not pages:
        raise InputError(f"no briefing page written by digest is committed in {wiki}")
    navs = navigation(list(pages.values()))
    files = {}
    for path, page in pages.items():
        nav = navs[path]
        files[path] = render_template(None, "site/wiki_page.html.j2", "html", templates,
                                      page=page, nav=nav, site=site, feed=nav.feed).encode("utf-8")
    files.update(index_and_feed(list(pages.values()), site, templates))
    return files

