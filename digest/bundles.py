"""Bundles: a post that carries several short news items under one generic title.

"国内联播快讯", "要闻简讯", "一周要闻速览": each item has its own subtitle line and a paragraph or
two. Such a post is split into one Article per item, so each gets its own headline, category
and summary. A part's aid is the post's aid with "#1", "#2"… appended and its `bundle` is the
post's aid; every part links to the original post, and the post counts once in the briefing's
totals (its first part counts, the others do not: `counts_as_post`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .clean.text import build_paragraphs, clean_lines, clean_title
from .records import Article

# A title that announces a roundup rather than one story.
_BUNDLE_TITLE = re.compile(r"快讯|简讯|速览|速递|要闻汇总|新闻汇总|一周要闻|要闻回顾|早知道|新闻早班车")
MIN_ITEMS = 2
MAX_SUBTITLE_CHARS = 40


def split_bundle(article: Article) -> tuple[Article, ...]:
    """The post's items as Articles of their own; (article,) when it is not a bundle."""
    if not _BUNDLE_TITLE.search(clean_title(article.title)):
        return (article,)
    items: list[tuple[str, list[str]]] = []
    for paragraph in build_paragraphs(clean_lines(article.content)):
        if paragraph.is_heading and len(paragraph.text) <= MAX_SUBTITLE_CHARS:
            items.append((paragraph.text, []))
        elif items:
            items[-1][1].append(paragraph.text)
        # Text before the first subtitle is an opening line ("本期要闻：") and stays with no item.
    items = [(subtitle, texts) for subtitle, texts in items if texts]
    if len(items) < MIN_ITEMS:
        return (article,)
    return tuple(
        replace(article, aid=f"{article.aid}#{number}", title=subtitle, content="\n".join(texts),
                bundle=article.aid)
        for number, (subtitle, texts) in enumerate(items, start=1)
    )
