"""The extractive backend: whole sentences picked by position and TextRank.

Also the guarded fallback of the model backend, so it must never fail on odd
text. It never cuts a sentence: a post whose every sentence is longer than the
limit gets an empty summary (its headline and link still stand).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..records import CleanArticle, Summary
from ..segment import Segmenter, default_segmenter
from . import SummaryOptions, register
from .headline import EVENT_VERB, LEAD_WINDOW, extract_headline
from .titles import char_pairs

DAMPING = 0.85
ITERATIONS = 40
RANK_WEIGHT = 0.45
POSITION_WEIGHT = 0.35  # lead sentences carry who/what/when in Chinese news
TITLE_WEIGHT = 0.2
REDUNDANCY = 0.5  # share of a candidate's words already said: skip it
MIN_SENTENCE_CHARS = 8
LEAD_STRETCH = 1.6  # a news lead may run past max_chars by this factor rather than be cut
MAX_UNITS = 150  # TextRank is quadratic; news puts what matters first anyway

# Sentences that report something: a dateline or an event verb.
_DATELINE = re.compile(r"\d{1,2}月\d{1,2}日|昨[日天]|今[日天]|近日|日前|\d{4}年|截至|今年|去年")
# Roll calls ("市领导…出席。") and questions say little on their own.
_LOW_VALUE = re.compile(r"(出席|参加|陪同|列席)[。！]?$|[？?][”」』]?$")


@dataclass(frozen=True)
class ExtractiveSummarizer:
    options: SummaryOptions
    segmenter: Segmenter
    name: str = "extractive"

    def __call__(self, article: CleanArticle) -> Summary:
        limit = round(self.options.max_chars * LEAD_STRETCH)
        units = candidate_units(article.sentences, limit)
        if not units:
            # Only very short or over-long sentences: a short one still says something.
            units = [s for s in article.sentences if len(s) <= limit][:1]
        lead = find_lead(units)
        headline, headline_method = extract_headline(article, units, lead, self.options.headline_max_chars)
        return Summary(
            headline=headline,
            text=self.summary_text(article.title, units, lead),
            method=self.name,
            headline_method=headline_method,
        )

    def summary_text(self, title: str, units: list[str], lead: int | None) -> str:
        """Whole sentences: the lead first, then the best-ranked ones, in document order."""
        if not units:
            return ""
        scores = self._scores(units, title)
        order = sorted(range(len(units)), key=lambda k: (-scores[k], k))
        if lead is not None:
            order.remove(lead)
            order.insert(0, lead)
        chosen: list[int] = []
        chosen_words: set[str] = set()
        length = 0
        for index in order:
            unit = units[index]
            if chosen and (length + len(unit) > self.options.max_chars or _LOW_VALUE.search(unit)):
                continue
            if not chosen and len(unit) > self.options.max_chars and index != lead:
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
        wanted = char_pairs(title)
        scores = []
        for position, (unit, value) in enumerate(zip(units, rank)):
            overlap = len(char_pairs(unit) & wanted) / len(wanted) if wanted else 0.0
            penalty = 0.3 if _LOW_VALUE.search(unit) else 0.0
            scores.append(
                RANK_WEIGHT * value / top + POSITION_WEIGHT / (1 + position) + TITLE_WEIGHT * overlap - penalty
            )
        return scores


def find_lead(units: list[str]) -> int | None:
    """The first sentence that reports: a dateline or an event verb, not a roll call."""
    for index, unit in enumerate(units[:LEAD_WINDOW]):
        if _LATER_POINT.match(unit):
            continue
        if len(unit) >= 15 and not _LOW_VALUE.search(unit) and (_DATELINE.search(unit) or EVENT_VERB.search(unit)):
            return index
    return None


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
        units.extend(p for p in pieces if MIN_SENTENCE_CHARS <= len(p) <= max_chars and not _OPENS_LIST.search(p))
    return units[:MAX_UNITS]


# "主要包括：" or a salutation ("各区人民政府：") only announces what follows.
_OPENS_LIST = re.compile(r"[：:]$")


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


_LATER_POINT = re.compile(r"^[二三四五六七八九十]+、")


@register("extractive")
def _extractive(options: SummaryOptions) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(options=options, segmenter=default_segmenter())
