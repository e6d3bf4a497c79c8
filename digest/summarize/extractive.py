"""The extractive backend: whole sentences picked by position and TextRank.

Also the guarded fallback of the model backend, so it must never fail on odd
text: an article with no sentence still gets its title back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..records import CleanArticle, Summary
from ..segment import Segmenter, segmenter
from . import SummaryOptions, register

DAMPING = 0.85
ITERATIONS = 40
POSITION_WEIGHT = 0.5  # lead sentences carry who/what/when in Chinese news
TITLE_WEIGHT = 0.2
REDUNDANCY = 0.5  # share of a candidate's words already said: skip it
MIN_SENTENCE_CHARS = 8


@dataclass(frozen=True)
class ExtractiveSummarizer:
    options: SummaryOptions
    segmenter: Segmenter
    name: str = "extractive"

    def __call__(self, article: CleanArticle) -> Summary:
        headline, headline_method = extract_headline(article, self.options.headline_max_chars)
        return Summary(
            headline=headline,
            text=self.summary_text(article),
            method=self.name,
            headline_method=headline_method,
        )

    def summary_text(self, article: CleanArticle) -> str:
        units = candidate_units(article.sentences, self.options.max_chars)
        if not units:
            return ""
        scores = self._scores(units, article.title)
        chosen: list[int] = []
        chosen_words: set[str] = set()
        length = 0
        for index in sorted(range(len(units)), key=lambda k: (-scores[k], k)):
            unit = units[index]
            if length + len(unit) > self.options.max_chars and chosen:
                continue
            words = set(self.segmenter.content_words(unit))
            if words and len(words & chosen_words) / len(words) > REDUNDANCY:
                continue
            chosen.append(index)
            chosen_words |= words
            length += len(unit)
            if length >= self.options.min_chars or len(chosen) == self.options.max_sentences:
                break
        return "".join(units[k] for k in sorted(chosen))

    def _scores(self, units: list[str], title: str) -> list[float]:
        words = [set(self.segmenter.content_words(u)) for u in units]
        rank = textrank(words)
        top = max(rank) or 1.0
        title_words = set(self.segmenter.content_words(title))
        scores = []
        for position, (unit_words, value) in enumerate(zip(words, rank)):
            overlap = len(unit_words & title_words) / len(title_words) if title_words else 0.0
            scores.append(
                (1 - POSITION_WEIGHT - TITLE_WEIGHT) * value / top
                + POSITION_WEIGHT / (1 + position)
                + TITLE_WEIGHT * overlap
            )
        return scores


def candidate_units(sentences: tuple[str, ...], max_chars: int) -> list[str]:
    """Sentences, with over-long ones split at ；(a clause boundary, never mid-clause)."""
    units = []
    for sentence in sentences:
        if len(sentence) <= max_chars:
            pieces = [sentence]
        else:
            pieces = [p for p in re.split(r"(?<=；)", sentence) if p]
            # A clause that ends in ；closes the summary badly: end it with 。 instead.
            pieces = [p[:-1] + "。" if p.endswith("；") else p for p in pieces]
        units.extend(p for p in pieces if len(p) >= MIN_SENTENCE_CHARS and len(p) <= max_chars)
    return units


def textrank(words: list[set[str]]) -> list[float]:
    """PageRank over sentences, edges weighted by shared words (Mihalcea & Tarau 2004)."""
    size = len(words)
    if size == 1:
        return [1.0]
    weights = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            shared = len(words[i] & words[j])
            if shared and len(words[i]) > 1 and len(words[j]) > 1:
                weights[i][j] = weights[j][i] = shared / (math.log(len(words[i])) + math.log(len(words[j])))
    out_sums = [sum(row) for row in weights]
    rank = [1.0 / size] * size
    for _ in range(ITERATIONS):
        rank = [
            (1 - DAMPING) / size
            + DAMPING * sum(weights[j][i] / out_sums[j] * rank[j] for j in range(size) if out_sums[j])
            for i in range(size)
        ]
    return rank


# Clickbait titles tease instead of telling: "天津这项指标全国居首！".
_TEASER = re.compile(r"这[项个家场些一类]|此类|又一|又是|又迎|重磅|厉害了|官宣|刚刚|速看|揭晓|——$|……$|…$")
_LEADING_TIME = re.compile(
    r"^(?:\d{1,2}月\d{1,2}日(?:[上下]午|晚|早)?|昨[日天](?:[上下]午|晚)?|今[日天]|近日|日前|\d{4}年\d{1,2}月\d{1,2}日)[，,]?"
)
_SOURCE_PHRASE = re.compile(r"^记者从[^，]{2,30}获悉[，,]|^从[^，]{2,30}获悉[，,]|^据[^，]{2,20}消息[，,]")


def is_teaser(title: str) -> bool:
    return bool(_TEASER.search(title)) or len(title.strip("！!？?。…—")) < 8


def extract_headline(article: CleanArticle, max_chars: int) -> tuple[str, str]:
    """The title when it informs; else the lead sentence's opening clauses."""
    title = article.title.strip().rstrip("！!—…").strip()
    if not is_teaser(article.title) and title:
        return title, "title"
    for sentence in article.sentences[:2]:
        clause = lead_clause(sentence, max_chars)
        if clause:
            return clause, "lead"
    return title or article.title, "title"


def lead_clause(sentence: str, max_chars: int) -> str:
    """Whole clauses from the start of a sentence, without its dateline."""
    text = _SOURCE_PHRASE.sub("", _LEADING_TIME.sub("", sentence.strip()))
    text = _LEADING_TIME.sub("", text)
    clauses = [c for c in re.split(r"(?<=[，,；。！？])", text) if c]
    headline = ""
    for clause in clauses:
        candidate = headline + clause
        if len(candidate.rstrip("，,；。！？")) > max_chars:
            break
        headline = candidate
        if len(headline) >= 14:
            break
    return headline.rstrip("，,；。！？ ")


@register("extractive")
def _extractive(options: SummaryOptions) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(options=options, segmenter=segmenter())
