"""Shared by the feed tests: the fixtures, briefings built from them, a local feed server."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from digest.config import load_config
from digest.ingest import read_exports
from digest.period import Period
from digest.pipeline import run
from digest.render import render
import datetime as dt

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
ACCOUNTS = ("MP_WXS_3091221331", "MP_WXS_3092445102", "MP_WXS_3093667473")
WEEK = Period.week_of(dt.date(2026, 3, 2))


def week_briefing(inputs, fmt: str = "json", ingest=read_exports) -> str:
    """The W10 briefing of `inputs` as text, skips left out (their file names differ by input)."""
    from dataclasses import replace

    briefing = run([str(i) for i in inputs], WEEK, load_config(None, environ={}), "weekly", ingest=ingest)
    return render(replace(briefing, skipped=()), fmt, load_config(None, environ={})).decode("utf-8")


class FeedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/fixtures/feeds with an ETag, plus paths that misbehave on purpose."""

    requests: list[tuple[str, dict]] = []
    failures_left: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(FEEDS), **kwargs)

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        FeedHandler.requests.append((self.path, dict(self.headers)))
        if self.path.startswith("/flaky/"):
            left = FeedHandler.failures_left.get(self.path, 0)
            if left:
                FeedHandler.failures_left[self.path] = left - 1
                self.send_error(503, "Service Unavailable")
                return
            self.path = self.path[len("/flaky"):]
        if self.path == "/slow.atom":
            time.sleep(2)
            self.send_error(504)
            return
        if self.path == "/huge.rss":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(b"<rss>" + b" " * 200_000 + b"</rss>")
            return
        file = FEEDS / self.path.lstrip("/").split("?")[0]
        if file.is_file():
            body = file.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_error(404)


@contextmanager
def feed_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (a free port) for the duration of the block; yields its base URL."""
    FeedHandler.requests = []
    FeedHandler.failures_left = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
