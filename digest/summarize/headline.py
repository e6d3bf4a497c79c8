"""The headline cascade: the first step that yields a headline wins.

Readers scan headlines, so each must say what happened, in the post's own words.
The steps, tried in this order (`headline_method` names the one that won):

1. `document`        the post publishes a document: its full name
                     (天津市人民政府关于表彰…的决定), which readers look policies up by.
2. `title`           the post's own title when it informs; a short document name in it
                     written out in full (`resolved-title`); a bare 市委常委会召开会议
                     extended by the lead's agenda (`lead`).
3. `echoing clause`  a teaser title (天津这项指标全国居首！) gives way to the clause near the
                     top that echoes most of its words and says what it hid (`lead`).
4. `lead clause`     else the lead sentence's opening clauses, up to where they state
                     something (`lead`), unless they are about something else and step 5 can
                     fill the title in.
5. `resolved title`  the teaser's 这区/这家企业 filled in with the district or company the
                     post clearly names most (`resolved-title`).
6. `teaser`          the title as it stands: better than nothing (`title`).
7. `first sentence`  no title at all: the first sentence's opening clauses (`lead`).

A step returns None to pass; none may invent a word the post lacks. Clause
helpers (lead_clause, title_clause, …) are shared with the model backend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from ..records import CleanArticle
from .cjk import strip_cjk_spaces
from .keyfacts import EVENT_VERB, clauses
from .titles import (char_pairs, echo_share, expand_short_names, is_teaser, resolve_title, split_series_tag,
                     tidy_title, title_pairs)

LEAD_WINDOW = 4  # the lead, and a clause that echoes the title, are looked for among the first sentences only

_LEADING_TIME = re.compile(
    r"^(?:\d{4}年)?(?:\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?|昨[日天]|今[日天]|近日|日前)(?:[上下]午|晚|早)?[，,]?"
)
# "据新华社报道，" only names the outlet; "据知情人士透露，" says the rest is hearsay, and stays.
_NOT_HEARSAY = r"(?![^，]*(?:人士|消息|传|爆料|知情))"
_SOURCE_PHRASE = re.compile(
    rf"^(?:记者)?从[^，]{{2,30}}获悉[，,]|^据{_NOT_HEARSAY}[^，]{{2,20}}[，,]|^[^，]{{0,20}}获悉[，,]"
)
# Opening clauses that set a scene or a frame rather than say what happened.
_FRAMING_CLAUSE = re.compile(rf"^(?:在|随着|作为|当|为了|为|根据|按照|经|由|据{_NOT_HEARSAY})[^，]{{2,28}}[，,]")
# A headline may not stop where its sentence has only begun: on who said it (…表示), on a time
# or a place (截至10月21日, …会议上, …落马后), or on a clause that only sets up the next (若…).
_OPEN_END = re.compile(
    r"(?:表示|称|说|指出|透露|介绍|显示|发现|认为|强调|了解到|获悉|决定|规定|宣布|公告|报道|坦言|预计|证实|要求|为例)$"
    r"|(?:以来|之后|之前|以后|期间|之际|(?<![落最今])后|(?<![目当此日提])前|(?<![小及按准同])时|(?<!以)上|"
    r"(?<![国境])内|(?<!公)里|(?<![设行工备展])中)$"
    r"|(?:^|[，,])(?:截至|截止|自|从|到)?(?:\d{4}年|\d{1,2}月(?:\d{1,2}日)?(?:至\d{1,2}日)?|[今去明]年|[今明昨]天|"
    r"目前|此前|如今|近来|当前)(?:至今|以来|起)?$"
    r"|^(?:若|如果|假如|虽然|尽管|由于|因为|除(?!夕))"
)
_CLAUSE_ENDS = "，,；。！？：:"
_DOCUMENT_NAME = re.compile(
    r"^[^，。！？]{2,40}?关于[^，。！？]{2,90}的(?:决定|批复|通知|意见|实施意见|办法|方案|实施方案|规定|公告|通告|通报|"
    r"若干措施|措施|规划|函)$"
)
DOCUMENT_STRETCH = 2  # a document's name is not cut: up to twice headline_max_chars
_MAKER_CLAUSE = re.compile(r"^由[^，的]{2,30}的")
MIN_HEADLINE_CHARS = 8
LONG_CLAUSE_STRETCH = 1.25
TITLE_MATCH = 0.6  # a body clause that holds this share of a teaser title's words spells it out
OFF_TOPIC = 0.2  # a lead clause that repeats less of the title's wording is about something else
_SHORT_TAIL = re.compile(r"[\u4e00-\u9fff0-9]{2,4}")  # 大寒, 当场死亡, 连伤4人
# "市委常委会召开会议": a title that says a meeting was held, not what it took up.
_BARE_MEETING = re.compile(r"^[^，,！!？?]{2,12}(?:召开|举行)(?:[^，,]{0,4})会议$")
_POINTER_SUBJECT = re.compile(r"^(?:这个|这家|这座|该)(码头|港口|公司|企业|集团|项目|中心|园区|基地|平台|工厂|医院|学校|街区)")
_PLACE_VERB = re.compile(r"^(?:在|于|从|到|走进|来到|位于)")
# 在此 as "here", not 在此次/此时/此后/此前/此间 (a time, or a dateline's "in this city").
_DANGLING_HERE = re.compile(r"在(?:此(?![次时后前间期刻外之类种基])|这里)(?=[\u4e00-\u9fff])")
_ASIDE = re.compile(r"（[^（）]*）|\([^()]*\)")
# "他强调，…": a person the clause does not name; who it is stood in the sentence before.
_PRONOUN_OPENING = re.compile(r"^(?:他|她|它|其)(?:们)?")


@dataclass(frozen=True)
class _Post:
    """What the steps look at; the derived parts are worked out once, when a step first asks."""

    article: CleanArticle
    units: list[str]
    lead: int | None
    max_chars: int

    @cached_property
    def raw_title(self) -> str:
        return split_series_tag(self.article.title)[1]  # a series tag is the item's label, not its headline

    @cached_property
    def title(self) -> str:
        return tidy_title(self.raw_title)

    @cached_property
    def lead_clause(self) -> str:
        return lead_clause(self.units[self.lead], self.max_chars) if self.lead is not None else ""

    @cached_property
    def resolved_title(self) -> str:
        resolved = resolve_title(self.raw_title, self.article.body) if self.raw_title else ""
        return resolved if len(resolved) <= self.max_chars else ""


Step = Callable[[_Post], "tuple[str, str] | None"]


def _document(post: _Post) -> tuple[str, str] | None:
    name = document_name(post.article, post.max_chars * DOCUMENT_STRETCH)
    return (name, "document") if name else None


def _informative_title(post: _Post) -> tuple[str, str] | None:
    if not post.title or is_teaser(post.raw_title):
        return None
    if _BARE_MEETING.match(post.title) and post.lead_clause.startswith(post.title + "，"):
        return post.lead_clause, "lead"  # 市委常委会召开会议，学习贯彻…: what the meeting took up
    named = expand_short_names(post.title, post.article.body, post.max_chars * DOCUMENT_STRETCH)
    return (named, "resolved-title") if named != post.title else (post.title, "title")


def _echoing_clause(post: _Post) -> tuple[str, str] | None:
    clause = title_clause(post.raw_title, post.units, post.max_chars)
    return (clause, "lead") if clause else None


def _lead_clause(post: _Post) -> tuple[str, str] | None:
    clause = post.lead_clause
    # A scene-setting lead (力箭一号…刺破苍穹) says less than the title it leaves unexplained.
    if not clause or (post.resolved_title and echo_share(post.raw_title, clause) < OFF_TOPIC):
        return None
    return clause, "lead"


def _resolved_title(post: _Post) -> tuple[str, str] | None:
    return (post.resolved_title, "resolved-title") if post.resolved_title else None


def _teaser(post: _Post) -> tuple[str, str] | None:
    title = post.title or post.raw_title
    return (title, "title") if title else None


def _first_sentence(post: _Post) -> tuple[str, str] | None:
    for sentence in post.article.sentences[:1]:
        clause = lead_clause(sentence, post.max_chars) or sentence[: post.max_chars].rstrip("，,；。！？") + "…"
        return clause, "lead"
    return None


CASCADE: tuple[Step, ...] = (_document, _informative_title, _echoing_clause, _lead_clause, _resolved_title,
                             _teaser, _first_sentence)


def extract_headline(article: CleanArticle, units: list[str], lead: int | None, max_chars: int) -> tuple[str, str]:
    """(headline, headline_method) from the first step of CASCADE that yields one; ("", "title")
    for a post with neither title nor text. `units` are the post's candidate sentences and
    `lead` the index of its news lead among them."""
    post = _Post(article, units, lead, max_chars)
    for step in CASCADE:
        found = step(post)
        if found:
            return found
    return "", "title"


def document_name(article: CleanArticle, max_chars: float) -> str:
    """"天津市人民政府关于表彰…的决定": the heading a post opens with when it publishes a document.

    Readers look policies up by that name, so it beats any title ("市政府发布最新表彰决定！").
    The heading's line breaks are gone; an aside such as （天安商服地块） goes only if the name
    is too long with it.
    """
    for paragraph in (p for p in article.paragraphs[:2] if p.is_heading):
        name = strip_cjk_spaces(paragraph.text)
        if _DOCUMENT_NAME.match(name):
            for candidate in (name, _ASIDE.sub("", name)):
                if len(candidate) <= max_chars:
                    return candidate
    return ""


def title_clause(title: str, units: list[str], max_chars: int) -> str:
    """The clause near the top that says what a teaser title leaves out: "我国首批，在津正式
    发布！" -> "我国首批生态海盐产品正式发布"; "全国首个！天津又一中心正式成立" -> "天津水务
    行业信创适配双创中心正式成立".

    It must say what happened (an event verb), carry most of the title's own words
    (TITLE_MATCH of their character pairs, the teasing words left out) and something
    more; else "" and the lead clause is tried.
    """
    wanted = title_pairs(title)
    if len(wanted) < 3:
        return ""
    best, best_share = "", 0.0
    for unit in units[:LEAD_WINDOW]:
        for clause in clauses(_ASIDE.sub("", unit)):
            clause = clause.rstrip(_CLAUSE_ENDS + ";!?").strip()
            if not MIN_HEADLINE_CHARS <= len(clause) <= max_chars:
                continue
            pairs = char_pairs(clause)
            share = len(pairs & wanted) / len(wanted)
            if share > best_share and len(pairs - wanted) >= 2 and EVENT_VERB.search(clause):
                best, best_share = clause, share
    if best_share < TITLE_MATCH or is_teaser(best) or is_open_ended(best) or _PRONOUN_OPENING.match(best):
        return ""
    return finish_clause(best)


def lead_clause(sentence: str, max_chars: int) -> str:
    """Whole clauses from the start of a sentence, without dateline, source or asides."""
    text = whole = _ASIDE.sub("", sentence.strip())
    while True:
        trimmed = text
        for pattern in (_LEADING_TIME, _SOURCE_PHRASE, _FRAMING_CLAUSE):
            trimmed = pattern.sub("", trimmed, count=1)
        if trimmed == text or not trimmed:
            break
        text = trimmed
    # A colon ends a clause too: "…项目传来捷报：项目单月生产效率创下历史新高" says it twice.
    pieces = clauses(text)  # never inside 《》: a headline does not stop in a document's name
    headline = ""
    for index, clause in enumerate(pieces):
        candidate = headline + clause
        limit = max_chars * LONG_CLAUSE_STRETCH if is_open_ended(headline) else max_chars
        if len(candidate.rstrip(_CLAUSE_ENDS)) > limit:
            break
        headline = candidate
        if len(headline) >= 14 and not is_open_ended(headline):
            # "…最后一个节气，大寒。": a last clause this short finishes the statement.
            rest = "".join(pieces[index + 1 :]).rstrip(_CLAUSE_ENDS)
            if _SHORT_TAIL.fullmatch(rest) and len(headline + rest) <= limit:
                headline += rest
            break
    if not headline and pieces and EVENT_VERB.search(pieces[0]):
        # One long clause that says what happened beats a teaser title. Shorter without who made
        # it ("由北京大学与北辰区人民政府携手共建的北京大学…中心…启用"); else allow some overrun;
        # else drop a description that leads up to the name ("…协同创新组织——市国资系统…平台宣告成立").
        first = pieces[0]
        for clause in (_MAKER_CLAUSE.sub("", first, count=1), first, first.rsplit("——", 1)[-1]):
            if len(clause.rstrip(_CLAUSE_ENDS)) <= max_chars * LONG_CLAUSE_STRETCH and EVENT_VERB.search(clause):
                headline = clause
                break
    headline = named_subject(headline.rstrip(_CLAUSE_ENDS + " "), whole[: len(whole) - len(text)],
                             round(max_chars * LONG_CLAUSE_STRETCH))
    headline = finish_clause(headline)
    if _PRONOUN_OPENING.match(headline):
        return ""  # the title, even a teasing one, names whom the clause calls 他
    return headline if len(headline) >= MIN_HEADLINE_CHARS else ""


def finish_clause(headline: str) -> str:
    """A clause taken out of its sentence, made to stand alone as a headline."""
    # "…推介会在此举办": the place 此 stands for was in a sentence the headline does not show.
    headline = _DANGLING_HERE.sub("", headline)
    if headline.count("“") > headline.count("”"):
        headline += "”"  # a quotation stays one, though the headline ends before its closing mark
    # A quotation's own end mark ("…取证阶段。”") ends no headline: headlines carry none.
    return re.sub(r"[，,；。！？]+(”)$", r"\1", headline)


def named_subject(headline: str, dropped: str, max_chars: int) -> str:
    """"这个码头迎来…" named from the framing clause the headline left out ("在天津港中煤华能煤码头
    有限公司…集控中心，"): "天津港中煤华能煤码头迎来…". Unchanged when that clause names none."""
    pointer = _POINTER_SUBJECT.match(headline)
    if not pointer:
        return headline
    names = re.findall(rf"[\u4e00-\u9fff]{{2,14}}?{pointer.group(1)}", dropped)
    if not names:
        return headline
    name = _PLACE_VERB.sub("", names[-1])
    named = name + headline[pointer.end() :]
    return named if len(name) > len(pointer.group(1)) and len(named) <= max_chars else headline


def is_open_ended(headline: str) -> bool:
    """Whether a run of clauses leaves its sentence's statement unsaid (…表示, 截至10月21日, 若…)."""
    headline = headline.rstrip()
    # What follows a colon is what it says.
    return headline.endswith(("：", ":")) or bool(_OPEN_END.search(headline.rstrip(_CLAUSE_ENDS)))
