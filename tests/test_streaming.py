"""A folder of many large exports is read as a stream: memory follows the period's posts."""

import datetime as dt
import shutil
import sys
import tracemalloc

import pytest

from digest.config import Config
from digest.errors import NoPostsError
from digest.period import Kind, Period
from digest.pipeline import run

from conftest import ROOT, SEED

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import distinct_posts, write_export  # noqa: E402

WEEK = Period.parse(Kind.WEEKLY, "2026-W03")


def other_month(posts, months_back):
    """The posts moved to a month before the sample's (other days, same size)."""
    for post in posts:
        day = dt.date.fromisoformat(post["时间time"])
        post["时间time"] = day.replace(year=2025, month=12 - months_back).isoformat()
    return posts


def peak_of_week(folder):
    tracemalloc.start()
    try:
        briefing = run([folder], WEEK, Config())
        return briefing, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_exports_of_other_days_cost_no_memory_beyond_the_largest_file(tmp_path):
    one, many = tmp_path / "one", tmp_path / "many"
    for folder, files in ((one, 1), (many, 4)):
        folder.mkdir()
        shutil.copy(SEED, folder / "sample.json")
        for k in range(files):
            write_export(other_month(distinct_posts(1500, seed=k), k), folder / f"other-{k}.json")
    small, small_peak = peak_of_week(one)
    large, large_peak = peak_of_week(many)
    assert large.sections == small.sections and large.source_hash == small.source_hash
    # Four files of other days weigh what one does: they are read and dropped one at a time.
    assert large_peak < 1.3 * small_peak


def test_a_period_without_posts_still_names_the_days_the_input_has(tmp_path):
    write_export(other_month(distinct_posts(20), 0), tmp_path / "december.json")
    with pytest.raises(NoPostsError, match=r"input has posts from 2025-12-19 to 2025-12-25"):
        run([tmp_path], WEEK, Config())
