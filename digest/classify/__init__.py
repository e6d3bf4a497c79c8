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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ..records import CATEGORIES, Classification, CleanArticle
from ..segment import Segmenter, segmenter
from .learned import LEARNED_CATEGORIES, LearnedWeights, features, load_learned
from .lexicon import Lexicon, Tuning, load_lexicon

FIELD_WEIGHTS = (("title", 3.0), ("lead", 2.0), ("body", 1.0))
MAX_COUNT_PER_FIELD = 3
REASON_TERMS = 4
LEARNED_FIELDS = (2.0, 1.0)  # title, lead: titles are what the weights were learned on
REASON_LEARNED = 3

__all__ = ["Classifier", "Evidence", "Lexicon", "Tuning", "load_lexicon"]


@dataclass(frozen=True)
class Evidence:
    lexicon: Mapping[str, Counter[str]]  # category -> lexicon term -> points
    learned: Mapping[str, Mapping[str, float]]  # learned category -> word -> log-likelihood ratio


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
        return self.decide(self.evidence(title, lead, body))

    def evidence(self, title: str, lead: str = "", body: str = "") -> Evidence:
        """What the text says for each category: lexicon points per term, learned points per word."""
        contributions: dict[str, Counter[str]] = {c: Counter() for c in CATEGORIES}
        for (_, field_weight), text in zip(FIELD_WEIGHTS, (title, lead, body)):
            counts = Counter(self.segmenter.words(text))
            for category, weights in self.lexicon.terms.items():
                for term, weight in weights.items():
                    if counts[term]:
                        contributions[category][term] += weight * field_weight * min(counts[term], MAX_COUNT_PER_FIELD)
        return Evidence(lexicon=contributions, learned=self._learned_evidence(title, lead))

    def decide(self, evidence: Evidence, tuning: Tuning | None = None) -> Classification:
        """The category with the most points, lexicon + scaled learned words + the category's prior."""
        tuning = tuning or self.lexicon.tuning
        totals = {c: sum(evidence.lexicon[c].values()) for c in CATEGORIES}
        learned = evidence.learned
        combined = {c: totals[c] + tuning.learned_scale * sum(learned.get(c, {}).values()) for c in CATEGORIES}
        with_prior = {c: combined[c] + tuning.prior.get(c, 0.0) for c in CATEGORIES}
        # Stable: ties go to the earlier category in CATEGORIES.
        ranked = sorted(CATEGORIES, key=lambda c: (-with_prior[c], CATEGORIES.index(c)))
        best = ranked[0]
        if best == "transport" and totals["weather"] >= tuning.weather_first:
            best = "weather"
        unsure = max(totals.values()) < tuning.min_score and combined[best] < tuning.min_score
        if unsure:
            best = "society"  # neither the lexicon nor the learned words are sure: the catch-all
        # The prior is named in the reason only where it, not the evidence, decided.
        evidence_only = max(CATEGORIES, key=lambda c: (combined[c], -CATEGORIES.index(c)))
        prior = tuning.prior.get(best, 0.0) if evidence_only != best and best == ranked[0] and not unsure else 0.0
        matched = tuple(
            (term, round(points, 1))
            for term, points in sorted(evidence.lexicon[best].items(), key=lambda kv: (-kv[1], kv[0]))[:REASON_TERMS]
        )
        words = tuple(
            (word, round(tuning.learned_scale * points, 1))
            for word, points in sorted(learned.get(best, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            if points >= 0.5
        )[:REASON_LEARNED]
        scores = tuple((c, round(with_prior[c], 1)) for c in ranked)
        return Classification(category=best, scores=scores, matched=matched, learned=words, prior=prior)

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
