"""Read WeChat article exports: a file or a folder of JSON / JSON Lines files.

This is one of the two stages that touch the file system (deliver is the
other). A malformed file or article never stops the run: it becomes a `Skip`
naming the file, the position and the reason, and the rest goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

from .clock import TIMEZONE
from .errors import InputError
from .records import Article, Skip

if TYPE_CHECKING:
    from .sources import FeedReader

log = logging.getLogger(__name__)

EXPORT_SUFFIXES = (".json", ".jsonl", ".ndjson")
FEED_SUFFIXES = (".xml", ".rss", ".atom")  # in a folder; a file named on its own is read whatever its name

# Field -> accepted keys, compared case-insensitively. The first spelling is the
# exporter's own (Chinese name + English name glued together); the others are
# variants seen in other exporters or written by hand.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "aid": ("文章标识符aid", "aid", "文章标识符", "id", "article_id", "msgid"),
    "title": ("标题title", "title", "标题"),
    "url": ("链接url", "url", "链接", "link", "content_url"),
    "time": ("时间time", "time", "时间", "date", "publish_time", "pub_time", "create_time", "datetime"),
    "account": ("公众号名称", "account", "公众号", "nickname", "account_name", "biz_name", "source"),
    "content": ("finalcontent", "content", "正文", "text", "body"),
}
# Containers some exporters wrap the list of articles in.
LIST_KEYS = ("articles", "data", "items", "list", "records")


@dataclass(frozen=True)
class IngestResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skip, ...]
    merged_duplicates: tuple[Skip, ...]  # repeated aids, merged into the first copy
    days_left_out: tuple[dt.date, ...] = ()  # days of export posts not kept (read_exports' keep_day)


def read_exports(paths: Iterable[str | Path], feeds: FeedReader | None = None, *,
                 keep_day: Callable[[dt.date], bool] | None = None) -> IngestResult:
    """Read every export under `paths`, in a stable order, merging repeated posts.

    A post is identified by (account, aid): WeChat numbers messages per account,
    so two accounts can share an aid. Copies of one post are merged into the
    fullest one, chosen by a total order so that file order never matters.
    Files are read one at a time; with `keep_day`, an export's posts of other
    days are dropped as they are read (only their days are kept), so a folder of
    many large exports costs the memory of the period's posts (a post whose
    copies carry different days is then merged from its copies of the period).
    """
    copies: dict[tuple[str, str], list[tuple[tuple, Article]]] = {}
    skipped: list[Skip] = []
    left_out: set[dt.date] = set()
    # Feeds (files recognised by content, and http(s) URLs) are read by digest.sources.
    if feeds is None:
        from .sources import FeedReader  # here: digest.sources uses this module's helpers

        feeds = FeedReader()
    for file, shown in _export_files([p for p in paths if not feeds.read_if_url(p)]):
        if feeds.read_if_feed(file, shown):
            continue
        for position, raw, error in _records(file):
            if error:
                skipped.append(Skip(reason=error, file=shown, position=position))
                continue
            try:
                article = parse_article(raw, source_file=shown, position=position or 0)
            except ValueError as exc:
                skipped.append(_article_skip(raw, str(exc), shown, position))
                continue
            if keep_day and not keep_day(article.published):
                left_out.add(article.published)
                continue
            copies.setdefault((article.account, article.aid), []).append((_version_time(raw), article))
    fed, merged_copies, feed_skips = feeds.merged()
    for post in fed:
        # A feed gives no time finer than the day it was read as: an export's own time wins.
        copies.setdefault((post.article.account, post.article.aid), []).append(((), post.article))
    skipped.extend(feed_skips)

    articles, duplicates = [], list(merged_copies)
    for versions in copies.values():
        kept_time, kept = max(versions, key=lambda v: (v[0], len(v[1].content), v[1].content, v[1].title,
                                                       v[1].url, v[1].source_file))
        articles.append(kept)
        where = f"{kept.source_file}#{kept.position}"
        for _, other in versions:
            if other is kept:
                continue
            if (other.title, other.content) == (kept.title, kept.content):
                duplicates.append(Skip(reason=f"same post as {where}; merged", aid=other.aid,
                                       file=other.source_file, position=other.position))
            else:
                # Another version of the post (an edit, a 【更正】): the reader sees the newest,
                # the skip report keeps the other so nothing is lost silently.
                skipped.append(Skip(reason=f"older version of this post; the newer one in {where} is briefed",
                                    aid=other.aid, file=other.source_file, position=other.position,
                                    published=other.published))
    return IngestResult(tuple(articles), tuple(skipped), tuple(duplicates), tuple(sorted(left_out)))


def _version_time(raw: dict[str, Any]) -> tuple[dt.datetime, ...]:
    """When this copy of a post was published, to the second where the export says; () when unreadable."""
    value = _field(raw, "time")
    try:
        day = parse_date(value)
    except ValueError:
        return ()
    text = str(value).strip()
    moment = None
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        seconds = float(value)
        moment = dt.datetime.fromtimestamp(seconds / 1000 if seconds > 1e11 else seconds, TIMEZONE)
    else:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            clock = _TIME_PATTERN.search(text)
            if clock:
                moment = dt.datetime(day.year, day.month, day.day, int(clock[1]) % 24, int(clock[2]) % 60)
    if moment is None:
        moment = dt.datetime(day.year, day.month, day.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(TIMEZONE).replace(tzinfo=None)
    return (moment,)


def _article_skip(raw: Any, reason: str, file: str, position: int | None) -> Skip:
    """A skip with whatever identity the broken record still has (aid, day)."""
    if not isinstance(raw, dict):
        return Skip(reason=reason, file=file, position=position)
    try:
        published = parse_date(_field(raw, "time"))
    except ValueError:
        published = None
    return Skip(reason=reason, aid=_one_line(_scalar(_field(raw, "aid"))) or None, file=file, position=position,
                published=published)


def _export_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """(file, name to show): the name is relative to the input's folder, so the
    same exports read through another path give the same skip report."""
    seen: set[Path] = set()
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES + FEED_SUFFIXES)
            base = path.resolve().parent
        elif path.is_file():
            candidates, base = [path], path.resolve().parent
        else:
            raise InputError(f"input not found: {path}")
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield candidate, resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else str(candidate)


def _records(file: Path) -> Iterator[tuple[int | None, Any, str | None]]:
    """Yield (position, record, error): position is the 1-based record number in
    a JSON array, the line number in JSON Lines, None for the whole file."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield None, None, f"cannot read file: {exc}"
        return
    if not text.strip():
        yield None, None, "empty file"
        return
    if file.suffix.lower() in (".jsonl", ".ndjson") or _looks_like_json_lines(text):
        yield from _json_lines(text)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield None, None, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        return
    except (RecursionError, ValueError) as exc:
        yield None, None, f"unreadable JSON: {_decoder_limit(exc)}"
        return
    records = _unwrap(data)
    if records is None:
        yield None, None, f"expected a JSON array of articles, got {type(data).__name__}"
        return
    for position, record in enumerate(records, start=1):
        yield position, record, None


