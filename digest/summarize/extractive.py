"""The extractive backend: the headline from the post's own words, and whole sentences that add to it.

The summary's sentences are chosen by the learned key-fact score (keyfacts.py),
never one that says the headline again. Also the guarded fallback of the model
backend, so it must never fail on odd text. It never cuts a sentence: a post
whose every sentence is longer than the limit, or repeats the headline, gets an
empty summary (its headline and link still stand).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import CleanArticle, Summary
from ..segment import Segmenter, default_segmenter
from . import SummaryOptions, register
from .cjk import strip_cjk_spaces
from .keyfacts import default_scorer, headline_echo, new_facts, remainder, repeats_headline, sentence_units
from .titles import (char_pairs, echo_share, expand_short_names, is_teaser, resolve_title, tidy_title,
                     title_pairs)

# The learned score says which sentence tells what happened; a summary under a headline should add
# to it: less for each share of the headline a sentence repeats, more for each figure, date or
# document name it adds (at most MAX_FACTS). Set by hand on the seed posts (bench/summary_pairs.py).
ECHO_WEIGHT = 2.0
FACT_WEIGHT = 0.5
MAX_FACTS = 3
REDUNDANCY = 0.5  # share of a candidate's words already said: skip it
MIN_SENTENCE_CHARS = 8
LEAD_STRETCH = 1.6  # a news lead may run past max_chars by this factor rather than be cut
LEAD_WINDOW = 4  # the lead is looked for among the first sentences only
MAX_UNITS = 150  # news puts what matters first; later sentences only cost time

# Sentences that report something: a dateline or an event verb.
_DATELINE = re.compile(r"\d{1,2}月\d{1,2}日|昨[日天]|今[日天]|近日|日前|\d{4}年|截至|今年|去年")
_EVENT_VERB = re.compile(
    "召开|举行|举办|发布|印发|出台|成立|揭牌|签署|签约|启用|投用|开通|启动|实施|落地|通过|审议|部署|"
    "获批|批复|表彰|迎来|突破|完成|达到|增长|开街|亮相|上线|落户|开工|竣工|出席|主持|提出|推出|发出"
)
# Roll calls ("市领导…出席。") and questions say little on their own.
_LOW_VALUE = re.compile(r"(出席|参加|陪同|列席)[。！]?$|[？?][”」』]?$")


@dataclass(frozen=True)
class ExtractiveSummarizer:
    options: SummaryOptions
    segmenter: Segmenter
    name: str = "extractive"

    def __call__(self, article: CleanArticle) -> Summary:
        limit = round(self.options.max_chars * LEAD_STRETCH)
        units = candidate_units(article.sentences, limit)
        if not units:
            # Only very short or over-long sentences: a short one still says something.
            units = [s for s in article.sentences if len(s) <= limit][:1]
        lead = find_lead(units)
        headline, headline_method = extract_headline(article, units, lead, self.options.headline_max_chars)
        return Summary(
            headline=headline,
            text=self.summary_text(units, headline),
            method=self.name,
            headline_method=headline_method,
        )

    def summary_text(self, units: list[str], headline: str) -> str:
        """Whole sentences that add to the headline what it does not say: the best by the learned
        key-fact score first, less what each repeats of the headline; none that says the headline
        again (`repeats_headline`), though the clauses that follow the headline in its own sentence
        may be used (`remainder`); within max_chars; in document order."""
        if not units:
            return ""
        # A sentence that says the headline again offers the clauses after it, if they add.
        units = [remainder(headline, unit) if repeats_headline(headline, unit) else unit for unit in units]
        learned = default_scorer().score(sentence_units(units), "sentence")
        scores = [score - ECHO_WEIGHT * headline_echo(headline, unit)
                  + FACT_WEIGHT * min(new_facts(headline, unit), MAX_FACTS) for score, unit in zip(learned, units)]
        order = sorted(range(len(units)), key=lambda k: (-scores[k], k))
        chosen: list[int] = []
        chosen_words: set[str] = set()
        length = 0
        for index in order:
            unit = units[index]
            if not unit or length + len(unit) > self.options.max_chars or repeats_headline(headline, unit):
                continue
            if chosen and _LOW_VALUE.search(unit):
                continue
            words = set(self.segmenter.content_words(unit))
            if words and len(words & chosen_words) / len(words) > REDUNDANCY:
                continue
            chosen.append(index)
            chosen_words |= words
            length += len(unit)
            if length >= self.options.min_chars or len(chosen) == self.options.max_sentences:
                break
        return "".join(units[k] for k in sorted(chosen))


def find_lead(units: list[str]) -> int | None:
    """The first sentence that reports: a dateline or an event verb, not a roll call."""
    for index, unit in enumerate(units[:LEAD_WINDOW]):
        if _LATER_POINT.match(unit):
            continue
        if len(unit) >= 15 and not _LOW_VALUE.search(unit) and (_DATELINE.search(unit) or _EVENT_VERB.search(unit)):
            return index
    return None


def candidate_units(sentences: tuple[str, ...], max_chars: int) -> list[str]:
    """Sentences, with over-long ones split at ；(a clause boundary, never mid-clause)."""
    units = []
    for sentence in sentences:
        if len(sentence) <= max_chars:
            pieces = [sentence]
        else:
            pieces = [p for p in re.split(r"(?<=；)", sentence) if p]
            # A clause that ends in ；closes the summary badly: end it with 。 instead.
            pieces = [p[:-1] + "。" if p.endswith("；") else p for p in pieces]
        units.extend(p for p in pieces if MIN_SENTENCE_CHARS <= len(p) <= max_chars and not _OPENS_LIST.search(p))
    return units[:MAX_UNITS]


# "主要包括：" or a salutation ("各区人民政府：") only announces what follows.
_OPENS_LIST = re.compile(r"[：:]$")


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
_LATER_POINT = re.compile(r"^[二三四五六七八九十]+、")
_SHORT_TAIL = re.compile(r"[\u4e00-\u9fff0-9]{2,4}")  # 大寒, 当场死亡, 连伤4人
# "市委常委会召开会议": a title that says a meeting was held, not what it took up.
_BARE_MEETING = re.compile(r"^[^，,！!？?]{2,12}(?:召开|举行)(?:[^，,]{0,4})会议$")
_POINTER_SUBJECT = re.compile(r"^(?:这个|这家|这座|该)(码头|港口|公司|企业|集团|项目|中心|园区|基地|平台|工厂|医院|学校|街区)")
_PLACE_VERB = re.compile(r"^(?:在|于|从|到|走进|来到|位于)")
# 在此 as "here", not 在此次/此时/此后/此前/此间 (a time, or a dateline's "in this city").
_DANGLING_HERE = re.compile(r"在(?:此(?![次时后前间期刻外之类种基])|这里)(?=[\u4e00-\u9fff])")
_ASIDE = re.compile(r"（[^（）]*）|\([^()]*\)")


def extract_headline(article: CleanArticle, units: list[str], lead: int | None, max_chars: int) -> tuple[str, str]:
    """The name of the document the post publishes; else the title when it informs. A teaser
    title gives way to the clause near the top that echoes it; else to the lead sentence's
    opening clauses, unless those are about something else and the title's 这区 or 这家企业
    can be filled in from the post (`resolved-title`); else to the teaser itself."""
    document = document_name(article, max_chars * DOCUMENT_STRETCH)
    if document:
        return document, "document"
    title = tidy_title(article.title)
    if title and not is_teaser(article.title):
        clause = lead_clause(units[lead], max_chars) if lead is not None and _BARE_MEETING.match(title) else ""
        if clause.startswith(title + "，"):
            return clause, "lead"  # 市委常委会召开会议，学习贯彻…: what the meeting took up
        named = expand_short_names(title, article.body, max_chars * DOCUMENT_STRETCH)
        return (named, "resolved-title") if named != title else (title, "title")
    clause = title_clause(article.title, units, max_chars)
    if clause:
        return clause, "lead"
    resolved = resolve_title(article.title, article.body) if article.title else ""
    if len(resolved) > max_chars:
        resolved = ""
    clause = lead_clause(units[lead], max_chars) if lead is not None else ""
    # A scene-setting lead (力箭一号…刺破苍穹) says less than the title it leaves unexplained.
    if clause and not (resolved and echo_share(article.title, clause) < OFF_TOPIC):
        return clause, "lead"
    if resolved:
        return resolved, "resolved-title"
    if title or article.title:
        return title or article.title, "title"
    # No title at all: the opening clauses of the first sentence, whatever it is.
    for sentence in article.sentences[:1]:
        clause = lead_clause(sentence, max_chars) or sentence[:max_chars].rstrip("，,；。！？") + "…"
        return clause, "lead"
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
        for clause in re.split(r"[，,；;。！？!?：:]", _ASIDE.sub("", unit)):
            clause = clause.strip()
            if not MIN_HEADLINE_CHARS <= len(clause) <= max_chars:
                continue
            pairs = char_pairs(clause)
            share = len(pairs & wanted) / len(wanted)
            if share > best_share and len(pairs - wanted) >= 2 and _EVENT_VERB.search(clause):
                best, best_share = clause, share
    if best_share < TITLE_MATCH or is_teaser(best) or is_open_ended(best):
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
    clauses = [c for c in re.split(r"(?<=[，,；。！？：])", text) if c]
    headline = ""
    for index, clause in enumerate(clauses):
        candidate = headline + clause
        limit = max_chars * LONG_CLAUSE_STRETCH if is_open_ended(headline) else max_chars
        if len(candidate.rstrip(_CLAUSE_ENDS)) > limit:
            break
        headline = candidate
        if len(headline) >= 14 and not is_open_ended(headline):
            # "…最后一个节气，大寒。": a last clause this short finishes the statement.
            rest = "".join(clauses[index + 1 :]).rstrip(_CLAUSE_ENDS)
            if _SHORT_TAIL.fullmatch(rest) and len(headline + rest) <= limit:
                headline += rest
            break
    if not headline and clauses and _EVENT_VERB.search(clauses[0]):
        # One long clause that says what happened beats a teaser title. Shorter without who made
        # it ("由北京大学与北辰区人民政府携手共建的北京大学…中心…启用"); else allow some overrun;
        # else drop a description that leads up to the name ("…协同创新组织——市国资系统…平台宣告成立").
        first = clauses[0]
        for clause in (_MAKER_CLAUSE.sub("", first, count=1), first, first.rsplit("——", 1)[-1]):
            if len(clause.rstrip(_CLAUSE_ENDS)) <= max_chars * LONG_CLAUSE_STRETCH and _EVENT_VERB.search(clause):
                headline = clause
                break
    headline = named_subject(headline.rstrip(_CLAUSE_ENDS + " "), whole[: len(whole) - len(text)],
                             round(max_chars * LONG_CLAUSE_STRETCH))
    headline = finish_clause(headline)
    return headline if len(headline) >= MIN_HEADLINE_CHARS else ""


def finish_clause(headline: str) -> str:
    """A clause taken out of its sentence, made to stand alone as a headline."""
    # "…推介会在此举办": the place 此 stands for was in a sentence the headline does not show.
    headline = _DANGLING_HERE.sub("", headline)
    if headline.count("“") > headline.count("”"):
        headline += "”"  # a quotation stays one, though the headline ends before its closing mark
    return headline


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


@register("extractive")
def _extractive(options: SummaryOptions) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(options=options, segmenter=default_segmenter())
