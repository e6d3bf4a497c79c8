"""jieba's tables, each read once per process and kept in a binary cache.

Start-up used to read jieba's dictionary twice (the segmenter's tokenizer and
the faithfulness guard's tagger, ~0.8 s each), parse the word-tag table from
the dictionary's text (~0.4 s) and the IDF table from its text (~0.2 s, plus a
median over 350,000 values). Here one dictionary is loaded; the segmenter adds
the lexicon's terms to it, and the tagger, which must not see them, gets a copy
without them (20 ms). The tag and IDF tables are read from
a binary cache written the first time: the words as one string, the values as
one array. The cache lives in $XDG_CACHE_HOME/digest (or ~/.cache/digest), is
keyed by the source file's size and time, and is rebuilt when either changes;
an unwritable cache only costs the text parse.
"""

from __future__ import annotations

import array
import logging
import os
import statistics
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import jieba

jieba.setLogLevel(logging.WARNING)
log = logging.getLogger(__name__)

_FORMAT = 1


# jieba's dictionary as loaded: (words, total, what the first tokenizer's own words replaced).
_LOADED: list[tuple[dict[str, int], int, dict[str, int | None]]] = []


def tokenizer(extra_words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A tokenizer of its own over jieba's dictionary, read once per process; `extra_words` come out whole.

    The first tokenizer gets the dictionary as loaded (500,000 words: a copy costs 35 MB), and what
    its own words replace is noted, so that a later one gets the dictionary as jieba ships it.
    """
    fresh = jieba.Tokenizer()
    if not _LOADED:
        loaded = jieba.Tokenizer()
        loaded.initialize()  # jieba's own marshal cache of the prefix dictionary
        _LOADED.append((loaded.FREQ, loaded.total, {}))
        words, total, replaced = _LOADED[0]
        fresh.FREQ = words
    else:
        words, total, replaced = _LOADED[0]
        fresh.FREQ = dict(words)
        for word, before in _LOADED[0][2].items():
            if before is None:
                del fresh.FREQ[word]
            else:
                fresh.FREQ[word] = before
        replaced = {}  # this copy's words change only this copy
    fresh.total, fresh.initialized = total, True
    for word in sorted(set(extra_words)):
        # A term jieba does not know gets a high frequency, which keeps it whole. A term it
        # knows keeps jieba's own frequency: forcing 气象 or 教育 up would break the longer
        # words that hold them (新气象, 教育部) and make them match where they do not stand.
        if fresh.FREQ.get(word):
            continue
        for end in range(1, len(word) + 1):
            replaced.setdefault(word[:end], fresh.FREQ.get(word[:end]))
        fresh.add_word(word, freq=100000)
    return fresh


def pos_tagger() -> Any:
    """jieba's part-of-speech tagger over a tokenizer of its own (no lexicon terms in it)."""
    import jieba.posseg

    class Tagger(jieba.posseg.POSTokenizer):
        def load_word_tag(self, f: Any) -> None:
            f.close()
            self.word_tag_tab = dict(word_tags())

    return Tagger(tokenizer())


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """Each dictionary word's part-of-speech tag (the third column of jieba's dict.txt)."""
    source = Path(jieba.__file__).parent / "dict.txt"  # jieba's default dictionary

    def parse() -> tuple[list[str], list[str]]:
        words, tags = [], []
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                word, _, tag = line.strip().split(" ")
                words.append(word)
                tags.append(tag)
        return words, tags

    words, tags = _cached("tags", source, parse, lambda tags: "\n".join(tags).encode(),
                          lambda data: data.decode().split("\n"), extra=0)
    return dict(zip(words, tags))


@lru_cache(maxsize=1)
def idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-corpus IDF (the idf.txt jieba ships) and its median, for words it lacks.

    Read directly: importing jieba.analyse would also load its POS tagger (~0.3 s).
    """
    source = Path(jieba.__file__).parent / "analyse" / "idf.txt"

    def parse() -> tuple[list[str], array.array]:
        idf: dict[str, float] = {}
        for line in source.read_text(encoding="utf-8").splitlines():
            word, _, value = line.rpartition(" ")
            if word:
                idf[word] = float(value)
        return list(idf), array.array("d", [*idf.values(), statistics.median(idf.values())])

    words, values = _cached("idf", source, parse, lambda values: values.tobytes(), _doubles, extra=1)
    return dict(zip(words, values)), values[-1]


def _doubles(data: bytes) -> array.array:
    values = array.array("d")
    values.frombytes(data)
    return values


def _cached(name: str, source: Path, parse: Callable[[], tuple[list[str], Any]],
            dump: Callable[[Any], bytes], load: Callable[[bytes], Any], extra: int) -> tuple[list[str], Any]:
    """(words, values) of `source`, from the binary cache when it is current, else parsed and cached.

    extra: how many more values than words (a cache that disagrees is parsed again).
    """
    stat = source.stat()
    path = _cache_dir() / f"{name}-v{_FORMAT}-{stat.st_size}-{stat.st_mtime_ns}.bin"
    try:
        data = path.read_bytes()
        size = int.from_bytes(data[:8], "little")
        words, values = data[8 : 8 + size].decode().split("\n"), load(data[8 + size :])
        if len(values) == len(words) + extra:
            return words, values
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    words, values = parse()
    blob = "\n".join(words).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(len(blob).to_bytes(8, "little") + blob + dump(values))
        os.replace(temporary, path)
    except OSError as exc:
        log.debug("cannot cache %s in %s: %s", name, path.parent, exc)
    return words, values


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "digest"
