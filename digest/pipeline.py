"""The briefing pipeline: ingest → clean → classify → rank → summarise → assemble.

`run()` reads top to bottom. Everything between reading the exports and
returning the `Briefing` is pure, so the same input and config always give
the same briefing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .bundles import split_bundle
from .classify import Classifier
from .clean import clean_article
from .config import Config
from .errors import InputError, NoPostsError
from .ingest import IngestResult, read_exports
from .overview import daily_overview, weekly_overview
from .parallel import PostStages
from .period import Kind, Period
from .rank import FeatureCache, Story, group_stories, merge_groups
from .records import CATEGORIES, Article, Briefing, Group, Item, RelatedPost, Section, Skip, Summary
from .summarize import get_summarizer, summarize_all
from .summarize.titles import split_series_tag

log = logging.getLogger(__name__)


def run(inputs: Sequence[str | Path], period: Period | None, config: Config, kind: Kind = Kind.DAILY,
        ingest: Callable[..., IngestResult] = read_exports) -> Briefing:
    """Read the exports and build the daily or weekly briefing for `period`.

    With no period, the `kind` of briefing of the newest day in the input.
    `ingest(inputs, keep_day=...)` reads the inputs (the commands pass one that also keeps the archive).
    """
    with _timed("ingest") as note:
        # With a period, posts of other days are dropped as they are read (bounded memory); a week
        # keeps the week before too, for the change against it.
        ingested = ingest(inputs, keep_day=_wanted_days(period)) if period else ingest(inputs)
        note(f"{len(ingested.articles)} articles, {len(ingested.skipped)} skipped, "
             f"{len(ingested.merged_duplicates)} duplicates merged")
    period = period or Period.holding(kind, newest_day(ingested))
    articles = [a for a in ingested.articles if period.contains(a.published)]
    if not articles:
        raise NoPostsError(
            f"no article published in {period.label} (input has {_date_range(ingested)})" + _skip_hint(ingested),
            period,
            ingested.skipped,
        )
    # A broken record of another day belongs to that day's briefing, not this one.
    skipped = [s for s in ingested.skipped if s.published is None or period.contains(s.published)]
    return build_briefing(articles, skipped, period, config, _previous_week(ingested, period))


def build_briefing(articles: Sequence[Article], skipped: Sequence[Skip], period: Period, config: Config,
                   previous: Sequence[Article] | None = None) -> Briefing:
    """The pure part of `run`: articles of the period in, briefing out.

    previous: the week before's posts, for the weekly change (None: the input does not reach back).
    """
    classifier = Classifier.from_file(config.lexicon)
    stages = PostStages(config.run, config.lexicon, config.summary) if config.run.parallel else None
    try:
        return _build(articles, skipped, period, config, classifier, stages, previous)
    finally:
        if stages:
            stages.close()


def _build(articles: Sequence[Article], skipped: Sequence[Skip], period: Period, config: Config,
           classifier: Classifier, stages: PostStages | None, previous: Sequence[Article] | None) -> Briefing:
    with _timed("clean + classify") as note:
        stories, empty = prepare_stories([part for a in articles for part in split_bundle(a)], classifier, stages)
        note(f"{len(stories)} stories, {len(empty)} empty")
    if articles and not stories:
        raise NoPostsError(f"no post of {period.label} has any text left after cleaning",
                           period, (*skipped, *empty))
    with _timed("rank + group") as note:
        features = FeatureCache(classifier.lexicon, classifier.segmenter)  # the week reuses the days'
        daily_groups = {
            day: group_stories([s for s in stories if s.article.article.published == day],
                               classifier.lexicon, classifier.segmenter, features)
            for day in period.days
        }
        if period.is_daily:
            groups = daily_groups[period.start]
        else:
            # The week is built from the daily records; same-event stories of
            # neighbouring days become one item.
            groups = merge_groups([g for day in period.days for g in daily_groups[day]],
                                  classifier.lexicon, classifier.segmenter, features, from_days=True)
        note(f"{len(groups)} items")
    with _timed("summarise") as note:
        leads = [g.lead for g in groups]
        summaries = (stages.summarize(leads) if stages
                     else summarize_all(get_summarizer(options=config.summary), leads))
        sections = _sections([_item(g, summary) for g, summary in zip(groups, summaries)])
        note(f"{len(groups)} summaries by {config.summary.backend}")
    briefing = _assemble(period, sections, (*skipped, *empty), daily_groups, articles)
    if previous is None:
        return briefing
    earlier, _ = prepare_stories([part for a in previous for part in split_bundle(a)], classifier, stages)
    counts = tuple((c, sum(s.classification.category == c for s in earlier)) for c in CATEGORIES)
    return replace(briefing, previous_counts=counts)


def prepare_stories(articles: Sequence[Article], classifier: Classifier,
                    stages: PostStages | None = None) -> tuple[list[Story], list[Skip]]:
    """Clean and classify each article, in aid order; an article with no text left is skipped."""
    ordered = sorted(articles, key=lambda a: (a.published, a.aid, a.account))
    prepared = stages.prepare(ordered) if stages else [prepare_story(a, classifier) for a in ordered]
    return [p for p in prepared if isinstance(p, Story)], [p for p in prepared if isinstance(p, Skip)]


def prepare_story(article: Article, classifier: Classifier) -> Story | Skip:
    """One article cleaned and classified, or the reason it has no story."""
    cleaned = clean_article(article)
    if cleaned.sentences:
        return Story(cleaned, classifier.classify(cleaned))
    return Skip(reason="no text left after cleaning", aid=article.aid,
                file=article.source_file, position=article.position, published=article.published)


def _assemble(
    period: Period,
    sections: tuple[Section, ...],
    skips: tuple[Skip, ...],
    daily_groups: dict[dt.date, list[Group]],
    articles: Sequence[Article],
) -> Briefing:
    accounts = tuple(sorted({a.account for a in articles if a.account}))
    name = _accounts_label(accounts)
    source = source_hash(articles)
    title = name + period.kind.title
    if period.is_daily:
        return Briefing(kind=period.kind, title=title, start=period.start, end=period.end,
                        overview=daily_overview(period.start, sections), sections=sections,
                        skipped=skips, accounts=accounts, source_hash=source)
    day_counts = tuple(
        (day, tuple((c, sum(g.post_count for g in daily_groups[day] if g.classification.category == c))
                    for c in CATEGORIES))
        for day in period.days
    )
    return Briefing(kind=period.kind, title=title, start=period.start, end=period.end,
                    overview=weekly_overview(period.start, period.end, sections, day_counts),
                    sections=sections, skipped=skips, accounts=accounts, day_counts=day_counts,
                    source_hash=source)


def _wanted_days(period: Period) -> Callable[[dt.date], bool]:
    if period.is_daily:
        return period.contains
    before = period.previous()
    return lambda day: before.start <= day <= period.end


def _previous_week(ingested: IngestResult, period: Period) -> list[Article] | None:
    """The week before's posts, when the input reaches back to its Monday (a partial week would mislead)."""
    if period.is_daily:
        return None
    before = period.previous()
    if min((a.published for a in ingested.articles), default=before.end) > before.start and \
            not any(day <= before.start for day in ingested.days_left_out):
        return None
    return [a for a in ingested.articles if before.contains(a.published)]


