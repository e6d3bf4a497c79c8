"""Text conventions shared by the model backend and the training recipe.

Standard library only: the training recipe imports this on a machine without
jieba or digest's other dependencies, and both sides must treat text alike.
"""

from __future__ import annotations

import re

# Han ideographs, CJK punctuation, kana and full-width forms.
_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# A space with CJK on one side and CJK or a digit on the other: "天 津 港", "1 月 16 日".
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}0-9])|(?<=[0-9])\s+(?=[{_CJK}])")
# Full-width ASCII letters and digits (Ｇ, ２) and the ideographic space; punctuation stays full-width.
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FULL_WIDTH_ALNUM[0x3000] = 0x20


def strip_cjk_spaces(text: str) -> str:
    """Drop the spaces a BERT-style tokenizer puts between Chinese characters on decode.

    Spaces between Latin words ("New York") and between a Latin word and a
    Chinese one ("GDP 增长") are kept: only CJK–CJK and CJK–digit gaps go.
    """
    return _CJK_SPACE.sub("", text).strip()


def fold_full_width(text: str) -> str:
    """ＧＤＰ２０２６ -> GDP2026, so the model sees one spelling of each letter and digit."""
    return text.translate(_FULL_WIDTH_ALNUM)
