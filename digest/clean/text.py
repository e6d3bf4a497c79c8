"""Character normalisation, trailer extraction and paragraph building.

WeChat exports carry HTML entities, box-drawing frames, emoji, zero-width and
combining characters, poster text set one phrase per line, and source/credit
trailers glued to the last paragraph.  Everything here is a pure function on
strings so the rules can be tested one by one.
"""

from __future__ import annotations

import html
import re
import unicodedata

from digest.records import Paragraph

# ---------------------------------------------------------------- characters

# Decoration blocks: box drawing and block elements (┏━▍), geometric shapes
# (▲◆●), miscellaneous symbols and dingbats (★☆✦), arrows-and-stars
# supplement (⭐), emoji planes.  Private-use code points are icon fonts.
_DROP_RANGES = ((0x2500, 0x25FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF), (0xE000, 0xF8FF))
# ○ is written for "zero" in dates (二○二五年); ❶-➓ carry list numbering.
_KEEP = frozenset(chr(c) for c in [0x25CB, 0x25EF, *range(0x2776, 0x2794)])
# Cf: zero-width, direction marks, BOM, soft hyphen; Mn/Me: combining marks
# (the ҈ in 冷҈) and variation selectors; Co/Cs: private use, lone surrogates.
_DROP_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Co", "Cs"})
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                    for c in range(lo, hi + 1)}
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_WIDE_PUNCT = frozenset("“”‘’…—·℃")


def _keep_char(ch: str) -> bool:
    if ch in "\n\t" or ch in _KEEP:
        return True
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _DROP_RANGES):
        return False
    category = unicodedata.category(ch)
    return category not in _DROP_CATEGORIES and category != "Cc"


def normalise_chars(text: str) -> str:
    """Decode entities and drop invisible or decorative characters.

    Line breaks become ``\\n``; every kind of space (NBSP, U+3000, thin
    spaces, tabs) becomes a plain space.  Spacing itself is tidied per line by
    :func:`tidy_spaces`, because the rule depends on the neighbours.
    """
    # Exports are sometimes escaped twice (&amp;nbsp;), so decode until stable.
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    return text.translate(_FULLWIDTH_ALNUM).translate(_CHARACTERS)


def _character(ch: str) -> str | None:
    """What one character becomes: a space, itself, or nothing (None)."""
    if ch != "\n" and (ch == "\t" or unicodedata.category(ch) == "Zs" or ch in "\f\v"):
        return " "
    return ch if _keep_char(ch) else None


class _CharacterTable(dict):
    """`_character` of each code point, worked out the first time it is met: str.translate then runs in C."""

    def __missing__(self, code: int) -> str | None:
        self[code] = value = _character(chr(code))
        return value


_CHARACTERS = _CharacterTable()


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch in _WIDE_PUNCT


def tidy_spaces(line: str, *, keep_between_words: bool = False) -> str:
    """Collapse spaces; drop them where Chinese text meets Chinese text.

    A space between two wide characters is layout, not meaning.  Between
    Latin letters or digits (``V11 AI``) a single space is kept.  Titles pass
    ``keep_between_words`` because there a space between two ideographs
    separates two phrases (``召开扩大会议 陈敏尔主持``).
    """
    line = line.strip(" ")

    def replace(match: re.Match[str]) -> str:
        before, after = line[match.start() - 1], line[match.end()]
        if not (_is_wide(before) or _is_wide(after)):
            return " "
        if keep_between_words and before.isalnum() and after.isalnum():
            return " "
        return ""

    return re.sub(r" +", replace, line)


# A paragraph break that the export flattened into spaces: "。 市领导…".
_COLLAPSED_BREAK = re.compile(r"([。！？…][”’」』）)]*) +(?=\S)")


def clean_lines(content: str) -> list[str]:
    """Normalised lines of ``content``; lines with no word character become ""."""
    text = _COLLAPSED_BREAK.sub("\\1\n", normalise_chars(content))
    lines = []
    for raw in text.split("\n"):
        # Title-style spacing for now: a line may turn out to be a subtitle
        # ("凝聚思想共识 传递发展信心"); body paragraphs are tidied again later.
        line = tidy_spaces(raw, keep_between_words=True)
        # A line of only punctuation or leftovers of a frame (a lone ", ——)
        # carries nothing and would otherwise become a heading.
        lines.append(line if any(ch.isalnum() for ch in line) else "")
    return lines


