"""Posts from feeds: RSS, Atom and JSON Feed files or http(s) URLs, and the local archive.

    FeedReader      what `--input` does with a feed file or URL (the hook in ingest.py)
    feeds.py        recognising and parsing the feed shapes (safe XML)
    html.py         HTML bodies -> clean paragraphs
    http.py         fetching: timeouts, retries, conditional GET, size cap
    archive.py      the SQLite archive that keeps what earlier runs read
    options.py      FeedOptions, the settings of all of it

The same post in several feeds (a per-account and an `all` feed, RSS and JSON
Feed) is one post: copies are matched by canonical link, then by their words,
and merged into the fullest copy.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..records import Skip
from .archive import Archive, ArchiveReport, default_archive_path, post_key
from .feeds import FeedError, FeedPost, canonical_link, parse_feed, sniff
from .http import FetchError, fetch, is_url
from .options import FeedOptions

if TYPE_CHECKING:
    from ..ingest import IngestResult

__all__ = ["Archive", "ArchivedRun", "FeedOptions", "FeedPost", "FeedReader", "canonical_link", "is_url",
           "read_inputs"]

log = logging.getLogger("digest")


@dataclass
class FeedReader:
    """Reads the feeds among the inputs of one run and merges their copies of each post."""

    options: FeedOptions = field(default_factory=FeedOptions)
    cache_dir: Path | None = None  # conditional-GET validators and bodies; None: always a full download
    posts: list[FeedPost] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def read_if_url(self, given: str | Path) -> bool:
        """Fetch and read `given` when it is an http(s) URL; False for a path."""
        if not isinstance(given, str) or not is_url(given):
            return False
        try:
            fetched = fetch(given, self.options, self.cache_dir)
        except FetchError as exc:
            self.skipped.append(Skip(reason=str(exc), file=given))
            return True
        if fetched.from_cache:
            log.info("feed %s: not modified, read from the cache", given)
        self._read(fetched.body, given, feed_url=given)
        return True

    def read_if_feed(self, file: Path, shown: str) -> bool:
        """Read `file` when its content is a feed; False leaves it to the export reader."""
        try:
            with file.open("rb") as handle:
                head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
            if not head.startswith((b"<", b"{")):
                return False
            data = file.read_bytes()  # a JSON feed is told from an export only by its items
        except OSError:
            return False  # the export reader reports it
        if sniff(data) is None:
            return False
        if len(data) > self.options.max_bytes:
            self.skipped.append(Skip(reason=f"feed is over the {self.options.max_bytes:,}-byte cap "
                                            "(feeds.max_bytes)", file=shown))
            return True
        self._read(data, shown)
        return True

    def _read(self, data: bytes, source: str, feed_url: str = "") -> None:
        try:
            feed = parse_feed(data, source, feed_url)
        except FeedError as exc:
            self.skipped.append(Skip(reason=str(exc), file=source))
            return
        described = sum(p.description_only for p in feed.posts)
        log.info("feed %s (%s): %d posts%s, %d skipped", source, feed.kind, len(feed.posts),
                 f" ({described} description only)" if described else "", len(feed.skipped))
        self.posts.extend(feed.posts)
        self.skipped.extend(feed.skipped)

    def merged(self) -> tuple[list[FeedPost], list[Skip], list[Skip]]:
        """One post per story however many feeds carried it; the copies merged away; the skips."""
        kept, merged, untold = merge_copies(self.posts)
        return kept, merged, [*self.skipped, *untold]


def merge_copies(posts: list[FeedPost]) -> tuple[list[FeedPost], list[Skip], list[Skip]]:
    """(posts, copies merged away, posts with no text in any copy).

    Copies of a post are found by canonical link, then by title and text; the fullest copy is kept.
    The kept copy takes the best account any copy names, so a post read through
    an `all` feed that names no account still shows the one its own feed gives.
    """
    groups: list[list[FeedPost]] = []
    by_key: dict[str, list[FeedPost]] = {}
    for post in sorted(posts, key=_order):
        keys = [k for k in (post.link_key, post.content_key) if k]
        group = next((by_key[k] for k in keys if k in by_key), None)
        if group is None:
            group = []
            groups.append(group)
        group.append(post)
        for key in keys:
            by_key.setdefault(key, group)
    kept, merged, skipped = [], [], []
    for group in groups:  # each group is in reading order, so ties go to the copy read first
        best = max(group, key=lambda p: (not p.description_only, len(p.article.content), p.article.content))
        if not best.article.content:
            skipped.extend(Skip(reason="feed item has only a title: no body, description or summary",
                                aid=p.article.aid, file=p.article.source_file, position=p.article.position,
                                published=p.article.published) for p in group)
            continue
        named = max(group, key=lambda p: (p.account_known, bool(p.article.account)))
        merged.extend(
            Skip(reason=f"same post as {best.article.source_file}#{best.article.position}; merged",
                 aid=p.article.aid, file=p.article.source_file, position=p.article.position,
                 published=p.article.published)
            for p in group if p is not best
        )
        if named.article.account != best.article.account:
            best = replace(best, article=replace(best.article, account=named.article.account),
                           account_known=named.account_known)
        kept.append(best)
    return kept, merged, skipped


def _order(post: FeedPost) -> tuple:
    return (post.article.source_file, post.article.position)


@dataclass(frozen=True)
class ArchivedRun:
    """What one run read, and what the archive made of it."""

    ingested: IngestResult
    report: ArchiveReport | None  # None when nothing was archived
    description_only: int  # posts read from feeds that had no body


def read_inputs(paths: Sequence[str | Path], options: FeedOptions, state_dir: Path, now: dt.datetime, *,
                from_archive: bool = False, archive_exports: bool = False,
                keep_day: Callable[[dt.date], bool] | None = None) -> ArchivedRun:
    """Read exports and feeds; archive the feed posts (and with `archive_exports`, the exports' too).

    With `from_archive`, the result holds every archived post as well, so a
    weekly briefing sees what the feeds no longer list; a post read in this run
    counts in its newest form.
    """
    from ..ingest import read_exports  # here: digest.ingest imports this package lazily too

    reader = FeedReader(options, cache_dir=Path(state_dir) / "feed-cache")
    # keep_day drops exports' posts of other days as they are read, unless the archive keeps them all.
    ingested = read_exports(paths, reader, keep_day=None if archive_exports else keep_day)
    fed, _, _ = reader.merged()
    wanted = {(p.article.account, p.article.aid) for p in fed} if not archive_exports else None
    bare = {(p.article.account, p.article.aid) for p in fed if p.description_only}
    to_archive = [(a, (a.account, a.aid) in bare) for a in ingested.articles
                  if wanted is None or (a.account, a.aid) in wanted]
    path = options.archive_path or default_archive_path(state_dir)
    report = None
    if (options.archive and to_archive) or from_archive:
        with Archive(path) as archive:
            if options.archive and to_archive:
                report = archive.add(to_archive, now)
                log.info("archive %s: %s", path, report)
            if from_archive:
                ingested = _with_archived(ingested, archive.articles())
    return ArchivedRun(ingested, report, len(bare))


def _with_archived(ingested: IngestResult, archived: list) -> IngestResult:
    read_now = {post_key(a) for a in ingested.articles} | {(a.account, a.aid) for a in ingested.articles}
    older = [a for a in archived if post_key(a) not in read_now and (a.account, a.aid) not in read_now]
    log.info("archive: %d earlier posts added to the %d read now", len(older), len(ingested.articles))
    return replace(ingested, articles=(*ingested.articles, *older))
