"""Publish briefings as Markdown pages in a wiki's git repository.

A page's path comes from its date or week only (never from a title) and must
stay inside the wiki. Pages carry YAML front matter with a hash of their
source posts, so rerunning on unchanged input writes nothing and commits
nothing. One run at a time: an flock inside .git serialises publishers.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import DeliveryError
from ..options import at_least, config_section, setting
from ..records import Briefing
from .files import atomic_write, confined_path, exclusive_lock

log = logging.getLogger(__name__)

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
FALLBACK_IDENTITY = ("digest", "digest@localhost")


@config_section
class WikiOptions:
    """Config section `[wiki]`: the git wiki `digest publish` commits briefings to."""

    path: Path | None = setting(None, "The wiki's git work tree `digest publish` writes to.")
    daily_page: str = setting("daily/{year}/{month}/{date}.md",
                              "Daily page path inside the wiki; placeholders {year} {month} {day} {date}.")
    weekly_page: str = setting("weekly/{week}.md",
                               "Weekly page path inside the wiki; placeholders {year} {week_number} {week}.")
    index_page: str = setting("index.md", "The index page listing every briefing.")
    push: bool = setting(False, "Push after committing.")
    remote: str = setting("origin", "The remote to push to.")
    lock_timeout: float = setting(
        60.0, "Seconds to wait for another run that holds the wiki's lock before giving up cleanly.",
        check=at_least(0))


@dataclass(frozen=True)
class PublishResult:
    page: str  # relative to the wiki root
    changed: tuple[str, ...]  # pages written this run
    commit: str | None  # the new commit's hash, None when nothing changed
    pushed: bool | None = None  # None: no push asked
    push_error: str = ""


def page_path(briefing: Briefing, options: WikiOptions) -> str:
    start = briefing.start
    if briefing.span.is_daily:
        fields = {"year": f"{start.year:04d}", "month": f"{start.month:02d}", "day": f"{start.day:02d}",
                  "date": start.isoformat()}
        template = options.daily_page
    else:
        year, week, _ = start.isocalendar()
        fields = {"year": f"{year:04d}", "week_number": f"{week:02d}", "week": briefing.period}
        template = options.weekly_page
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise DeliveryError(f"wiki page layout {template!r}: unknown placeholder {exc}") from exc


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar that keeps Chinese readable (UTF-8, not \\u escapes).

    Only what YAML would misread is escaped: quotes, backslashes, control
    characters, and U+0085/U+2028/U+2029, which a YAML parser takes for line
    breaks (a title must never start a new front-matter key).
    """
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _YAML_BREAKS:
            out.append(_YAML_BREAKS[ch])
        elif code < 0x20 or 0x7F <= code < 0xA0 or ch == "\ufeff" or 0xD800 <= code < 0xE000:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_YAML_BREAKS = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def page_text(briefing: Briefing, markdown: str) -> str:
    """Front matter + the Markdown briefing."""
    counts = {s.category: s.post_count for s in briefing.sections}
    lines = ["---", f"kind: {briefing.kind}"]
    lines.append(f"date: {briefing.period}" if briefing.span.is_daily else f"week: {briefing.period}")
    lines += [f"title: {yaml_string(briefing.title)}",
              f"posts: {sum(counts.values())}",
              "categories:"]
    lines += [f"  {category}: {count}" for category, count in counts.items()] or ["  {}"]
    lines += [f"source_hash: {briefing.source_hash}", f"generator: digest {__version__}", "---", ""]
    return "\n".join(lines) + markdown


def publish(briefing: Briefing, markdown: str, wiki: Path, options: WikiOptions) -> PublishResult:
    """Write the page and the index under `wiki` (which may be a folder inside a
    larger repository) and commit them; push when the options say so."""
    root = wiki.resolve()
    top = _work_tree(root)
    relative = page_path(briefing, options)
    page = confined_path(root, relative)
    index = confined_path(root, options.index_page)
    with exclusive_lock(_git_dir(top) / "digest-publish.lock", options.lock_timeout, "publishing to this wiki"):
        # Check before writing anything: a refused run must leave the wiki as it was.
        if index.exists() and not _front_matter(index).get("generator", "").startswith("digest"):
            raise DeliveryError(f"{options.index_page} exists and was not written by digest; "
                                "set wiki.index_page to another name")
        changed = []
        if atomic_write(page, page_text(briefing, markdown).encode("utf-8")):
            changed.append(relative)
        if atomic_write(index, index_text(root, index).encode("utf-8")):
            changed.append(options.index_page)
        paths = [page.relative_to(top).as_posix(), index.relative_to(top).as_posix()]
        commit = _commit(top, paths, _message(briefing))
        result = PublishResult(page=relative, changed=tuple(changed), commit=commit)
        if options.push:
            result = _push(top, options.remote, result)
    return result


