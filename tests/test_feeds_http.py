"""Feeds over HTTP from a real local server: same briefings, conditional GET, retries, caps, failures reported."""

import json

import pytest

from digest.cli import main
from digest.ingest import read_exports
from digest.sources import FeedOptions, FeedReader
from digest.sources.http import FetchError, fetch

from feeds_support import ACCOUNTS, FEEDS, FeedHandler, feed_server, week_briefing

FAST = FeedOptions(timeout=1.0, attempts=3, backoff=0.0)


@pytest.fixture(scope="module")
def server():
    with feed_server() as base:
        yield base


@pytest.mark.parametrize("folder, paths, export", [
    ("wewe-rss", [f"{mp}.rss" for mp in ACCOUNTS], "export-short-links.json"),
    ("wewe-rss", [f"{mp}.atom" for mp in ACCOUNTS], "export-short-links.json"),
    ("wewe-rss", [f"{mp}.json" for mp in ACCOUNTS], "export-short-links.json"),
    ("wewe-rss", ["all.atom"], "export-short-links.json"),
    ("we-mp-rss", [f"{mp}.rss" for mp in ACCOUNTS], "export-long-links.json"),
    ("we-mp-rss", [f"{mp}.atom" for mp in ACCOUNTS], "export-long-links.json"),
    ("we-mp-rss", ["all.json"], "export-long-links.json"),
    (".", ["gov-site.rss"], "gov-site-export.json"),
], ids=["wewe-rss", "wewe-atom", "wewe-json", "wewe-all", "we-mp-rss-rss", "we-mp-rss-atom", "we-mp-rss-json",
        "gov-site"])
def test_each_shape_over_http_gives_the_briefing_of_the_export(server, folder, paths, export):
    urls = [f"{server}/{folder}/{path}" for path in paths]
    assert week_briefing(urls) == week_briefing([FEEDS / export])
    sent = FeedHandler.requests[-1][1]
    assert sent["User-Agent"].startswith("digest/")


def test_conditional_get_reads_an_unchanged_feed_from_the_cache(server, tmp_path):
    url = f"{server}/wewe-rss/all.json"
    first = fetch(url, FAST, tmp_path)
    second = fetch(url, FAST, tmp_path)
    assert not first.from_cache and second.from_cache and second.body == first.body
    headers = [h for path, h in FeedHandler.requests if path == "/wewe-rss/all.json"][-2:]
    assert "If-None-Match" not in headers[0] and headers[1]["If-None-Match"].startswith('"')
    reader = FeedReader(FAST, cache_dir=tmp_path)
    assert len(read_exports([url], reader).articles) == 10  # a 304 still gives the posts


def test_a_flaky_server_is_retried_with_backoff(server):
    path = "/flaky/wewe-rss/all.atom"
    FeedHandler.failures_left[path] = 2
    waits = []
    fetched = fetch(server + path, FeedOptions(timeout=1.0, attempts=3, backoff=0.5), None, sleep=waits.append)
    assert fetched.attempts == 3 and waits == [0.5, 1.0]
    FeedHandler.failures_left[path] = 5
    with pytest.raises(FetchError, match="HTTP 503 .* after 3 tries"):
        fetch(server + path, FAST, None, sleep=lambda s: None)


def test_a_missing_feed_is_not_retried(server):
    before = len(FeedHandler.requests)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/nowhere.rss", FAST, None, sleep=lambda s: None)
    assert len(FeedHandler.requests) == before + 1


def test_timeouts_and_the_size_cap(server):
    with pytest.raises(FetchError, match="timed out after 2 tries"):
        fetch(f"{server}/slow.atom", FeedOptions(timeout=0.3, attempts=2, backoff=0.0), None)
    with pytest.raises(FetchError, match="over the 100,000-byte cap"):
        fetch(f"{server}/huge.rss", FeedOptions(max_bytes=100_000), None)


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="only http"):
        fetch("file:///etc/passwd", FAST, None)


def test_a_failing_feed_is_reported_and_the_rest_briefed(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path / "state"))
    output = tmp_path / "week.json"
    status = main(["weekly", "-i", f"{server}/nowhere/all.atom", "-i", f"{server}/wewe-rss/all.json",
                   "-i", f"{server}/hostile/bomb.xml", "--week", "2026-W10", "-f", "json", "-o", str(output)])
    assert status == 0  # as the README says: done, with the skips listed
    briefing = json.loads(output.read_text(encoding="utf-8"))
    reasons = {s["file"]: s["reason"] for s in briefing["skipped"]}
    assert reasons[f"{server}/nowhere/all.atom"] == "cannot fetch feed: HTTP 404 Not Found"
    assert "refused" in reasons[f"{server}/hostile/bomb.xml"]
    assert sum(len(s["items"]) + sum(len(i["related"]) for i in s["items"]) for s in briefing["sections"]) == 10
    assert "cannot fetch feed" in capsys.readouterr().err
    assert (tmp_path / "state" / "archive.sqlite3").exists()  # the feed posts were archived
