"""Classify: give every article one category and say why.

Scores are lexicon weights summed over jieba words, the title counting three
times and the lead twice: Chinese news says what it is about up front, while
a long tail (a meeting that lists economic goals) should not outvote it.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..records import CATEGORIES, Classification, CleanArticle
from ..segment import Segmenter, segmenter
from .lexicon import Lexicon, load_lexicon

FIELD_WEIGHTS = (("title", 3.0), ("lead", 2.0), ("body", 1.0))
MAX_COUNT_PER_FIELD = 3
REASON_TERMS = 4

__all__ = ["Classifier", "Lexicon", "load_lexicon"]


class Classifier:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.segmenter: Segmenter = segmenter(lexicon.all_terms())

    @classmethod
    def default(cls) -> "Classifier":
        return _default_classifier()

    @classmethod
    def from_file(cls, user_lexicon: str | Path | None) -> "Classifier":
        return _cached_classifier(str(user_lexicon) if user_lexicon else None)

    def classify(self, article: CleanArticle) -> Classification:
        lead = article.lead
        rest = "\n".join(s for s in article.sentences if s not in lead)
        return self.classify_text(article.title, lead, rest)

    def classify_text(self, title: str, lead: str = "", body: str = "") -> Classification:
        contributions: dict[str, Counter[str]] = {c: Counter() for c in CATEGORIES}
        for (_, field_weight), text in zip(FIELD_WEIGHTS, (title, lead, body)):
            counts = Counter(self.segmenter.words(text))
            for category, weights in self.lexicon.terms.items():
                for term, weight in weights.items():
                    if counts[term]:
                        contributions[category][term] += weight * field_weight * min(counts[term], MAX_COUNT_PER_FIELD)
        totals = {c: sum(contributions[c].values()) for c in CATEGORIES}
        # Stable: ties go to the earlier category in CATEGORIES.
        ranked = sorted(CATEGORIES, key=lambda c: (-totals[c], CATEGORIES.index(c)))
        best = ranked[0]
        if totals[best] < self.lexicon.min_score:
            best = "society"
        matched = tuple(
            (term, round(points, 1))
            for term, points in sorted(contributions[best].items(), key=lambda kv: (-kv[1], kv[0]))[:REASON_TERMS]
        )
        scores = tuple((c, round(totals[c], 1)) for c in ranked)
        return Classification(category=best, scores=scores, matched=matched)


@lru_cache(maxsize=1)
def _default_classifier() -> Classifier:
    return Classifier(load_lexicon())


@lru_cache(maxsize=4)
def _cached_classifier(user_lexicon: str | None) -> Classifier:
    return Classifier(load_lexicon(user_lexicon)) if user_lexicon else _default_classifier()