def _looks_like_json_lines(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and lines[0].lstrip().startswith("{") and lines[0].rstrip().endswith("}")


def _json_lines(text: str) -> Iterator[tuple[int | None, Any, str | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON on line {number}: {exc.msg}"
            continue
        except (RecursionError, ValueError) as exc:
            yield number, None, f"unreadable JSON on line {number}: {_decoder_limit(exc)}"
            continue
        yield number, record, None


def _decoder_limit(exc: BaseException) -> str:
    """A hostile file hits the decoder's limits (nesting, digits): say which, not a traceback."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if "digits" in str(exc):
        return "a number with more than 4300 digits"
    return str(exc)


def _unwrap(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
        if _field(data, "content") is not None or _field(data, "title") is not None:
            return [data]
    return None


def parse_article(raw: Any, *, source_file: str = "", position: int = 0) -> Article:
    """Build an `Article` from one export record; ValueError says what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError(f"article is a JSON {type(raw).__name__}, not an object")
    missing = _non_finite_fields(raw)
    try:
        article = _article(raw, source_file, position)
    except ValueError as exc:
        if missing:
            raise ValueError(f"{exc} ({_non_finite_note(missing)})") from None
        raise
    if missing:
        log.warning("%s#%s: %s", source_file, position, _non_finite_note(missing))
    return article


def _non_finite_fields(raw: dict[str, Any]) -> list[str]:
    """Fields whose value is NaN or ±Infinity (JSON extensions Python reads): treated as missing."""
    return [name for name in FIELD_ALIASES if _field(raw, name, finite_only=False) is not _field(raw, name)]


def _non_finite_note(names: list[str]) -> str:
    return f"{', '.join(names)} not a finite number (NaN/Infinity), treated as missing"


def _article(raw: dict[str, Any], source_file: str, position: int) -> Article:
    content = _text(_field(raw, "content"))
    # A missing title stays empty: the summariser writes a headline from the lead.
    title = _text(_field(raw, "title"))
    if not content.strip():
        raise ValueError("article has no content")
    published = parse_date(_field(raw, "time"))
    url = safe_url(_text(_field(raw, "url")))
    aid = _one_line(_scalar(_field(raw, "aid"))) or _aid_from_url(url) or _aid_from_text(title, content)
    # Metadata goes into headers and front matter: one line, no control characters.
    account = _one_line(_text(_field(raw, "account")))
    return Article(
        aid=aid,
        title=title,
        url=url,
        published=published,
        account=account,
        content=content,
        source_file=source_file,
        position=position,
    )


def _field(raw: dict[str, Any], name: str, finite_only: bool = True) -> Any:
    lowered = {str(key).strip().lower(): value for key, value in raw.items()}
    for alias in FIELD_ALIASES[name]:
        value = lowered.get(alias)
        if value in (None, "") or (finite_only and isinstance(value, float) and not math.isfinite(value)):
            continue
        return value
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(f"expected text, got a JSON {type(value).__name__}")
    return str(value)


def _scalar(value: Any) -> str:
    return "" if isinstance(value, (dict, list)) else _text(value)


def _one_line(text: str) -> str:
    """Whitespace of every kind (CR, LF, U+2028, U+0085…) collapsed, control characters dropped."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


_DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TIME_PATTERN = re.compile(r"[T\s日]\s*(\d{1,2}):(\d{2})")


def parse_date(value: Any) -> dt.date:
    """The publication day in Asia/Shanghai, from the formats exporters write."""
    if value is None or value == "":
        raise ValueError("article has no publication time")
    if isinstance(value, bool):
        raise ValueError(f"unreadable publication time: {value!r}")
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):  # 20260119
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError as exc:
            raise ValueError(f"unreadable publication time: {text!r}") from exc
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        try:
            seconds = float(value)
            if seconds > 1e11:  # milliseconds
                seconds /= 1000
            return dt.datetime.fromtimestamp(seconds, TIMEZONE).date()
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError(f"unreadable publication time: {value!r}") from exc
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(TIMEZONE)
        return parsed.date()
    match = _DATE_PATTERN.search(text)
    if not match:
        raise ValueError(f"unreadable publication time: {text!r}")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ValueError(f"unreadable publication time: {text!r}") from exc


def safe_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL without control characters, else ''."""
    url = url.strip()
    if not url or any(ord(ch) < 0x20 or ch in "\x7f\u2028\u2029" for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url


def _aid_from_url(url: str) -> str:
    """WeChat links carry the message id and its position: mid=…&idx=…"""
    if not url:
        return ""
    query = parse_qs(urlsplit(url).query)
    mid, idx = query.get("mid", [""])[0], query.get("idx", [""])[0]
    return f"{mid}_{idx}" if mid and idx else ""


def _aid_from_text(title: str, content: str) -> str:
    digest = hashlib.sha1(f"{title}\n{content}".encode("utf-8")).hexdigest()
    return f"sha1-{digest[:12]}"
