"""The local archive: every post digest has read, in one SQLite file in the state folder.

Feeds hold only their newest items, so a weekly briefing needs what earlier runs
saw. A post is keyed by its canonical link (else account + aid). Each `add` is
one transaction: a run killed half-way leaves the archive as it was. Reading the
same feed again changes nothing; a post whose text changed keeps the newest text
and its earlier text goes to `earlier_versions`. A description-only copy never
replaces a full text.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..records import Article
from .feeds import canonical_link

ARCHIVE_NAME = "archive.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    key TEXT PRIMARY KEY,
    aid TEXT NOT NULL,
    account TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    published TEXT NOT NULL,          -- the day in Asia/Shanghai, YYYY-MM-DD
    content TEXT NOT NULL,
    description_only INTEGER NOT NULL,
    source TEXT NOT NULL,             -- the feed, URL or export it was last read from
    position INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    changed TEXT NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_by_day ON posts (published);
CREATE TABLE IF NOT EXISTS earlier_versions (
    key TEXT NOT NULL REFERENCES posts (key),
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    url TEXT NOT NULL,
    replaced TEXT NOT NULL,
    PRIMARY KEY (key, revision)
);
"""


@dataclass(frozen=True)
class ArchiveReport:
    added: int
    edited: int  # the text changed; the earlier one is kept in earlier_versions
    unchanged: int

    def __str__(self) -> str:
        return f"{self.added} new, {self.edited} edited, {self.unchanged} already archived"


def default_archive_path(state_dir: Path) -> Path:
    return Path(state_dir) / ARCHIVE_NAME


def post_key(article: Article) -> str:
    return canonical_link(article.url) or f"aid:{article.account}/{article.aid}"


class Archive:
    """A connection to the archive file; use as a context manager."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cannot open the archive {self.path}: {exc}") from None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._db.close()

    def add(self, posts: Iterable[tuple[Article, bool]], now: dt.datetime) -> ArchiveReport:
        """Archive (article, description_only) pairs in one transaction."""
        stamp = now.isoformat(timespec="seconds")
        added = edited = unchanged = 0
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for article, description_only in posts:
                outcome = self._add_one(article, description_only, stamp)
                added += outcome == "added"
                edited += outcome == "edited"
                unchanged += outcome == "unchanged"
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return ArchiveReport(added, edited, unchanged)

    def _add_one(self, article: Article, description_only: bool, stamp: str) -> str:
        key = post_key(article)
        row = self._db.execute("SELECT title, content, url, description_only, revision FROM posts WHERE key = ?",
                               (key,)).fetchone()
        values = (article.aid, article.account, article.title, article.url, article.published.isoformat(),
                  article.content, int(description_only), article.source_file, article.position)
        if row is None:
            self._db.execute("INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                             (key, *values, stamp, stamp))
            return "added"
        title, content, url, was_description_only, revision = row
        if (title, content) == (article.title, article.content) or (description_only and not was_description_only):
            return "unchanged"
        self._db.execute("INSERT INTO earlier_versions VALUES (?, ?, ?, ?, ?, ?)",
                         (key, revision, title, content, url, stamp))
        self._db.execute(
            "UPDATE posts SET aid = ?, account = ?, title = ?, url = ?, published = ?, content = ?, "
            "description_only = ?, source = ?, position = ?, changed = ?, revision = ? WHERE key = ?",
            (*values, stamp, revision + 1, key))
        return "edited"

    def articles(self, start: dt.date | None = None, end: dt.date | None = None) -> list[Article]:
        """The archived posts published from `start` to `end` (inclusive), newest text of each."""
        rows = self._db.execute(
            "SELECT aid, title, url, published, account, content, source, position FROM posts "
            "WHERE published >= ? AND published <= ? ORDER BY published, key",
            ((start or dt.date.min).isoformat(), (end or dt.date.max).isoformat())).fetchall()
        return [Article(aid=aid, title=title, url=url, published=dt.date.fromisoformat(day), account=account,
                        content=content, source_file=source, position=position)
                for aid, title, url, day, account, content, source, position in rows]

    def earlier_versions(self, article: Article) -> list[tuple[int, str, str]]:
        """(revision, title, content) of each text the post had before its newest, oldest first."""
        with closing(self._db.execute("SELECT revision, title, content FROM earlier_versions WHERE key = ? "
                                      "ORDER BY revision", (post_key(article),))) as cursor:
            return cursor.fetchall()

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
