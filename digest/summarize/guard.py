"""The faithfulness guard: a generated text may only state what its source states.

A model can write a fluent headline with a wrong number or a name that is not
in the post. The guard rejects a generation when

- it is empty, too short or too long,
- it loops: a unit of 1–4 characters repeated three times or more (结束结束结束),
- a number in it (Arabic or Chinese numerals, with 万/亿/% and the like, dates
  such as 1月16日) does not occur in the source as a whole number, nor as the
  same value written another way (五年/5年, 60亿/600000万, 三成/30%, 07年/2007年),
  nor as a date whose parts the source states (16日 and 1月 for 1月16日); a
  number with a unit needs the same unit there (5名 is not stated by 5月), or
- a person, place or organisation name in it (jieba's nr/ns/nt/nz tags, and
  Latin words such as GDP or Z4) does not occur in the source, nor as one of
  a few forms the source supports (湖北省 for 湖北, 中国 for 我国, 中纪委 for
  中央纪律检查委员会); ordinary words jieba's dictionary tags as names
  (曝光, 上市, 城市) are not names (bench/guard_rates.py measures all this),
- a person's name is cut short: 陈敏 where the source names 陈敏尔, or
- a noun of two or more characters in it (jieba's n* tags: 地震, 幼儿园) does
  not occur in the source. A small model trained on 新闻联播 writes fluent
  phrases the post never said (【奋进新征程建功新时代】, 在地震中): no number
  or name gives them away, the nouns do. Verbs and framing words (召开, 推动,
  如何) are free: a headline may say what happened in its own words,

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
from importlib.resources import files
from decimal import Decimal
from typing import Any

# A number's magnitude belongs to its value: 5亿 is not 5, and 5% is not 5.
_MAGNITUDE = "万亿千百%‰"
_ARABIC = re.compile(r"\d+(?:\.\d+)?(?:[百千万]?[万亿]|[千百%‰])?")  # 3千万 is one number, not 3千
_DATE = re.compile(r"(?:\d{1,4}年)?\d{1,2}月\d{1,2}[日号]|\d{1,4}年\d{1,2}月")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

_CN_DIGITS = "零〇一二三四五六七八九十百千万亿两"
_CN_RUN = re.compile(rf"(?<![\d{_CN_DIGITS}])(第?)([{_CN_DIGITS}]+)(.?)")
_CN_VALUE = set("零〇一二三四五六七八九十两")  # a run of 万/亿/百 alone is a word (百姓, 亿元), not a number
# A single numeral counts as a number when a measure word follows it (三名, 两家)
# or 第 precedes it (第二); otherwise it is usually part of a word (三峡, 统一).
_MEASURE_WORDS = set("个名位人次项条家所座件种台辆年月日天周届批轮场倍成元里米吨起例份部支只架艘层期号处级类大岁")
_NAME_TAGS = ("nr", "ns", "nt", "nz")
# Nouns that name no fact, only what kind of thing a sentence is about (投资情况, 有关工作),
# and verbs jieba tags as nouns (助力, 全面).
_FRAMING_NOUNS = frozenset("情况 问题 工作 方面 事项 内容 进展 举措 措施 有关 助力 全面".split())
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL = re.compile(rf"[\d{_CN_DIGITS}]")
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


def _occurrence(token: str) -> str:
    """A pattern for `token` as a whole number: 6日 is not in 16日, 5 is not the 5 of 5亿, 50 or 5.5."""
    first, last = token[0], token[-1]
    if first.isdigit():
        before = r"(?<![\d.])"
    elif first in _CN_DIGITS:
        before = f"(?<![{_CN_DIGITS}])"
    else:
        before = ""  # 第二, and dates that start with their own unit
    if last.isdigit():
        after = rf"(?![\d{_MAGNITUDE}]|\.\d)"
    elif last in "千百万" and first.isdigit():
        after = "(?![万亿])"  # 5万 is not the 5万 of 5万亿
    elif last in _CN_DIGITS:
        after = f"(?![{_CN_DIGITS}])"
    else:
        after = ""
    return before + re.escape(token) + after


def occurs_as_number(token: str, source: str) -> bool:
    """`token` occurs in `source` and is not a piece of a longer number there (6日 is not in 16日)."""
    return re.search(_occurrence(token), source) is not None


# What an Arabic number counts: a measure word or one of these (longest first: 10个百分点
# is not 10个; 百强 and 三国 are words, so only after Arabic numbers; not 省 or 国: a
# headline's 6省 is the source's 6个省份). 262名 = 262人 = 262位 (5个 may be projects).
_UNIT_WORDS = "个百分点 平方公里 平方米 公里 公斤 公顷 小时 分钟 周年 美元 港元 欧元 英镑 韩元".split()
_ARABIC_UNITS = _MEASURE_WORDS | set("亩秒股户套间张篇款强")
_SAME_UNIT = {"人": "名", "位": "名", "号": "日", "周年": "年"}


def _unit_at(rest: str) -> str:
    """The unit `rest` starts with, read past 多/余 (6700多项 counts 项), synonyms folded; "" if none."""
    rest = rest.lstrip("多余")
    word = next((w for w in _UNIT_WORDS if rest.startswith(w)), rest[:1])
    return _SAME_UNIT.get(word, word) if word in _UNIT_WORDS or word in _ARABIC_UNITS else ""


def units(token: str, text: str) -> set[str]:
    """The unit after each place `token` stands in `text` as a whole number ("" where none does)."""
    return {_unit_at(text[match.end():]) for match in re.finditer(_occurrence(token), text)}


# -- The same value written another way. Each number becomes (kind, value): kind
# is "%" for percentages (三成 is 30%), "‰", or "" for everything else, so a
# magnitude always stays part of the value (5亿 != 5万) and 5% never matches 5.
_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_CN_DIGIT_VALUE = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _chinese_int(run: str) -> int | None:
    """十三 -> 13, 三千万 -> 30000000, 二〇一五 -> 2015; None for ranges such as 三四 (3 or 4)."""
    if not any(c in _SCALE for c in run):
        if len(run) == 1 or len(run) >= 4:  # a single digit, or a year spelt digit by digit
            return int("".join(str(_CN_DIGIT_VALUE[c]) for c in run))
        return None
    total = section = digit = 0
    for char in run:
        if char in _CN_DIGIT_VALUE:
            digit = _CN_DIGIT_VALUE[char]
        elif char == "亿":
            total, section, digit = (total + section + digit) * 10**8, 0, 0
        elif char == "万":
            section, digit = (section + digit) * 10**4, 0
        else:  # 十百千; 十三 is 13, with no 一 in front
            section, digit = section + (digit or 1) * _SCALE[char], 0
    return total + section + digit


def value(token: str) -> tuple[str, Decimal] | None:
    """(kind, value) of a number token from `numbers`; None for dates and what cannot be read."""
    arabic = re.fullmatch(r"(\d+(?:\.\d+)?)([百千万亿]*)([%‰]?)", token)
    if arabic:
        amount = Decimal(arabic.group(1))
        for char in arabic.group(2):
            amount *= _SCALE[char]
        return arabic.group(3), amount
    chinese = re.fullmatch(rf"第?([{_CN_DIGITS}]+)(.?)", token)
    if not chinese:
        return None
    number = _chinese_int(chinese.group(1))
    if number is None:
        return None
    if chinese.group(2) == "成":  # 三成 is 30%
        return "%", Decimal(number * 10)
    return "", Decimal(number)


def _measured(token: str, text: str) -> set[tuple[str, Decimal, str]]:
    """(kind, value, unit) for each place `token` stands in `text`: 五名 and 5名 agree,
    三个 and 三名 do not (three projects are not three people), nor 5名 and 5月."""
    read = value(token)
    if read is None:
        return set()
    kind, amount = read
    if kind or token[-1] == "成":
        return {(kind or "%", amount, "")}
    if not token[-1].isdigit() and token[-1] in _MEASURE_WORDS:
        return {(kind, amount, _SAME_UNIT.get(token[-1], token[-1]))}
    return {(kind, amount, unit) for unit in units(token, text)} or {(kind, amount, "")}


def values(text: str) -> set[tuple[str, Decimal, str]]:
    """Every number of a text as (kind, value, measure word)."""
    return {v for token in numbers(text) for v in _measured(token, text)}


# -- Years: a two-digit year is unambiguous only when it has a leading zero (07年)
# or a month follows it (15年3月); 15年 alone may be a duration of fifteen years.
_SHORT_YEAR = re.compile(r"(?<![\d.])(?:'|’)?(0\d|\d\d)年(?=\d{1,2}月)|(?<![\d.])(?:'|’)?(0\d)年")
_DATE_PARTS = re.compile(r"(?:(\d{1,4})年)?(?:(\d{1,2})月)?(?:(\d{1,2})[日号])?")


def _full_year(short: str) -> str:
    return ("20" if int(short) <= 40 else "19") + short


def expand_years(source: str) -> str:
    """07年 -> 2007年 and 15年3月 -> 2015年3月 in a source, where that reading is the only one."""
    return _SHORT_YEAR.sub(lambda m: _full_year(m.group(1) or m.group(2)) + "年", source)


def _date_supported(date: str, source: str) -> str | None:
    """The part of a date the source does not state, or None: 1月16日 is stated by 1月16日,
    or by a bare 16日 (no month in front of it) with 1月 elsewhere in the source."""
    year, month, day = _DATE_PARTS.fullmatch(date).groups()
    if year and not (occurs_as_number(year + "年", source) or occurs_as_number(_full_year(year[-2:]) + "年", source)):
        return year + "年"
    if month and day:
        month_day = f"{month}月{day}日"
        bare_day = re.search(rf"(?<![\d月]){day}[日号]", source)
        if not (re.search(rf"(?<!\d){month}月{day}[日号]", source) or bare_day and occurs_as_number(month + "月", source)):
            return month_day
    elif month and not occurs_as_number(month + "月", source):
        return month + "月"
    return None


def _unit_unsupported(number: str, text: str, source: str, stated: set) -> str | None:
    """The Arabic `number` with the unit the source lacks: 5名 needs 5名 (五名, 5人), not 5月.
    A bare 5 states no unit: any whole-number 5 supports it. A year may drop or add 年
    (2024年 for 启航2024); a bare 10亿 supports 10亿元, and 19个大城市 19大城市."""
    in_source = units(number, source)
    read = value(number)
    supported = in_source | {unit for kind, amount, unit in stated if (kind, amount) == read}
    if read == ("", 1):  # 一 alone is no number in `numbers` (一些, 统一), but 一天 states 1天
        supported |= {_unit_at(source[m.end():]) for m in re.finditer(f"(?<![{_CN_DIGITS}])一", source)} - {""}
    if "" in supported:
        supported.add("元")
    if "个" in supported:
        supported.add("大")  # 19大城市 for 19个大城市
    if re.fullmatch(r"(19|20)\d\d", number) and supported & {"", "年"}:
        supported |= {"", "年"}
    for unit in units(number, text):
        if unit not in supported and not (unit == "" and in_source):
            return number + unit if supported else number
    return None


def unsupported_number(text: str, source: str) -> str | None:
    """The first number in `text` that `source` does not state in any written form, or None."""
    source = expand_years(source)
    stated = values(source)
    # 15年 in a text whose source says 2015年 (and not 15年): the year, not a duration.
    text = re.sub(r"(?<![\d.])(\d\d)年", lambda m: _full_year(m.group(1)) + "年"
                  if _full_year(m.group(1)) + "年" in source and not occurs_as_number(m.group(0), source)
                  else m.group(0), text)
    for number in numbers(text):
        if number[0].isdigit() and number[-1] not in "%‰" and not _DATE.fullmatch(number):
            missing = _unit_unsupported(number, text, source, stated)
        elif occurs_as_number(number, source):
            continue
        elif _DATE.fullmatch(number):
            missing = _date_supported(number, source)
        else:
            missing = None if _measured(number, text) <= stated else number
        if missing:
            return missing
    return None


# Words jieba's dictionary tags nr/ns/nt/nz that are not names (曝光, 上市, 城市; the file says how chosen).
_WORD_LINES = (files(__package__) / "ordinary_words.txt").read_text(encoding="utf-8").splitlines()
ORDINARY_WORDS = frozenset(word for line in _WORD_LINES if not line.startswith("#") for word in line.split())
_STATE_NO_FACT = ORDINARY_WORDS | _FRAMING_NOUNS
# A name the source states in other words: domestic news says 我国 where a headline says 中国.
_ALIASES = {"中国": ("我国", "中方", "国内")}
_PUNCTUATION = r"\s,.;:!?，。、；：！？“”‘’《》（）()"


def name_supported(name: str, tag: str, folded_source: str) -> bool:
    """`name` (with its jieba tag) is stated by the casefolded source, itself or in a form it supports."""
    name = name.casefold()
    if name in folded_source or any(alias in folded_source for alias in _ALIASES.get(name, ())):
        return True
    if len(name) >= 3 and name[-1] in "省市县区" and name[:-1] in folded_source:
        return True  # 湖北省 for 湖北; 北京 for 北京市 is a substring already
    if tag.startswith("nt") and len(name) >= 3:
        # An organisation's abbreviation: its characters in order, close together, in
        # one phrase of the source (中纪委 in 中央纪律检查委员会). Never for people:
        # 李明 is not 李小明.
        gap = f"[^{_PUNCTUATION}]{{0,5}}?"
        return re.search(gap.join(map(re.escape, name)), folded_source) is not None
    return False


def _names(tagged: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    found = [(w, flag) for w, flag in tagged if flag.startswith(_NAME_TAGS) and len(w) >= 2 and w not in ORDINARY_WORDS]
    return found + [(w, "eng") for w in _LATIN_WORD.findall(text)]


def _is_noun(word: str, tag: str) -> bool:
    """A common noun that states something (地震, 幼儿园): names are checked as names,
    verbal nouns (建设, 发展) as the verbs they are, and numbers as numbers."""
    return (tag.startswith("n") and not tag.startswith(_NAME_TAGS) and len(_HAN.findall(word)) >= 2
            and word not in _STATE_NO_FACT and not _NUMERAL.search(word))


class FaithfulnessGuard:
    """check(generated, source) -> Verdict; one instance holds jieba's POS tagger."""

    def __init__(self) -> None:
        self._tagger: Any = None
        self._people: tuple[str, set[str]] = ("", set())  # the last source's cut-short names

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
        number = unsupported_number(text, reference)
        if number:
            return Verdict(False, f"number {number!r} is not in the source")
        # 中共中央、国务院 states 中共中央国务院: a headline drops the enumeration comma.
        folded = reference.casefold() + "\n" + reference.casefold().replace("、", "")
        tagged = list(self._pos_tagger().cut(text))
        for name, tag in _names(tagged, text):
            if not name_supported(name, tag, folded):
                return Verdict(False, f"name {name!r} is not in the source")
            if tag.startswith("nr") and name in self._cut_short_people(reference):
                return Verdict(False, f"name {name!r} is cut short (the source names someone longer)")
        for word, tag in tagged:
            if _is_noun(word, tag) and word.casefold() not in folded:
                return Verdict(False, f"noun {word!r} is not in the source")
        return ACCEPTED

    def _cut_short_people(self, source: str) -> set[str]:
        """Beginnings of the source's people's names that it never uses alone: 陈敏 of 陈敏尔.

        Kept for the last source: a headline's candidates are checked one after another against it.
        """
        if self._people[0] != source:
            people = {w for w, flag in self._pos_tagger().cut(source) if flag.startswith("nr")}
            self._people = (source, {person[:k] for person in people for k in range(2, len(person))} - people)
        return self._people[1]

    def _pos_tagger(self) -> Any:
        if self._tagger is None:
            from ..jieba_tables import pos_tagger

            # Our own tokenizer (jieba's global one is shared with whoever else imports jieba),
            # over the dictionary the segmenter loaded.
            self._tagger = pos_tagger()
        return self._tagger


@lru_cache(maxsize=1)
def default_guard() -> FaithfulnessGuard:
    return FaithfulnessGuard()
