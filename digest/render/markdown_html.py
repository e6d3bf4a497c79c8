"""Markdown to HTML as a wiki renders it (python-markdown with tables and a table of contents), made safe.

digest's own Markdown escapes every value, but a wiki page may have been
edited by hand, so raw HTML is shown as text, never passed through, and a link
or image keeps its target only when it is http(s), a relative path or an
anchor. `.md` links between pages become links to their `.html` pages.
Headings keep their own words as their anchor (`## 经济` -> `#经济`), as the
wikis that render digest's pages do, so the page's contents line jumps there.
"""

from __future__ import annotations

import posixpath
from typing import Callable
from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..ingest import safe_url


def heading_anchor(text: str, separator: str) -> str:
    """A heading's own words (a unicode slug): `经济` -> `经济`, as GitHub, GitLab and Gitea make them."""
    return slugify_unicode(text, separator) or "section"


def _safe_target(target: str, rewrite: Callable[[str], str]) -> str:
    """The link target if it is safe to keep, rewritten; '' otherwise."""
    target = target.strip()
    if not target:
        return ""
    if target.startswith("#"):
        return target
    try:
        parts = urlsplit(target)
    except ValueError:
        return ""
    if parts.scheme or parts.netloc:
        return safe_url(target)
    if any(ord(ch) < 0x20 for ch in target) or target.startswith("/"):
        return ""
    return rewrite(target)


def md_page_to_html(target: str) -> str:
    """`2026-01-19.md#economy` -> `2026-01-19.html#economy`; other relative targets unchanged."""
    path, hash_, fragment = target.partition("#")
    if path.endswith(".md"):
        path = path[:-3] + ".html"
    return path + hash_ + fragment


class _SafeLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, rewrite: Callable[[str], str]) -> None:
        super().__init__(md)
        self.rewrite = rewrite

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                if attribute in element.attrib:
                    safe = _safe_target(element.attrib[attribute], self.rewrite)
                    if safe:
                        element.set(attribute, safe)
                    else:
                        del element.attrib[attribute]


def markdown_to_html(text: str, rewrite: Callable[[str], str] = md_page_to_html) -> str:
    """HTML of `text`; `rewrite` maps a relative link target (default: .md pages to .html)."""
    converter = markdown.Markdown(
        extensions=["tables", "toc"],
        extension_configs={"toc": {"slugify": heading_anchor}},
        output_format="html",
    )
    # No raw HTML from a page: it is escaped and shown as text.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.treeprocessors.register(_SafeLinks(converter, rewrite), "digest_safe_links", 0)
    return converter.convert(text)


def relative_link(from_page: str, to_page: str) -> str:
    """The link from one site page to another, both given relative to the site root."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
