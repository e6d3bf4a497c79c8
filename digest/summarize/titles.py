"""Post titles: which ones tease, and what a teaser's "这区" or "这家企业" stands for.

WeChat titles are written to be clicked ("天津这项指标全国居首！"). The extractive
headline uses a title only when it tells; `resolve_title` fills in a teaser's
pointer with the one district or company the post is about, where the post
leaves no doubt which that is; `expand_short_names` writes a document's short
name (《实施方案》) out in full, as the post defines it.
"""

from __future__ import annotations

import re
from collections import Counter

from ..segment import default_segmenter

# Clickbait titles tease instead of telling: "天津这项指标全国居首！"; "我国首批，在津正式发布！"
# (first of what?); "突破340亿元！创近五年新高" (what did?).
_TEASER = re.compile(
    r"这[项个家场些一类区]|此类|又一|又是|又迎|一重磅|揭晓|——$|……$|…$"
    r"|首[个批家款座套台](?=[！!，,。？?]|$)"
    r"|^(?:突破|超过|达到|增长|增至)[\d.一二三四五六七八九十百千万亿]+[^\d\s，,！!]{0,3}[！!，,]"
)
# Hype that opens a title but carries no fact: dropped from the headline.
_HYPE_PREFIX = re.compile(r"^(?:重磅|厉害了|官宣|刚刚|速看|好消息|注意|提醒|最新|问世|正式发布|今年)[！!，,]+")

# "这区", "这个区", "这家企业", "这家国内领军企业": a pointer at a district or a company.
_POINTER = re.compile(r"这(?:个)?区|这家[^，,！!？?、]{0,6}?(?:企业|公司)")
# A word that ends in 区 but names a kind of place, not one place (开发区, 全市区); two-character
# ones (园区, 全区) are too short to be taken for a name anyway.
_NOT_A_DISTRICT = re.compile(
    r"^(?:这|该|全|各|本|此|我|市)"
    r"|(?:开发|示范|试验|功能|保税|自贸|服务|产业|商务|生活|核心|集聚|创新|高新|经开|主城|老城|新城|中心城|园|社|片|景|街|校|展|港)区$"
)
# "天津经开区西区望圆智能科技股份有限公司（以下简称望圆科技）": the name the post itself uses.
_COMPANY_ALIAS = re.compile(r"(?:公司|集团)（以下简称“?([^（）“”]{2,10}?)”?）")
MIN_MENTIONS = 3  # a district or company named this often, and twice as often as any other
# "《天津市关于…的实施方案》（以下简称《实施方案》）": a document's full name and the short one the post uses.
_SHORT_NAME = re.compile(r"(《[^《》]{2,100}》)（以下简称“?(《[^《》（）]{1,20}》)”?）")


# "【新思想引领新征程·非凡“十四五”】我国机器人产业…", "【新春走基层】…": the name of a series or
# column, not part of what happened. Also a "新闻特写：" or "央视快评：" kind label.
_SERIES_TAG = re.compile(r"^\s*(?:【([^【】]{1,40})】|〖([^〖〗]{1,40})〗)\s*")
# A short title that names who did what ("李希在重庆调研", "李强同芬兰总理会谈") tells.
_SHORT_STATEMENT = re.compile(r"调研|考察|视察|会见|会谈|会晤|出席|主持|召开|举行|通电话|致电|致信|开幕|闭幕|开考|发布|印发|签署")
MIN_TITLE_CHARS = 8
MIN_STATEMENT_CHARS = 5


def split_series_tag(title: str) -> tuple[str, str]:
    """("新思想引领新征程", "我国机器人产业实现跨越式发展") from "【新思想引领新征程】我国机器人产业…";
    ("", title) when the title has no series tag, or nothing after it."""
    match = _SERIES_TAG.match(title)
    if not match or not title[match.end():].strip():
        return "", title
    return (match.group(1) or match.group(2)).strip(), title[match.end():].strip()


def is_teaser(title: str) -> bool:
    title = _HYPE_PREFIX.sub("", split_series_tag(title)[1])
    if _TEASER.search(title):
        return True
    length = len(title.strip("！!？?。…—"))
    return length < MIN_TITLE_CHARS and not (length >= MIN_STATEMENT_CHARS and _SHORT_STATEMENT.search(title))


def tidy_title(title: str) -> str:
    """A headline from an informative title: no series tag, no hype prefix, no exclamation marks."""
    title = _HYPE_PREFIX.sub("", split_series_tag(title.strip())[1]).rstrip("！!—…").strip()
    return re.sub(r"[！!]+(?=.)", "，", title)


def char_pairs(text: str) -> set[str]:
    """Pairs of neighbouring characters, punctuation left out: a cheap measure of shared wording."""
    han = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", text)
    return {han[k : k + 2] for k in range(len(han) - 1)}


def title_pairs(title: str) -> set[str]:
    """Character pairs of a title's telling parts: each piece between teasing words on its own."""
    title = split_series_tag(title)[1]
    pieces = re.split(rf"(?:{_TEASER.pattern})|[^\u4e00-\u9fff0-9A-Za-z]+", _HYPE_PREFIX.sub("", title))
    return {pair for piece in pieces if piece for pair in char_pairs(piece)}


def echo_share(title: str, text: str) -> float:
    """How much of a title's telling wording `text` repeats (0 when the title has none)."""
    wanted = title_pairs(title)
    return len(char_pairs(text) & wanted) / len(wanted) if wanted else 0.0


def resolve_title(title: str, body: str) -> str:
    """The title with its pointer replaced by what it points at, or "" where the post does not
    make that plain: "培育4个百亿级产业集群！天津这区成绩耀眼" -> "培育4个百亿级产业集群，天津东丽区
    成绩耀眼" when 东丽区 is the district the post names, and names most.

    Only a title whose sole teasing is that pointer is resolved ("天津这项指标全国居首" points
    at no name, and "又一中心" stays a teaser whatever is filled in).
    """
    match = _POINTER.search(title)
    if not match:
        return ""
    name = _dominant_district(body) if match.group().endswith("区") else _company_alias(body)
    if not name:
        return ""
    resolved = title[: match.start()] + name + title[match.end() :]
    return "" if is_teaser(resolved) else tidy_title(resolved)


def _dominant_district(body: str) -> str:
    # Words, not a regex: 来到东丽区 is 来到 + 东丽区.
    words = default_segmenter().words(body)
    return _dominant(Counter(w for w in words if 3 <= len(w) <= 5 and w.endswith("区")
                             and not _NOT_A_DISTRICT.search(w)))


def _company_alias(body: str) -> str:
    aliases = Counter(_COMPANY_ALIAS.findall(body))
    if len(aliases) != 1:  # none, or several companies: which one the title means is a guess
        return ""
    (alias,) = aliases
    return alias if body.count(alias) >= MIN_MENTIONS else ""


def _dominant(names: Counter) -> str:
    ranked = names.most_common(2)
    if not ranked or ranked[0][1] < MIN_MENTIONS:
        return ""
    if len(ranked) == 2 and ranked[0][1] < 2 * ranked[1][1]:
        return ""
    return ranked[0][0]


def expand_short_names(text: str, body: str, max_chars: int) -> str:
    """《实施方案》 -> the document's full name, as the post defines it, when the result fits
    `max_chars`: readers look policies up by their full names."""
    expanded_already = set()
    for full, short in _SHORT_NAME.findall(body):  # a short name defined twice: its first definition
        if short in expanded_already:
            continue
        expanded_already.add(short)
        if short in text and full not in text:
            expanded = text.replace(short, full)
            if len(expanded) <= max_chars:
                text = expanded
    return text
