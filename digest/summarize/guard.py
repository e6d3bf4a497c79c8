"""The faithfulness guard: a generated text may only state what its source states.

A model can write a fluent headline with a wrong number or a name that is not
in the post. The guard rejects a generation when

- it is empty, too short or too long,
- it loops: a unit of 1–4 characters repeated three times or more (结束结束结束),
- a number in it (Arabic or Chinese numerals, with 万/亿/% and the like, dates
  such as 1月16日) does not occur in the source as a whole number, or
- a person, place or organisation name in it (jieba's nr/ns/nt/nz tags, and
  Latin words such as GDP or Z4) does not occur in the source,

comparing both texts after NFKC normalisation, so full-width ２０２６ matches
2026. A rejected generation is replaced by extracted text by the caller, which
records that in `Summary.method`. The guard is deliberately strict: a false
rejection costs a plainer sentence, a false acceptance shows a reader a fact
the post never stated.

jieba is imported only when a name is first checked, so the training recipe
can import the loop check on a machine without jieba.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# A number's magnitude belongs to its value: 5亿 is not 5, and 5% is not 5.
_MAGNITUDE = "万亿千百%‰"
_ARABIC = re.compile(rf"\d+(?:\.\d+)?(?:万亿|[{_MAGNITUDE}])?")
_DATE = re.compile(r"(?:\d{1,4}年)?\d{1,2}月\d{1,2}[日号]|\d{1,4}年\d{1,2}月")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

_CN_DIGITS = "零〇一二三四五六七八九十百千万亿两"
_CN_RUN = re.compile(rf"(?<![\d{_CN_DIGITS}])(第?)([{_CN_DIGITS}]+)(.?)")
_CN_VALUE = set("零〇一二三四五六七八九十两")  # a run of 万/亿/百 alone is a word (百姓, 亿元), not a number
# A single numeral counts as a number when a measure word follows it (三名, 两家)
# or 第 precedes it (第二); otherwise it is usually part of a word (三峡, 统一).
_MEASURE_WORDS = set("个名位人次项条家所座件种台辆年月日天周届批轮场倍成元里米吨起例份部支只架艘层期号处级类大岁")
_NAME_TAGS = ("nr", "ns", "nt", "nz")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+|[0-9]+[A-Za-z][A-Za-z0-9]*")
_LOOP = re.compile(r"(.{1,4}?)\1{2,}", re.S)
_CONTENT = re.compile(r"[\w]", re.U)  # letters, digits and Han characters


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str = ""  # why it was rejected; empty when accepted

    def __bool__(self) -> bool:
        return self.accepted


ACCEPTED = Verdict(True)


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), no whitespace, no thousands commas."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _THOUSANDS.sub("", text)


def content_length(text: str) -> int:
    """Characters that say something: letters, digits and Han characters."""
    return len(_CONTENT.findall(text))


def repeated_unit(text: str) -> str | None:
    """The first unit of 1–4 characters that repeats three times in a row, if any.

    Runs of digits (1000) and of punctuation (……) are not loops.
    """
    for match in _LOOP.finditer(normalise(text)):
        unit = match.group(1)
        if not unit.isdigit() and content_length(unit):
            return unit
    return None


def numbers(text: str) -> list[str]:
    """Every number in a (normalised) text: dates, Arabic numbers with magnitude, Chinese numerals."""
    found = _DATE.findall(text)
    rest = _DATE.sub(" ", text)
    found += _ARABIC.findall(rest)
    for ordinal, run, after in _CN_RUN.findall(rest):
        if not set(run) & _CN_VALUE or (set(run) <= {"一"} and not ordinal):
            continue  # 一个, 一些, 统一: too common to be a stated figure
        if len(run) >= 2 or ordinal or after in _MEASURE_WORDS:
            found.append(ordinal + run + (after if after in _MEASURE_WORDS else ""))
    return found


def occurs_as_number(token: str, source: str) -> bool:
    """`token` occurs in `source` and is not a piece of a longer number there (6日 is not in 16日)."""
    first, last = token[0], token[-1]
    if first.isdigit():
        before = r"(?<![\d.])"
    elif first in _CN_DIGITS:
        before = f"(?<![{_CN_DIGITS}])"
    else:
        before = ""  # 第二, and dates that start with their own unit
    if last.isdigit():
        after = rf"(?![\d{_MAGNITUDE}]|\.\d)"  # 5 is not the 5 of 5亿, 50 or 5.5
    elif last in _CN_DIGITS:
        after = f"(?![{_CN_DIGITS}])"
    else:
        after = ""
    return re.search(before + re.escape(token) + after, source) is not None


class FaithfulnessGuard:
    """check(generated, source) -> Verdict; one instance holds jieba's POS tagger."""

    def __init__(self) -> None:
        self._tagger: Any = None

    def check(self, generated: str, source: str, *, min_chars: int = 4, max_chars: int | None = None) -> Verdict:
        text = normalise(generated)
        if not text:
            return Verdict(False, "empty")
        size = content_length(text)
        if size < min_chars:
            return Verdict(False, f"too short ({size} < {min_chars} characters)")
        if max_chars is not None and len(text) > max_chars:
            return Verdict(False, f"too long ({len(text)} > {max_chars} characters)")
        if "\ufffd" in text:
            return Verdict(False, "broken characters (an incomplete byte sequence)")
        loop = repeated_unit(text)
        if loop:
            return Verdict(False, f"repeats {loop!r}")
        reference = normalise(source)
        for number in numbers(text):
            if not occurs_as_number(number, reference):
                return Verdict(False, f"number {number!r} is not in the source")
        folded = reference.casefold()
        for name in self.names(text):
            if name.casefold() not in folded:
                return Verdict(False, f"name {name!r} is not in the source")
        return ACCEPTED

    def names(self, text: str) -> list[str]:
        """Person, place and organisation names (two characters or more) and Latin words."""
        found = [w for w, flag in self._pos_tagger().cut(text) if flag.startswith(_NAME_TAGS) and len(w) >= 2]
        return found + _LATIN_WORD.findall(text)

    def _pos_tagger(self) -> Any:
        if self._tagger is None:
            import logging

            import jieba
            import jieba.posseg

            jieba.setLogLevel(logging.WARNING)
            # Our own tokenizer: jieba's global one is shared with whoever else imports jieba.
            self._tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
        return self._tagger


@lru_cache(maxsize=1)
def default_guard() -> FaithfulnessGuard:
    return FaithfulnessGuard()