_TITLE_EDGES = "|｜丨•·*＊#=_ "
_WRAPPERS = {"【": "】", "〖": "〗", "「": "」", "『": "』", "[": "]"}


def clean_title(title: str) -> str:
    """Normalise a title's characters and spacing; keep its wording."""
    text = tidy_spaces(" ".join(normalise_chars(title).split()), keep_between_words=True)
    text = text.strip(_TITLE_EDGES)
    close = _WRAPPERS.get(text[:1])
    if close and text.endswith(close) and text.count(text[0]) == 1 and text.count(close) == 1:
        text = text[1:-1].strip(_TITLE_EDGES)
    return text


# ------------------------------------------------------------------ trailers

_SOURCE_KEY = r"(?:信息|文章|新闻|稿件)?来源"
_CREDIT_KEY = (
    r"(?:海报制作|海报设计|制作|设计|责任编辑|编辑|责编|审核|审校|校对|摄影|图片|视频"
    r"|文字|文|图|记者|通讯员|监制|出品|策划|统筹|排版|美编|初审|复审|终审|作者|撰稿|供稿)"
)
_VALUE = r"[^。！？!?：:（）()\n]{1,40}"
_SOURCE_LINE = re.compile(rf"^[（(]?{_SOURCE_KEY}\s*[:：]\s*(?P<value>{_VALUE})[）)]?$")
# A credit line may list several roles: "编辑：张三 审核：李四".
_CREDIT_LINE = re.compile(rf"^(?:{_CREDIT_KEY}\s*[:：丨|｜]|来源\s*[丨|｜])\s*[^。！？!?\n]{{1,60}}$")
_NOTICE = r"(?:如需|欢迎)?转载请注明(?:来源|出处)[^。！？\n]{0,12}"
_NOTICE_LINE = re.compile(rf"^(?:[（(]?{_NOTICE}[）)]?|未经(?:授权|许可)[，,]?(?:请勿|禁止|不得)转载\W*)$")
# A trailer glued to the end of the last paragraph.  Only the unambiguous
# keys may be glued; 文/图/记者 are too common inside sentences.
_GLUED = re.compile(
    rf"(?P<trailer>[（(]?(?:{_SOURCE_KEY}\s*[:：]|(?:海报制作|责任编辑|编辑|责编|审核|校对|摄影)\s*[:：丨|｜])"
    rf"\s*{_VALUE}[）)]?|[（(]?{_NOTICE}[）)]?)$"
)


def source_value(trailer: str) -> str | None:
    """The outlet named by a ``来源：X`` trailer, or None for other trailers."""
    match = _SOURCE_LINE.match(trailer)
    return match.group("value").strip() if match else None


def _is_trailer(text: str) -> bool:
    return bool(_SOURCE_LINE.match(text) or _CREDIT_LINE.match(text) or _NOTICE_LINE.match(text))


def _trailer_parts(line: str) -> list[str]:
    """The trailers on a whole line, or [].

    "来源：天津日报 编辑：张三" is split so that the outlet can be read; a
    credit line such as "编辑：张三 李四" stays whole.
    """
    parts = line.split(" ")
    if len(parts) > 1 and all(map(_is_trailer, parts)) and any(map(_SOURCE_LINE.match, parts)):
        return parts
    return [line] if _is_trailer(line) else []


def _glued_trailer(line: str) -> re.Match[str] | None:
    match = _GLUED.search(line)
    if match is None or match.start() == 0:
        return match
    # "…收入来源：工资" is body text: a glued source key follows the end of a
    # sentence or a number/unit ("…-10℃来源："), never an ideograph.  The
    # reprint notice is unambiguous and may follow anything.
    before = line[match.start() - 1]
    is_notice = "转载" in match.group("trailer")
    return match if is_notice or unicodedata.category(before) != "Lo" else None


def extract_trailers(lines: list[str]) -> tuple[list[str], str | None, tuple[str, ...]]:
    """Remove trailing source/credit lines; return (lines, outlet, credits).

    Only the end of the text is searched, line by line and then for a suffix
    glued to the last line, so 来源 in the middle of an article is left alone.
    The first ``来源：`` is the outlet; every other trailer is a credit, kept as
    written (less a decorative ↓ pointing at a footer that is not exported).
    """
    lines = list(lines)
    found: list[str] = []
    while lines:
        last = lines[-1]
        if not last:
            lines.pop()
        elif parts := _trailer_parts(last):
            found.extend(reversed(parts))
            lines.pop()
        elif match := _glued_trailer(last):
            found.append(match.group("trailer"))
            lines[-1] = last[: match.start()].rstrip()
        else:
            break
    outlet: str | None = None
    credits: list[str] = []
    for trailer in reversed(found):
        value = source_value(trailer)
        if value and outlet is None:
            outlet = value
        else:
            credits.append(trailer.rstrip("↓↑→← "))
    return lines, outlet, tuple(credits)


