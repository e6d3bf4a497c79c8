"""The archive: seven daily snapshots build the week; re-ingest adds nothing; edits keep the newest text."""

import datetime as dt
import json
import sqlite3

import pytest

from digest.cli import main
from digest.clock import TIMEZONE
from digest.ingest import read_exports
from digest.sources import FeedOptions, read_inputs
from digest.sources.archive import Archive

from feeds_support import FEEDS, week_briefing

SNAPSHOTS = sorted((FEEDS / "snapshots").glob("all-*.atom"))
NOW = dt.datetime(2026, 3, 9, 7, 0, tzinfo=TIMEZONE)


def test_seven_daily_snapshots_build_the_whole_week_from_the_archive(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path / "state"))
    assert len(SNAPSHOTS) == 7
    for snapshot in SNAPSHOTS:
        day = snapshot.stem.removeprefix("all-")
        assert main(["ingest", "-i", str(snapshot), "--now", f"{day}T09:00"]) == 0
        assert "new, 0 edited" in capsys.readouterr().out
        # Each snapshot alone holds one day: without the archive, the week would be that day only.
        assert {a.published.isoformat() for a in read_exports([snapshot]).articles} == {day}
    output = tmp_path / "week.json"
    assert main(["weekly", "--archive", "--week", "2026-W10", "-f", "json", "-o", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == week_briefing([FEEDS / "export-short-links.json"])
    week = json.loads(output.read_text(encoding="utf-8"))
    assert [sum(v for k, v in day.items() if k != "date") for day in week["day_counts"]] == [2, 2, 1, 1, 1, 1, 2]


def test_reading_the_same_feeds_again_adds_nothing(tmp_path):
    options = FeedOptions()
    inputs = [str(FEEDS / "wewe-rss" / "all.json"), str(FEEDS / "gov-site.rss")]
    first = read_inputs(inputs, options, tmp_path, NOW)
    assert (first.report.added, first.report.edited, first.description_only) == (12, 0, 2)
    before = (tmp_path / "archive.sqlite3").read_bytes()
    again = read_inputs(inputs, options, tmp_path, NOW + dt.timedelta(days=1))
    assert (again.report.added, again.report.edited, again.report.unchanged) == (0, 0, 12)
    assert (tmp_path / "archive.sqlite3").read_bytes() == before
    # The same posts through other shapes and links are the same rows.
    other = read_inputs([str(FEEDS / "wewe-rss" / "MP_WXS_3091221331.rss")], options, tmp_path, NOW)
    assert other.report.added == 0
    with Archive(tmp_path / "archive.sqlite3") as archive:
        assert archive.count() == 12


def test_an_edited_post_keeps_its_newest_text_and_notes_the_earlier(tmp_path):
    original = FEEDS / "wewe-rss" / "MP_WXS_3092445102.atom"
    edited = tmp_path / "transport.atom"
    text = original.read_text(encoding="utf-8")
    edited.write_text(text.replace("首班车6时，末班车22时30分", "首班车6时，末班车23时"), encoding="utf-8")
    options = FeedOptions()
    read_inputs([str(original)], options, tmp_path, NOW)
    report = read_inputs([str(edited)], options, tmp_path, NOW + dt.timedelta(hours=2)).report
    assert (report.added, report.edited, report.unchanged) == (0, 1, 2)
    with Archive(tmp_path / "archive.sqlite3") as archive:
        (post,) = [a for a in archive.articles() if a.title.startswith("地铁3号线")]
        assert "末班车23时" in post.content
        ((revision, _, earlier),) = archive.earlier_versions(post)
        assert revision == 1 and "末班车22时30分" in earlier
    # A description-only copy never replaces the full text.
    with Archive(tmp_path / "archive.sqlite3") as archive:
        stub = post.__class__(**{**post.__dict__, "content": "记者从市轨道交通集团获悉。"})
        assert archive.add([(stub, True)], NOW).unchanged == 1
        assert "末班车23时" in next(a for a in archive.articles() if a.aid == post.aid).content


def test_a_run_killed_midway_leaves_the_archive_as_it_was(tmp_path):
    articles = read_exports([FEEDS / "wewe-rss" / "all.json"]).articles
    path = tmp_path / "archive.sqlite3"
    with Archive(path) as archive:
        archive.add([(articles[0], False)], NOW)

    def dies_after_three():
        for number, article in enumerate(articles[1:], start=1):
            if number == 4:
                raise KeyboardInterrupt  # what a killed run looks like from inside
            yield article, False

    with Archive(path) as archive, pytest.raises(KeyboardInterrupt):
        archive.add(dies_after_three(), NOW)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM posts").fetchone() == (1,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_archive_off_writes_nothing_and_a_custom_path_is_used(tmp_path):
    inputs = [str(FEEDS / "wewe-rss" / "all.json")]
    run = read_inputs(inputs, FeedOptions(archive=False), tmp_path, NOW)
    assert run.report is None and not (tmp_path / "archive.sqlite3").exists()
    custom = tmp_path / "elsewhere" / "posts.db"
    read_inputs(inputs, FeedOptions(archive_path=custom), tmp_path, NOW)
    assert custom.exists() and not (tmp_path / "archive.sqlite3").exists()


def test_daily_archives_feed_posts_but_not_exports(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path / "state"))
    assert main(["daily", "-i", str(FEEDS / "export-long-links.json"), "-o", str(tmp_path / "a.md")]) == 0
    assert not (tmp_path / "state" / "archive.sqlite3").exists()
    assert main(["daily", "-i", str(FEEDS / "snapshots" / "all-2026-03-02.atom"), "-o", str(tmp_path / "b.md")]) == 0
    with Archive(tmp_path / "state" / "archive.sqlite3") as archive:
        assert archive.count() == 2


def test_no_input_and_no_archive_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path / "state"))
    assert main(["daily"]) == 1
    assert "no input: give --input (or --archive)" in capsys.readouterr().err
