"""Classify: give every article one category and say why.

Two kinds of evidence, added up per category:

- the lexicon (prior knowledge): term weights summed over jieba words, the title
  counting three times and the lead twice: Chinese news says what it is about up
  front, while a long tail (a meeting that lists economic goals) should not outvote it;
- learned word weights (`learned.py`): log-likelihood ratios from labelled news titles,
  over the title and the lead, scaled by LEARNED_SCALE. They cover governance, economy
  and society; weather and transport are the lexicon's alone, so a typhoon that stops
  trains is weather by its terms, and the learned words cannot make it anything else
  unless the lexicon is unsure.

The reason names the lexicon terms and the learned words that decided.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..records import CATEGORIES, Classification, CleanArticle
from ..segment import Segmenter, segmenter
from .learned import LEARNED_CATEGORIES, LearnedWeights, features, load_learned
from .lexicon import Lexicon, load_lexicon

FIELD_WEIGHTS = (("title", 3.0), ("lead", 2.0), ("body", 1.0))
MAX_COUNT_PER_FIELD = 3
REASON_TERMS = 4
LEARNED_FIELDS = (2.0, 1.0)  # title, lead: titles are what the weights were learned on
LEARNED_SCALE = 1.5  # points of lexicon score per unit of learned log-likelihood ratio
REASON_LEARNED = 3
# Weather that disrupts transport is weather: a transport story that also scores this many
# weather points (a weather term in the title, or two in the lead) is filed under weather.
WEATHER_FIRST = 12.0

__all__ = ["Classifier", "Lexicon", "load_lexicon"]


class Classifier:
    def __init__(self, lexicon: Lexicon, learned: LearnedWeights | None = None) -> None:
        self.lexicon = lexicon
        self.segmenter: Segmenter = segmenter(lexicon.all_terms())
        self.learned = learned if learned is not None else load_learned()

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
        learned = self._learned_evidence(title, lead)
        combined = {c: totals[c] + LEARNED_SCALE * sum(learned.get(c, {}).values()) for c in CATEGORIES}
        # Stable: ties go to the earlier category in CATEGORIES.
        ranked = sorted(CATEGORIES, key=lambda c: (-combined[c], CATEGORIES.index(c)))
        best = ranked[0]
        if best == "transport" and totals["weather"] >= WEATHER_FIRST:
            best = "weather"
        if max(totals.values()) < self.lexicon.min_score and combined[best] < self.lexicon.min_score:
            best = "society"  # neither the lexicon nor the learned words are sure: the catch-all
        matched = tuple(
            (term, round(points, 1))
            for term, points in sorted(contributions[best].items(), key=lambda kv: (-kv[1], kv[0]))[:REASON_TERMS]
        )
        words = tuple(
            (word, round(LEARNED_SCALE * points, 1))
            for word, points in sorted(learned.get(best, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            if points >= 0.5
        )[:REASON_LEARNED]
        scores = tuple((c, round(combined[c], 1)) for c in ranked)
        return Classification(category=best, scores=scores, matched=matched, learned=words)

    def _learned_evidence(self, title: str, lead: str) -> dict[str, dict[str, float]]:
        """Per learned category, each word's points over the title and the lead."""
        evidence: dict[str, dict[str, float]] = {c: {} for c in LEARNED_CATEGORIES}
        for field_weight, text in zip(LEARNED_FIELDS, (title, lead)):
            for category, words in self.learned.evidence(features(self.segmenter, text)).items():
                for word, value in words.items():
                    evidence[category][word] = evidence[category].get(word, 0.0) + field_weight * value
        return evidence

@lru_cache(maxsize=1)
def _default_classifier() -> Classifier:
    return Classifier(load_lexicon())


@lru_cache(maxsize=4)
def _cached_classifier(user_lexicon: str | None) -> Classifier:
    return Classifier(load_lexicon(user_lexicon)) if user_lexicon else _default_classifier()
