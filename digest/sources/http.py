"""Fetching feeds over HTTP: timeouts, retries with backoff, conditional GET, a size cap.

The validators (ETag, Last-Modified) and the last body of each URL are kept in
`cache_dir`, so an unchanged feed costs the server a 304 and digest reads the
copy it already has. Only http(s) URLs are fetched; redirects are followed by
urllib, but never to another scheme.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..deliver.files import atomic_write
from .options import FeedOptions

log = logging.getLogger("digest")

RETRIED_STATUS = (408, 425, 429, 500, 502, 503, 504)
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
          "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")


class FetchError(Exception):
    """A feed URL that gave nothing to read; the message is the skip reason."""


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes
    from_cache: bool  # the server said 304 Not Modified
    attempts: int


def is_url(text: str) -> bool:
    return urlsplit(str(text)).scheme.lower() in ("http", "https")


class _NoSchemeChange(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib's signature
        if not is_url(newurl):
            raise urllib.error.HTTPError(req.full_url, code, f"redirect to a non-http(s) URL: {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_NoSchemeChange())


def fetch(url: str, options: FeedOptions, cache_dir: Path | None,
          sleep: Callable[[float], None] = time.sleep) -> Fetched:
    """The body of `url`, or FetchError with the reason after `options.attempts` tries."""
    if not is_url(url):
        raise FetchError("only http(s) URLs are fetched")
    cached = _load_cache(cache_dir, url)
    headers = {"User-Agent": options.user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if cached:
        if cached.get("etag"):
            headers["If-None-Match"] = cached["etag"]
        if cached.get("last_modified"):
            headers["If-Modified-Since"] = cached["last_modified"]
    reason = ""
    for attempt in range(1, options.attempts + 1):
        if attempt > 1:
            delay = options.backoff * 2 ** (attempt - 2)
            log.info("feed %s: %s; retry %d of %d in %.1f s", url, reason, attempt - 1, options.attempts - 1, delay)
            sleep(delay)
        try:
            with _OPENER.open(urllib.request.Request(url, headers=headers), timeout=options.timeout) as response:
                body = _read_capped(response, options.max_bytes)
                _save_cache(cache_dir, url, response.headers.get("ETag"), response.headers.get("Last-Modified"), body)
                return Fetched(url, body, from_cache=False, attempts=attempt)
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and cached is not None and (body := _cached_body(cache_dir, url)) is not None:
                return Fetched(url, body, from_cache=True, attempts=attempt)
            reason = f"HTTP {exc.code} {exc.reason}"
            if exc.code not in RETRIED_STATUS:
                break
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
            reason = _network_reason(exc)
    tries = f" after {attempt} tries" if attempt > 1 else ""
    raise FetchError(f"cannot fetch feed: {reason}{tries}")


def _read_capped(response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"feed is {int(declared):,} bytes, over the {max_bytes:,}-byte cap (feeds.max_bytes)")
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise FetchError(f"feed is over the {max_bytes:,}-byte cap (feeds.max_bytes)")
    return body


def _network_reason(exc: Exception) -> str:
    inner = getattr(exc, "reason", exc)
    if isinstance(inner, (socket.timeout, TimeoutError)):
        return "timed out"
    return str(getattr(inner, "strerror", None) or inner)


# The cache: one JSON file of validators and one body file per URL, named by its hash.

def _paths(cache_dir: Path, url: str) -> tuple[Path, Path]:
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    return cache_dir / f"{name}.json", cache_dir / f"{name}.body"


def _load_cache(cache_dir: Path | None, url: str) -> dict | None:
    if cache_dir is None:
        return None
    meta, body = _paths(cache_dir, url)
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("url") == url and body.exists() else None


def _cached_body(cache_dir: Path | None, url: str) -> bytes | None:
    if cache_dir is None:
        return None
    try:
        return _paths(cache_dir, url)[1].read_bytes()
    except OSError:
        return None


def _save_cache(cache_dir: Path | None, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
    if cache_dir is None or not (etag or last_modified):
        return
    meta, body_path = _paths(cache_dir, url)
    try:
        atomic_write(body_path, body)
        atomic_write(meta, json.dumps({"url": url, "etag": etag, "last_modified": last_modified}).encode())
    except OSError as exc:  # a cache that cannot be written costs a full download next time, nothing more
        log.warning("feed cache %s not written: %s", cache_dir, exc)

