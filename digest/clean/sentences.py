"""A small Chinese sentence splitter.

Rules (each one has a table case in tests/test_sentences.py):

* A sentence ends at a run of terminators: 。！？ ! ? and … (so ``……`` and
  ``！！`` / ``?!`` count as one terminator).  ；and ，do not end a sentence:
  in government prose a ；-separated list is one thought, and splitting there
  would hand the summariser half-sentences.
* Closing quotes and brackets right after the terminator stay with the
  sentence: ``他说：“好。”然后走了。`` -> ``他说：“好。”`` / ``然后走了。``.
* The ASCII full stop is never a terminator, so ``3.5%``, ``23.738千米``,
  ``e.g.`` and URLs survive.  An ASCII ``?``/``!`` glued to a following Latin
  letter or digit (``?id=3``) is treated as part of a URL, not a terminator.
* Nothing is split inside 《》 book-title marks (``《关于……的意见》``); a 《 that
  is never closed on the same line is ignored so it cannot swallow the text.
* A line break is a hard boundary; surrounding whitespace is stripped and
  whitespace-only pieces are dropped.  No other character is lost.
* An unterminated last piece is kept as a sentence.
"""

from __future__ import annotations

import re

TERMINATORS = frozenset("。！？!?…")
# Closers that belong to the sentence they close when they follow a terminator.
CLOSERS = frozenset("”’\"'」』）)】〗〕］]》")
BOOK_OPEN, BOOK_CLOSE = "《", "》"

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
# After an ASCII ?/! these characters mean "URL or code", not "end of sentence".
_URLISH = frozenset("=&/_%-.#")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; see the module docstring for the rules."""
    sentences: list[str] = []
    for line in _LINE_BREAK.split(text):
        sentences.extend(_split_line(line))
    return sentences


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    book_depth = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == BOOK_OPEN:
            # Only an opener with a closer later on counts; a stray 《 would
            # otherwise disable splitting for the rest of the line.
            if line.find(BOOK_CLOSE, i + 1) != -1:
                book_depth += 1
        elif ch == BOOK_CLOSE:
            book_depth = max(0, book_depth - 1)
        elif ch in TERMINATORS and book_depth == 0 and _is_terminator(line, i):
            end = _end_of_cluster(line, i)
            pieces.append(line[start:end])
            start = i = end
            continue
        i += 1
    pieces.append(line[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _is_terminator(line: str, i: int) -> bool:
    ch = line[i]
    if ch not in "?!":
        return True
    nxt = line[i + 1] if i + 1 < len(line) else ""
    return not (nxt.isascii() and (nxt.isalnum() or nxt in _URLISH))


def _end_of_cluster(line: str, i: int) -> int:
    """Index just past the terminators and closers that start at ``i``.

    Terminators and closers may alternate (``好！”。``): they all end the same
    sentence, so splitting between them would leave a sentence of punctuation.
    """
    n = len(line)
    while i < n and (line[i] in TERMINATORS or line[i] in CLOSERS):
        i += 1
    return i
