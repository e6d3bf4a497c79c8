"""Whole clauses of one sentence for a summary: what a lead adds to its headline, and what fits.

A news lead often says the headline and then the key fact in one sentence: "1月16日上午，
市长张工主持召开市第十八届人民政府第三次全体会议，讨论并原则通过…《政府工作报告（讨论稿）》…。"
under "张工主持召开市政府全体会议". `subtract_headline` takes out the clauses the headline
already says (tolerating a dateline, a source and qualifiers such as 第十八届人民政府第三次)
and keeps what follows. `fit_clauses` keeps the first whole clauses of a sentence that fit
summary.max_chars, after framing clauses (为表彰先进，…根据…规定，) that lead up to a decision.

Nothing here writes a word the post lacks: a sentence loses whole clauses from its start or
its end, or (only the headline's own clauses) from its middle; a cut list of document names
ends with "…", or with 等 where the post says 等 after it; a statement cut after a clause ends
with 。 only when that clause completes what it says.
"""

from __future__ import annotations

import re

from .headline import is_open_ended
from .keyfacts import MIN_NEW_CHARS, clauses, echo_runs, repeats_headline
from .rouge import rouge_units

HEADLINE_CLAUSE_SHARE = 0.7  # a clause this much made of the headline's runs says (part of) the headline
MIN_SAID_CHARS = 8  # ... and at least this many of its characters
CUT_MARK = "…"  # a list of document names cut short, where the post does not say 等 after it

_DATELINE_CLAUSE = re.compile(
    r"^(?:当地时间)?(?:\d{4}年)?(?:\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?|昨[日天]|今[日天]|近日|日前)"
    r"(?:[上下]午|晚间?|早间?|凌晨)?[，,]$"
)
# "昨日从…获悉，" "据了解，": who told, not what happened.
_SOURCE_CLAUSE = re.compile(r"^(?:[^，,]{0,6}(?:记者)?从[^，,]{2,50}获悉|据(?:了解|悉|介绍|统计)|记者[^，,]{0,12}获悉)[，,]$")
# "作为天津市首个以骑行为主题的文创街区，": what the headline's subject is; it stays with what follows.
_APPOSITION = re.compile(r"^作为[^，,]{2,40}[，,]$")
# A sentence led by these clauses says why or under what rule; the decision comes after them.
_PURPOSE = re.compile(r"^(?:为了?|根据|按照|依据|依照|经)")
_DECISION = re.compile(r"决定|原则同意|同意|批准|授予|予以")
_DOCUMENT_LIST = re.compile(r"(?:《[^《》]+》[、，,和及与]?){2,}")
_CLAUSE_MARKS = "，,；;、：:"


def said_by_headline(headline: str, clause: str) -> bool:
    """Whether a clause says the headline (or its part): "市长张工主持召开市第十八届人民政府第三次
    全体会议，" under "张工主持召开市政府全体会议"."""
    _, covered, length = echo_runs(headline, clause)
    if covered < MIN_SAID_CHARS:
        return False  # "市人民政府决定，" under "天津市人民政府关于…的决定" says who, not the headline
    return repeats_headline(headline, clause) or covered / length >= HEADLINE_CLAUSE_SHARE


def subtract_headline(headline: str, sentence: str) -> str:
    """The sentence without the clauses its headline says; the sentence itself when it has none.

    What follows the headline's clauses stays (its subject is the headline's); before them, a
    dateline stays when nothing else stood between it and the headline, an apposition
    (作为…，) stays, a source (…获悉，) goes, and any other clause goes, since what follows the
    headline is not about it. "" when what is left after the headline is too little to say
    anything (MIN_NEW_CHARS // 2) or says the headline again.
    """
    pieces = clauses(sentence)
    said = [said_by_headline(headline, piece) for piece in pieces]
    if not any(said):
        return sentence
    first = said.index(True)
    last = len(said) - 1 - said[::-1].index(True)
    after = "".join(pieces[last + 1 :])
    if len(rouge_units(after)) < MIN_NEW_CHARS // 2:
        return ""
    kept: list[str] = []
    for piece in pieces[:first]:
        if _DATELINE_CLAUSE.match(piece) and not kept:
            kept.append(piece)
        elif _APPOSITION.match(piece):
            kept.append(piece)
        elif not _SOURCE_CLAUSE.match(piece):
            kept = []  # a statement of its own: what follows the headline is not about it
    rest = "".join(kept) + after
    return "" if repeats_headline(headline, rest) else rest


def fit_clauses(sentence: str, max_chars: int) -> str:
    """The sentence from its decision on, when purpose or rule clauses lead up to one (为表彰先进，
    …根据…规定，市人民政府决定，…), and only its first whole clauses that fit max_chars, ended
    with 。; a list of document names may be cut between names. "" when nothing fits that ends a
    statement."""
    pieces = clauses(sentence)
    start = _decision_start(pieces)
    if start:
        sentence = "".join(pieces[start:])
    if len(sentence) <= max_chars:
        return sentence
    kept = ""
    for piece in pieces[start:]:
        if len(kept) + len(piece) <= max_chars:
            kept += piece
            continue
        cut = _cut_document_list(piece, max_chars - len(kept))
        if cut:
            return kept + cut
        break
    return _end_statement(kept)


def _decision_start(pieces: list[str]) -> int:
    """Where a sentence opened by purpose or rule clauses (为表彰先进，…根据…规定，) states its
    decision (市人民政府决定，…); 0 when it opens otherwise or states none."""
    if not pieces or not _PURPOSE.match(pieces[0]):
        return 0
    for index, piece in enumerate(pieces[1:], start=1):
        if _DECISION.search(piece) and not _PURPOSE.match(piece):
            return index
    return 0


def _cut_document_list(clause: str, room: int) -> str:
    """The clause up to the last whole document name of its list that fits `room` characters:
    "…审议的《A》《B》…"; with 等 and the clause's own end instead of CUT_MARK where the post
    says 等 after the list ("…《A》《B》等文件。")."""
    listed = _DOCUMENT_LIST.search(clause)
    if not listed:
        return ""
    names = re.findall(r"《[^《》]+》[、，,和及与]?", listed.group())
    rest = clause[listed.end() :]
    endings = [CUT_MARK]
    if rest.startswith("等"):
        endings.insert(0, "等" + rest[1:].rstrip(_CLAUSE_MARKS + "。") + "。")
    for count in range(len(names) - 1, 0, -1):
        head = clause[: listed.start()] + "".join(names[:count]).rstrip("、，,和及与")
        for ending in endings:
            if len(head) + len(ending) <= room:
                return head + ending
    return ""


def _end_statement(text: str) -> str:
    """Whole clauses cut from a longer sentence, ended with 。 where the last clause completes a
    statement; else without that clause (and so on back)."""
    pieces = clauses(text)
    while pieces:
        joined = "".join(pieces)
        if joined.endswith(("。", "！", "？", "!", "?")):
            return joined
        body = joined.rstrip(_CLAUSE_MARKS)
        if not is_open_ended(body) and not _DATELINE_CLAUSE.match(pieces[-1]) and not _PURPOSE.match(pieces[-1]):
            return body + "。"
        pieces.pop()
    return ""
