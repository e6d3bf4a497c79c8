"""Chinese word segmentation (jieba), shared by classify, rank and summarise.

jieba's module-level tokenizer is global state; digest keeps its own
`jieba.Tokenizer` so the lexicon's multi-character terms (市委常委会, 轨道交通)
come out as single words without touching anyone else's jieba.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .jieba_tables import tokenizer

# Words that carry no topic: function words and the boilerplate of the register.
STOPWORDS = frozenset(
    """的 了 和 与 及 等 在 是 为 对 将 把 被 从 以 于 并 也 都 而 其 之 这 那 此 该 有 无 不 上 下 中 个 年 月 日
    我 你 他 她 它 们 我们 我市 全市 天津 天津市 津 一 二 三 要 会 已 已经 进一步 持续 推动 推进 加强 坚持 深入 工作
    以及 通过 进行 开展 相关 有关 其中 同时 目前 今年 去年 明年 今天 昨天 日前 近日 记者 获悉 表示 介绍 指出 强调""".split()
)
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9%]")


class Segmenter:
    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        self._tokenizer = tokenizer(extra_words)  # jieba's dictionary, read once per process
        # classify and rank cut the same titles and leads, and reposts repeat whole posts
        self._cut = lru_cache(maxsize=4096)(self._cut_words)

    def words(self, text: str) -> list[str]:
        """Every token that contains a letter, digit or Han character."""
        return list(self._cut(text))

    def _cut_words(self, text: str) -> tuple[str, ...]:
        return tuple(w for w in self._tokenizer.lcut(text, HMM=True) if _WORDLIKE.search(w))

    def content_words(self, text: str) -> list[str]:
        """Tokens worth comparing between texts: no stopwords, no single characters."""
        return [w for w in self.words(text) if len(w) > 1 and w not in STOPWORDS and not w.isdigit()]


@lru_cache(maxsize=8)
def segmenter(extra_words: tuple[str, ...] = ()) -> Segmenter:
    return Segmenter(extra_words)


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The one that knows the built-in lexicon's terms, shared by every stage
    (building a jieba tokenizer costs ~0.4 s, so one per process is plenty)."""
    from .classify.lexicon import load_lexicon  # classify imports this module

    return segmenter(load_lexicon().all_terms())
