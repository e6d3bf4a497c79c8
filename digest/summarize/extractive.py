"""The extractive backend: the headline from the post's own words, and whole sentences that add to it.

The summary's sentences are chosen by the learned key-fact score (keyfacts.py),
never one that says the headline again. Also the guarded fallback of the model
backend, so it must never fail on odd text. It never cuts a sentence: a post
whose every sentence is longer than the limit, or repeats the headline, gets an
empty summary (its headline and link still stand).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import CleanArticle, Summary
from ..segment import Segmenter, default_segmenter
from . import SummaryOptions, register
from .headline import EVENT_VERB, LEAD_WINDOW, extract_headline
from .keyfacts import default_scorer, headline_echo, new_facts, remainder, repeats_headline, sentence_units

# The learned score says which sentence tells what happened; a summary under a headline should add
# to it: less for each share of the headline a sentence repeats, more for each figure, date or
# document name it adds (at most MAX_FACTS). Set by hand on the seed posts (bench/summary_pairs.py).
ECHO_WEIGHT = 2.0
FACT_WEIGHT = 0.5
MAX_FACTS = 3
REDUNDANCY = 0.5  # share of a candidate's words already said: skip it
MIN_SENTENCE_CHARS = 8
LEAD_STRETCH = 1.6  # a news lead may run past max_chars by this factor rather than be cut
MAX_UNITS = 150  # news puts what matters first; later sentences only cost time

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
            text=self.summary_text(units, headline),
            method=self.name,
            headline_method=headline_method,
        )

    def summary_text(self, units: list[str], headline: str) -> str:
        """Whole sentences that add to the headline what it does not say: the best by the learned
        key-fact score first, less what each repeats of the headline; none that says the headline
        again (`repeats_headline`), though the clauses that follow the headline in its own sentence
        may be used (`remainder`); within max_chars; in document order."""
        if not units:
            return ""
        # A sentence that says the headline again offers the clauses after it, if they add.
        units = [remainder(headline, unit) if repeats_headline(headline, unit) else unit for unit in units]
        learned = default_scorer().score(sentence_units(units), "sentence")
        scores = [score - ECHO_WEIGHT * headline_echo(headline, unit)
                  + FACT_WEIGHT * min(new_facts(headline, unit), MAX_FACTS) for score, unit in zip(learned, units)]
        order = sorted(range(len(units)), key=lambda k: (-scores[k], k))
        chosen: list[int] = []
        chosen_words: set[str] = set()
        length = 0
        for index in order:
            unit = units[index]
            if not unit or length + len(unit) > self.options.max_chars or repeats_headline(headline, unit):
                continue
            if chosen and _LOW_VALUE.search(unit):
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


_LATER_POINT = re.compile(r"^[二三四五六七八九十]+、")


@register("extractive")
def _extractive(options: SummaryOptions) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(options=options, segmenter=default_segmenter())