# ---------------------------------------------------------------- paragraphs

SHORT_LINE = 24  # poster phrases and subtitles are shorter; body lines longer
WRAPPED_HEADING_LINES = 4  # a title wrapped over more lines is poster text
_SENTENCE_END = frozenset("。！？!?…")
_CLAUSE_END = frozenset("：:；;")
_SOFT_END = frozenset("，,、；;：:—…")
_CLOSERS = "”’\"'」』）)】》"
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ATTACHMENT_LINE = re.compile(r"^附件\s*[:：]")
_PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"), ("「", "」"))


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_fragment(line: str) -> bool:
    """A short line that does not end a sentence or introduce what follows."""
    return len(line) <= SHORT_LINE and not ends_sentence(line) and line[-1] not in _CLAUSE_END


def _is_furniture(block: list[str], i: int) -> bool:
    """Document furniture at the end of an official notice: 附件：…, the
    issuing body and the date.  They stand alone rather than be joined into a
    poster paragraph such as "天津市人民政府，2025年12月30日。"."""
    line = block[i]
    if _DATE_LINE.match(line) or _ATTACHMENT_LINE.match(line):
        return True
    return i + 1 < len(block) and bool(_DATE_LINE.match(block[i + 1])) and _is_fragment(line)


def _join_heading(parts: list[str]) -> str:
    # A subtitle over several lines: keep the break as a space, as in titles,
    # except inside an open 《》“”（） where the line was wrapped mid-name.
    text = parts[0]
    for part in parts[1:]:
        inside = any(text.count(o) > text.count(c) for o, c in _PAIRS)
        text += ("" if inside else " ") + part
    return text


def _join_fragments(parts: list[str]) -> str:
    # Poster phrases: each line is a clause, so they read as one sentence.
    text = parts[0]
    for part in parts[1:]:
        text += ("" if text[-1] in _SOFT_END or part[0] in "（(" else "，") + part
    if not ends_sentence(text):
        text = text.rstrip("，,、") + "。"
    return text


def _body(text: str) -> Paragraph:
    # Body text follows the Chinese rule: no space between two ideographs.
    return Paragraph(tidy_spaces(text))


def _block_paragraphs(block: list[str]) -> list[Paragraph]:
    out: list[Paragraph] = []
    i = 0
    while i < len(block):
        line = block[i]
        if _is_furniture(block, i):
            out.append(Paragraph(line, is_heading=True))
            i += 1
            continue
        if not _is_fragment(line):
            out.append(_body(line))
            i += 1
            continue
        j = i
        while j < len(block) and _is_fragment(block[j]) and not _is_furniture(block, j):
            j += 1
        run = block[i:j]
        closed = j < len(block) and len(block[j]) <= SHORT_LINE and ends_sentence(block[j])
        if closed:
            # "冬天过后 / 春天还会远吗？": the question ends the run's sentence.
            run.append(block[j])
            j += 1
        if len(run) == 1:
            out.append(_body(line) if line[-1] in _SOFT_END else Paragraph(line, is_heading=True))
        elif not closed and j < len(block) and len(run) <= WRAPPED_HEADING_LINES:
            # Two to four short lines directly above body text: a subtitle
            # wrapped over lines ("去年天津口岸锰矿铬矿 / 进口量全国居首").
            out.append(Paragraph(_join_heading(run), is_heading=True))
        else:
            out.append(_body(_join_fragments(run)))
        i = j
    return out


def build_paragraphs(lines: list[str]) -> list[Paragraph]:
    """Group lines into paragraphs; a blank line ("") separates blocks.

    Inside a block a long or terminated line is a paragraph of its own.  A
    run of short unterminated lines is poster text set one phrase per line
    and is joined with ，into one paragraph ending in 。; a run of two to four
    such lines followed by body text in the same block is a wrapped subtitle;
    a single one is a heading.
    """
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
        elif block:
            paragraphs.extend(_block_paragraphs(block))
            block = []
    return paragraphs
