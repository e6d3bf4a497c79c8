"""The extractive backend: the headline from the post's own words, and whole clauses that add to it.

The summary's sentences are chosen by the learned key-fact score (keyfacts.py),
never one that says the headline again: a lead that says the headline gives
what it says after it, first (condense.py). Also the guarded fallback of the
model backend, so it must never fail on odd text. It never cuts a clause: a
sentence too long for the limit gives its first whole clauses that end a
statement, and a post with nothing of the kind gets an empty summary (its
headline and link still stand).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import CleanArticle, Summary
from ..segment import Segmenter, default_segmenter
from . import SummaryOptions, register
from .headline import EVENT_VERB, LEAD_WINDOW, extract_headline
from .condense import fit_clauses, subtract_headline
from .listing import list_summary
from .keyfacts import default_scorer, headline_echo, new_facts, repeats_headline, sentence_units

# The learned score says which sentence tells what happened; a summary under a headline should add
# to it: less for each share of the headline a sentence repeats, more for each figure, date or
# document name it adds (at most MAX_FACTS). Set by hand on the seed posts (bench/summary_pairs.py).
ECHO_WEIGHT = 2.0
FACT_WEIGHT = 0.5
MAX_FACTS = 3
# A lead that says the headline and then what happened (…全体会议，讨论并原则通过《…》): what it says
# next comes first, before background and speeches; so does a decision (市人民政府决定，授予…); a
# sentence that opens on a person or a directive it does not name (他强调…, 要…) reads badly first.
LEAD_WEIGHT = 2.0
DECISION_WEIGHT = 3.0
DANGLING_WEIGHT = 1.0
FOLLOW_UP_FACTS = 2  # a sentence after a lead that was all headline goes first if it adds this many figures
REDUNDANCY = 0.5  # share of a candidate's words already said: skip it
MIN_SENTENCE_CHARS = 8
LEAD_STRETCH = 1.6  # a news lead may run past max_chars by this factor rather than be cut
MAX_UNITS = 150  # news puts what matters first; later sentences only cost time

# Sentences that report something: a dateline or an event verb.
_DATELINE = re.compile(r"\d{1,2}月\d{1,2}日|昨[日天]|今[日天]|近日|日前|\d{4}年|截至|今年|去年")
_DECIDES = re.compile("决定[，,]|原则同意|授予")
# "此次论坛由…主办，…承办": who organised an event, not what happened there.
_ORGANISERS = re.compile(r"由[^。]{2,60}(?:主办|承办|指导|发起)")
_AT_THE_EVENT = re.compile(r"^(?:活动|会议|仪式|发布会|大会|论坛)?(?:中|上|期间|现场)[，,]|^会上")
# Poster lines and subtitles carry no end mark; run together they read as one garbled sentence.
_ENDS_STATEMENT = re.compile(r"[。！？!?…”」』）)]$")
_DANGLING_OPENING = re.compile(r"^(?:他|她|其|要|并|同时|此外)")
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
        # A list post (五项举措) is about its items: their names come before any background sentence.
        text = list_summary(article.sentences, headline, self.options.max_chars)
        return Summary(
            headline=headline,
            text=text or self.summary_text(units, headline, lead),
            method=self.name,
            headline_method=headline_method,
        )

    def summary_text(self, units: list[str], headline: str, lead: int | None = None) -> str:
        """Whole clauses of the post that add to the headline what it does not say: the best by the
        learned key-fact score first, less what each repeats of the headline, what the lead says
        after the headline first of all; none that says the headline again (`repeats_headline`);
        within max_chars (`summary_units`); in document order."""
        if not units:
            return ""
        pieces = summary_units(units, headline, self.options.max_chars)
        follow_up = lead_follow_up(units, pieces, headline, lead)
        learned = default_scorer().score(sentence_units(pieces), "sentence")
        scores = [score - ECHO_WEIGHT * headline_echo(headline, piece)
                  + FACT_WEIGHT * min(new_facts(headline, piece), MAX_FACTS)
                  + LEAD_WEIGHT * (index == follow_up) + DECISION_WEIGHT * bool(_DECIDES.search(piece))
                  - DANGLING_WEIGHT * bool(_DANGLING_OPENING.match(piece))
                  for index, (score, piece) in enumerate(zip(learned, pieces))]
        ended = any(_ENDS_STATEMENT.search(piece) for piece in pieces)  # else a poster line beats nothing
        order = sorted(range(len(pieces)), key=lambda k: (-scores[k], k))
        chosen: list[int] = []
        chosen_words: set[str] = set()
        length = 0
        for index in order:
            unit = pieces[index]
            if not unit or length + len(unit) > self.options.max_chars or repeats_headline(headline, unit):
                continue
            if ended and not _ENDS_STATEMENT.search(unit):
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
        return "".join(pieces[k] for k in sorted(chosen))


def summary_units(units: list[str], headline: str, max_chars: int) -> list[str]:
    """What each candidate sentence may give a summary under `headline`: itself, less the clauses
    the headline says (`subtract_headline`), cut to its first whole clauses that fit max_chars
    (`fit_clauses`); "" where nothing is left."""
    return [fit_clauses(subtract_headline(headline, unit), max_chars) for unit in units]


def lead_follow_up(units: list[str], pieces: list[str], headline: str, lead: int | None) -> int | None:
    """What to say first: where a lead that said the headline goes on (its own remaining clauses,
    else the next sentence near the top that says something, not only who organised it), else the
    first decision (市人民政府决定，授予…; 原则同意…); None when there is neither."""
    start = lead or 0
    if start < len(units) and pieces[start] != units[start]:
        for index in range(start, min(len(pieces), start + LEAD_WINDOW)):
            piece = pieces[index]
            if not piece or _LOW_VALUE.search(piece) or _DANGLING_OPENING.match(piece):
                continue
            if index > start and _ORGANISERS.search(piece) and not _AT_THE_EVENT.match(piece) \
                    and new_facts(headline, piece) < FOLLOW_UP_FACTS:
                break
            return index
    return next((index for index, piece in enumerate(pieces) if _DECIDES.search(piece)), None)


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
