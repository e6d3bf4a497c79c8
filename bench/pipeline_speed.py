"""How long the briefing pipeline takes on the sample export (prints figures; asserts nothing).

    .venv/bin/python bench/pipeline_speed.py [--repeat 5]

Reports the one-off start-up (jieba dictionaries, lexicon) separately from
the per-briefing time, as medians over repeats, for every day and every week
of the sample, and per format for rendering.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest.classify import Classifier  # noqa: E402
from digest.clock import TIMEZONE, fixed_clock  # noqa: E402
from digest.config import Config  # noqa: E402
from digest.ingest import read_exports  # noqa: E402
from digest.period import Kind, Period  # noqa: E402
from digest.pipeline import run  # noqa: E402
from digest.render import FORMATS, render  # noqa: E402
from digest.summarize import get_summarizer  # noqa: E402


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default=str(ROOT / "examples" / "tianjin-zwb-2026-01.json"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    config = Config()

    start = time.perf_counter()
    Classifier.default()
    get_summarizer("extractive")
    print(f"start-up (jieba + lexicon): {(time.perf_counter() - start) * 1000:.0f} ms, once per process")

    articles = read_exports([args.input]).articles
    days = sorted({a.published for a in articles})
    print(f"ingest of {len(articles)} posts: {median_ms(lambda: read_exports([args.input]), args.repeat):.1f} ms")

    per_day = [median_ms(lambda d=d: run([args.input], Period.day(d), config), args.repeat) for d in days]
    posts = [sum(a.published == d for a in articles) for d in days]
    print(f"daily briefing, {len(days)} days of {min(posts)}-{max(posts)} posts: median {statistics.median(per_day):.0f} ms, "
          f"max {max(per_day):.0f} ms")

    weeks = sorted({f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days})
    for week in weeks:
        ms = median_ms(lambda w=week: run([args.input], Period.parse(Kind.WEEKLY, w), config), args.repeat)
        print(f"weekly briefing {week}: {ms:.0f} ms")

    briefing = run([args.input], Period.parse(Kind.WEEKLY, weeks[len(weeks) // 2]), config)
    clock = fixed_clock(__import__("datetime").datetime(2026, 1, 19, 7, tzinfo=TIMEZONE))
    for fmt in FORMATS:
        ms = median_ms(lambda f=fmt: render(briefing, f, config, clock), args.repeat)
        print(f"render {briefing.period} as {fmt}: {ms:.1f} ms ({len(render(briefing, fmt, config, clock)) / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
