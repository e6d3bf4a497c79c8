"""The clean stage: Article -> CleanArticle.

    clean_article(article)  normalised title, paragraphs, body sentences and
                            the 来源/credit trailers split off the text
    clean_title(title)      the title's characters and spacing, same wording
    split_sentences(text)   a Chinese sentence splitter (see sentences.py)
"""

from __future__ import annotations

from digest.clean.sentences import split_sentences
from digest.clean.text import build_paragraphs, clean_lines, clean_title, extract_trailers
from digest.records import Article, CleanArticle

__all__ = ["clean_article", "clean_title", "split_sentences"]


def clean_article(article: Article) -> CleanArticle:
    """Normalise one article; a pure function of its fields."""
    title = clean_title(article.title)
    lines = clean_lines(article.content)
    # Some posts repeat the title as their first line; it adds nothing to the body.
    first = next((k for k, line in enumerate(lines) if line), None)
    if first is not None and title and clean_title(lines[first]) == title:
        lines = lines[first + 1 :]
    lines, outlet, credits = extract_trailers(lines)
    paragraphs = tuple(build_paragraphs(lines))
    sentences = tuple(
        sentence
        for paragraph in paragraphs
        if not paragraph.is_heading
        for sentence in split_sentences(paragraph.text)
    )
    return CleanArticle(
        article=article,
        title=title,
        paragraphs=paragraphs,
        sentences=sentences,
        source_outlet=outlet,
        credits=credits,
    )