def index_text(root: Path, index: Path) -> str:
    """The index page, rebuilt from the front matter of every page digest wrote."""
    daily, weekly = [], []
    for path in sorted(root.rglob("*.md")):
        if path == index or ".git" in path.relative_to(root).parts:
            continue
        meta = _front_matter(path)
        if meta.get("generator", "").startswith("digest"):
            link = path.relative_to(root).as_posix()
            if meta.get("kind") == "daily" and "date" in meta:
                daily.append((meta["date"], link, meta.get("posts", "?")))
            elif meta.get("kind") == "weekly" and "week" in meta:
                weekly.append((meta["week"], link, meta.get("posts", "?")))
    lines = ["---", "kind: index", f"generator: digest {__version__}", "---", "", "# 简报索引", ""]
    for heading, entries in (("每周简报", weekly), ("每日简报", daily)):
        if entries:
            lines += [f"## {heading}", ""]
            lines += [f"- [{label}]({link})：{posts}条" for label, link, posts in sorted(entries, reverse=True)]
            lines.append("")
    return "\n".join(lines)


def front_matter(text: str) -> tuple[dict[str, object], str]:
    """A page's front matter as `page_text` writes it (`categories` as a mapping) and its Markdown body."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, object] = {}
    nested: dict[str, str] | None = None
    for line in match[1].split("\n"):  # not splitlines(): U+2028 is no line break here
        key, sep, value = line.partition(":")
        if not sep:
            continue
        if line.startswith(" ") and nested is not None:
            nested[key.strip()] = value.strip()
        elif not line.startswith(" "):
            nested = {} if not value.strip() else None
            meta[key.strip()] = nested if nested is not None else value.strip()
    return meta, text[match.end():]


def _front_matter(path: Path) -> dict[str, object]:
    try:
        return front_matter(path.read_text(encoding="utf-8"))[0]
    except (OSError, UnicodeDecodeError):
        return {}


def _message(briefing: Briefing) -> str:
    return f"digest: {briefing.kind} briefing {briefing.period} ({briefing.post_count} posts)"


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=environment)
    if check and result.returncode != 0:
        raise DeliveryError(f"git {args[0]} failed: {(result.stderr or result.stdout).strip()}")
    return result


def _work_tree(wiki: Path) -> Path:
    """The top of the git work tree that holds `wiki`."""
    if not wiki.is_dir():
        raise DeliveryError(f"wiki folder not found: {wiki}")
    result = _git(wiki, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise DeliveryError(f"not a git repository: {wiki} (run `git init` there first)")
    return Path(result.stdout.strip()).resolve()


def _git_dir(root: Path) -> Path:
    path = Path(_git(root, "rev-parse", "--git-dir").stdout.strip())
    return path if path.is_absolute() else root / path


def _commit(root: Path, paths: list[str], message: str) -> str | None:
    _git(root, "add", "--", *paths)
    if _git(root, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        return None  # nothing new: no empty commit
    identity = []
    if not _git(root, "config", "user.email", check=False).stdout.strip():
        identity = ["-c", f"user.name={FALLBACK_IDENTITY[0]}", "-c", f"user.email={FALLBACK_IDENTITY[1]}"]
    # `-- paths` commits only digest's pages, whatever else the wiki has staged.
    _git(root, *identity, "commit", "--quiet", "-m", message, "--", *paths)
    return _git(root, "rev-parse", "HEAD").stdout.strip()


def _push(root: Path, remote: str, result: PublishResult) -> PublishResult:
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", remote) or remote.startswith("-"):
        raise DeliveryError(f"wiki.remote is not a remote name: {remote!r}")
    outcome = _git(root, "push", "--quiet", remote, "HEAD", check=False)
    if outcome.returncode != 0:
        error = (outcome.stderr or outcome.stdout).strip()
        log.error("push to %s failed (the local commit stays): %s", remote, error)
        return PublishResult(result.page, result.changed, result.commit, pushed=False, push_error=error)
    return PublishResult(result.page, result.changed, result.commit, pushed=True)