def source_hash(articles: Sequence[Article]) -> str:
    """A fingerprint of the period's posts, independent of file order."""
    digest = hashlib.sha256()
    for article in sorted(articles, key=lambda a: a.aid):
        for part in (article.aid, article.title, article.url, article.published.isoformat(), article.content):
            digest.update(part.encode("utf-8") + b"\0")
    return "sha256:" + digest.hexdigest()


@contextmanager
def _timed(stage: str) -> Iterator[Callable[[str], None]]:
    """Log one line per stage: what it produced and how long it took."""
    notes: list[str] = []
    start = time.perf_counter()
    yield notes.append
    log.info("%s: %s (%.0f ms)", stage, "; ".join(notes), (time.perf_counter() - start) * 1000)


def _item(group: Group, summary: Summary) -> Item:
    article = group.lead.article
    return Item(
        aid=article.aid,
        title=group.lead.title,
        headline=summary.headline,
        headline_method=summary.headline_method,
        summary=summary.text,
        url=article.url,
        published=article.published,
        account=article.account,
        score=group.score.total,
        score_reason=group.score.reason,
        method=summary.method,
        category=group.classification.category,
        category_reason=group.classification.reason,
        source_outlet=group.lead.source_outlet,
        relation=group.relation,
        related=tuple(RelatedPost(r.aid, r.title, r.article.url, r.article.published) for r in group.related),
        series=split_series_tag(group.lead.title)[0],
        bundle=article.bundle,
    )


def _sections(items: list[Item]) -> tuple[Section, ...]:
    return tuple(
        Section(category, tuple(i for i in items if i.category == category))
        for category in CATEGORIES
        if any(i.category == category for i in items)
    )


def _accounts_label(accounts: tuple[str, ...]) -> str:
    if len(accounts) == 1:
        return f"{accounts[0]} · "
    return ""


def newest_day(ingested: IngestResult) -> dt.date:
    """The day of the newest post: a briefing without a period is of that day, or its week."""
    if not ingested.articles:
        raise InputError("the input holds no readable article" + _skip_hint(ingested))
    return max(a.published for a in ingested.articles)


def _date_range(ingested: IngestResult) -> str:
    days = sorted({a.published for a in ingested.articles} | set(ingested.days_left_out))
    if not days:
        return "no readable article"
    return f"posts from {days[0]} to {days[-1]}"


def _skip_hint(ingested: IngestResult) -> str:
    if not ingested.skipped:
        return ""
    first = ingested.skipped[0]
    return f" ({len(ingested.skipped)} skipped; first: {first.file or first.aid}: {first.reason})"
