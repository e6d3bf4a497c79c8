"""Word weights learned from labelled news titles: evidence next to the lexicon.

`training/category_weights.py` builds `learned_weights.tsv` from public title datasets
(THUCNews, NLPCC 2017, TNEWS) mapped onto governance, economy and society; no dataset has
weather or transport, so those stay the lexicon's alone. A word's weight is how much more
likely it is in one category's titles than on average (a log-likelihood ratio), so a
decision can say which words tipped it: `会见(+2.1)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from ..segment import STOPWORDS, Segmenter

LEARNED_CATEGORIES = ("governance", "economy", "society")
MAX_WORD_WEIGHT = 3.0  # one rare word may not outvote a title


def features(segmenter: Segmenter, text: str) -> list[str]:
    """The words of a text that can carry weight: no stopwords (并, 的), no numbers, no single Latin letters."""
    return [w for w in segmenter.words(text)
            if w not in STOPWORDS and ((not w.isascii() and not w.isdigit()) or (len(w) > 1 and w.isalpha()))]


@dataclass(frozen=True)
class LearnedWeights:
    weights: Mapping[str, tuple[float, ...]]  # word -> one weight per LEARNED_CATEGORIES

    def evidence(self, words: list[str]) -> dict[str, dict[str, float]]:
        """Per category, each distinct known word's (capped) weight."""
        found: dict[str, dict[str, float]] = {c: {} for c in LEARNED_CATEGORIES}
        for word in dict.fromkeys(words):
            values = self.weights.get(word)
            if values:
                for category, value in zip(LEARNED_CATEGORIES, values):
                    found[category][word] = max(-MAX_WORD_WEIGHT, min(MAX_WORD_WEIGHT, value))
        return found


@lru_cache(maxsize=1)
def load_learned() -> LearnedWeights:
    text = resources.files(__package__).joinpath("learned_weights.tsv").read_text(encoding="utf-8")
    weights = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("word\t"):
            continue
        word, *values = line.split("\t")
        weights[word] = tuple(float(v) for v in values)
    return LearnedWeights(MappingProxyType(weights))
