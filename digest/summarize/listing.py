"""A list post's summary names its items, in the post's own words.

A post that announces measures (天津市教委发布五项举措; 6个方面22条具体措施; “一奖一赛一盟”)
is about its items; its background sentence (…召开专题政策吹风会，…联合解读《…》) is shared
with other posts and says none of them. `list_items` finds a run of numbered items that
starts at the first number and counts up (一是…二是…; 第一个方面，…; （一）…; 一、…; 1.…;
一奖，即…一赛，即…), and names each by its own first clause. `list_summary` joins the
first names that fit summary.max_chars, after the sentence that announces them when that
fits too.

Nothing here writes a word the post lacks: a name is a clause of the post with its end mark
taken off (a marker of its own, 一、 or （一）, dropped; 一是 kept, it reads as words); names
are joined with ；and the summary ends with 。. An item whose first clause is too long to be a
name ends the list there; a list inside a speech (…强调，要做好以下工作：) is a directive, not
what the post announces, unless the headline announces a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .keyfacts import clauses, repeats_headline

MIN_ITEMS = 2  # fewer named items is not a list
MAX_NAME_CHARS = 40  # an item's first clause longer than this is a sentence, not its name
MAX_INTRO_GAP = 3  # the list starts within this many sentences of the top, unless the headline counts
_NUMERALS = "一二三四五六七八九十"
_NUMBER = r"(?:十[一二三四五六七八九]?|[一二三四五六七八九]十?[一二三四五六七八九]?)"
# Each marker style: its pattern (group 1 the number) and whether the marker stays in the name.
_MARKERS = (
    ("shi", re.compile(rf"^({_NUMBER})是"), True),
    ("aspect", re.compile(rf"^第({_NUMBER})(?:个方面|方面|项|条|)[，,、：:]"), False),
    ("paren", re.compile(rf"^[（(]({_NUMBER}|\d{{1,2}})[）)]"), False),
    ("dun", re.compile(rf"^({_NUMBER})、"), False),
    ("digit", re.compile(r"^(\d{1,2})[.、．](?!\d)"), False),
)
# "一奖，即设立…": items that the post named together before (通过“一奖一赛一盟”…).
_NAMED_ITEM = re.compile(r"^一([\u4e00-\u9fff]{1,2})[，,]即")
# A headline or an announcing sentence that counts what follows: 五项举措, 22条措施, 6个方面.
COUNT = re.compile(rf"(?:{_NUMBER}|两|\d+)(?:项|条|个方面|方面|大|类|个)")
_SPEECH_INTRO = re.compile("表示|指出|认为|强调|要求|说|提出要|希望")
_END_MARKS = "，,；;。！？!?：:"


@dataclass(frozen=True)
class ListItem:
    name: str  # the item's own short name, its end mark taken off
    sentence: int  # index of the sentence it opens


def _value(number: str) -> int:
    if number.isdigit():
        return int(number)
    if number == "十":
        return 10
    if "十" in number:
        tens, _, units = number.partition("十")
        return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(units) + 1 if units else 0)
    return _NUMERALS.index(number) + 1


def _item_name(text: str, marker: re.Match, keep_marker: bool) -> str:
    """The first clause after the marker (with the marker where it reads as words)."""
    rest = text if keep_marker else text[marker.end():].lstrip()
    first = clauses(rest)[:1]
    return first[0].rstrip(_END_MARKS) if first else ""


def _pieces(sentences: Sequence[str]) -> list[tuple[int, str]]:
    """Each sentence's parts between ；, with its sentence index: inline lists (一是…；二是…) too."""
    return [(index, part) for index, sentence in enumerate(sentences)
            for part in re.split(r"(?<=[；;])", sentence) if part.strip()]


def list_items(sentences: Sequence[str]) -> list[ListItem]:
    """The post's first run of numbered items, counting up from one in one marker style, each named
    by its own first clause; [] when there is none of at least MIN_ITEMS."""
    pieces = _pieces(sentences)
    for style, pattern, keep in _MARKERS:
        items: list[ListItem] = []
        for index, text in pieces:
            found = pattern.match(text.strip())
            if not found:
                continue
            number = _value(found.group(1))
            if number == len(items) + 1:
                items.append(ListItem(_item_name(text.strip(), found, keep), index))
            elif items and number == 1:
                break  # a second list: the first one is the post's
        if len(items) >= MIN_ITEMS:
            return items
    return _named_items(sentences)


def _named_items(sentences: Sequence[str]) -> list[ListItem]:
    """"一奖，即设立…；一赛，即举办…" where the post first named them together (“一奖一赛一盟”)."""
    items = []
    for index, sentence in enumerate(sentences):
        found = _NAMED_ITEM.match(sentence)
        if found:
            items.append((index, found.group(1), sentence))
    if len(items) < MIN_ITEMS:
        return []
    together = "".join("一" + word for _, word, _ in items)
    if not any(together in sentence for sentence in sentences[: items[0][0]]):
        return []
    named = []
    for index, _, sentence in items:
        parts = clauses(sentence)  # "一奖，" "即设立“…”，"
        named.append(ListItem("".join(parts[:2]).rstrip(_END_MARKS), index))
    return named


def list_summary(sentences: Sequence[str], headline: str, max_chars: int) -> str:
    """The names of a list post's first items that fit `max_chars`, joined with ；and ended with 。,
    after the sentence that announces them where that fits too; "" when the post is not a list post
    (no list, a list too far down or inside a speech while the headline counts nothing, or fewer
    than MIN_ITEMS names that fit)."""
    items = list_items(sentences)
    if not items:
        return ""
    first = items[0].sentence
    intro = sentences[first - 1] if first > 0 else ""
    counted = bool(COUNT.search(headline))
    if not counted and (first > MAX_INTRO_GAP or _SPEECH_INTRO.search(intro)):
        return ""
    names: list[str] = []
    length = 0
    for item in items:
        if not item.name or len(item.name) > MAX_NAME_CHARS or length + len(item.name) + 1 > max_chars:
            break
        names.append(item.name)
        length += len(item.name) + 1
    if len(names) < MIN_ITEMS:
        return ""
    body = "；".join(names) + "。"
    lead = _announcement(intro, headline)
    if lead and len(lead) + len(body) <= max_chars:
        body = lead + body
    return "" if repeats_headline(headline, body) else body


def _announcement(intro: str, headline: str) -> str:
    """The sentence before the items when it announces them (…主要包括：; …通过五方面举措…。) and
    does not say the headline again; its last clause ends with ： so that the names follow it."""
    if not intro or _SPEECH_INTRO.search(intro) and not intro.endswith(("：", ":")):
        return ""
    if not (intro.endswith(("：", ":")) or COUNT.search(intro)) or repeats_headline(headline, intro):
        return ""
    intro = _CONNECTIVE.sub("", intro)
    return intro.rstrip(_END_MARKS) + "："


_CONNECTIVE = re.compile(r"^(?:其中|同时|此外|另外)[，,]")  # ties to the sentence before, which is not there
