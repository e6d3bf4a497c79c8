"""The records that flow through the pipeline.

Every stage takes and returns these frozen dataclasses, so a stage can never
change what an earlier stage produced:

    ingest  -> Article            (raw fields, one per input post)
    clean   -> CleanArticle       (normalised title, paragraphs, sentences, trailers)
    classify-> Classification
    rank    -> Group              (a lead article, its related ones, an explained score)
    summarise -> Summary
    render  <- Briefing           (sections of Items, plus the skip report)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .period import Kind, Period

CATEGORIES: tuple[str, ...] = ("governance", "economy", "weather", "transport", "society")
CATEGORY_LABELS: dict[str, str] = {
    "governance": "时政",
    "economy": "经济",
    "weather": "天气",
    "transport": "交通",
    "society": "社会民生",
}


@dataclass(frozen=True)
class Article:
    """One post as read from an export, before any cleaning."""

    aid: str
    title: str
    url: str
    published: dt.date
    account: str
    content: str
    source_file: str = ""
    position: int = 0  # index of the post inside its source file
    bundle: str = ""  # the aid of the post this item was split from (digest/bundles.py)


def counts_as_post(aid: str) -> int:
    """1, except for the second and later items split from one bundle post ("aid#2"): a post
    counts once in the totals, however many items it was split into."""
    base, mark, number = aid.rpartition("#")
    return 0 if mark and base and number.isdigit() and number != "1" else 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    is_heading: bool = False  # a short unterminated line standing alone: a subtitle


@dataclass(frozen=True)
class CleanArticle:
    """An article whose text is normalised; `article` keeps the raw record."""

    article: Article
    title: str
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[str, ...]  # body sentences in document order (headings excluded)
    source_outlet: str | None = None  # from a trailer such as 来源：天津日报
    credits: tuple[str, ...] = ()  # other trailers (海报制作：…, 编辑：…), kept verbatim

    @property
    def aid(self) -> str:
        return self.article.aid

    @property
    def body(self) -> str:
        return "\n".join(p.text for p in self.paragraphs if not p.is_heading)

    @property
    def lead(self) -> str:
        """The first body paragraph: where Chinese news puts who, what and when."""
        for paragraph in self.paragraphs:
            if not paragraph.is_heading:
                return paragraph.text
        return ""


@dataclass(frozen=True)
class Classification:
    category: str
    scores: tuple[tuple[str, float], ...]  # every category's score, best first
    matched: tuple[tuple[str, float], ...]  # top matched terms of the winning category
    learned: tuple[tuple[str, float], ...] = ()  # top learned words for it, when they count
    prior: float = 0.0  # the category's prior, when it (not the evidence) tipped the decision

    @property
    def reason(self) -> str:
        label = CATEGORY_LABELS[self.category]
        words = "、".join(f"{word}({weight:+g})" for word, weight in self.learned)
        learned = f"; learned: {words}" if words else ""
        prior = f"; prior {self.prior:+g}" if self.prior else ""
        if not self.matched:
            return f"{label}: no category term matched{' (catch-all)' if not learned else ''}{learned}{prior}"
        terms = "、".join(f"{term}({weight:g})" for term, weight in self.matched)
        return f"{label}: {terms}{learned}{prior}"


@dataclass(frozen=True)
class Score:
    total: float
    parts: tuple[tuple[str, float], ...]  # (signal, points), largest first

    @property
    def reason(self) -> str:
        return ", ".join(f"{name} +{points:g}" for name, points in self.parts if points)


@dataclass(frozen=True)
class Group:
    """A lead article and the posts about the same event or repeating it."""

    lead: CleanArticle
    classification: Classification
    score: Score
    related: tuple[CleanArticle, ...] = ()
    relations: frozenset[str] = frozenset()  # why the related posts are here: near-duplicate, same event

    @property
    def relation(self) -> str:
        """The relations as shown to readers: "near-duplicate + same event"."""
        return " + ".join(sorted(self.relations))

    @property
    def post_count(self) -> int:
        return counts_as_post(self.lead.aid) + sum(counts_as_post(r.aid) for r in self.related)


@dataclass(frozen=True)
class Summary:
    headline: str
    text: str
    method: str  # which backend wrote the summary, e.g. "extractive"
    headline_method: str = ""


@dataclass(frozen=True)
class RelatedPost:
    aid: str
    title: str
    url: str
    published: dt.date


@dataclass(frozen=True)
class Item:
    aid: str
    title: str
    headline: str
    summary: str
    url: str
    published: dt.date
    account: str
    score: float
    method: str
    category: str
    category_reason: str
    score_reason: str = ""
    headline_method: str = ""
    source_outlet: str | None = None
    relation: str = ""  # near-duplicate / same event, when `related` is not empty
    related: tuple[RelatedPost, ...] = ()
    series: str = ""  # the series or column the title was tagged with (【新春走基层】), not in the headline
    bundle: str = ""  # the aid of the post this item was split from, when it bundled several

    @property
    def post_count(self) -> int:
        return counts_as_post(self.aid) + sum(counts_as_post(r.aid) for r in self.related)


@dataclass(frozen=True)
class Section:
    category: str
    items: tuple[Item, ...]

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def post_count(self) -> int:
        return sum(item.post_count for item in self.items)


@dataclass(frozen=True)
class Skip:
    """An input that could not become part of the briefing, and why."""

    reason: str
    aid: str | None = None
    file: str | None = None
    position: int | None = None
    published: dt.date | None = None  # when known: a skip belongs to its period's briefing


@dataclass(frozen=True)
class Briefing:
    kind: Kind
    title: str
    start: dt.date
    end: dt.date  # inclusive; equal to start for a daily briefing
    overview: str
    sections: tuple[Section, ...]
    skipped: tuple[Skip, ...] = ()
    accounts: tuple[str, ...] = ()
    # weekly only: per day, the number of posts in each category
    day_counts: tuple[tuple[dt.date, tuple[tuple[str, int], ...]], ...] = field(default=())
    source_hash: str = ""  # of the period's posts: unchanged input, unchanged briefing
    # weekly only: posts per category in the week before, when the input reaches back to it
    previous_counts: tuple[tuple[str, int], ...] | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.period}"

    @property
    def span(self) -> Period:
        return Period(self.kind, self.start, self.end)

    @property
    def period(self) -> str:
        """'2026-01-19' or '2026-W03'."""
        return self.span.label

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def post_count(self) -> int:
        return sum(section.post_count for section in self.sections)
