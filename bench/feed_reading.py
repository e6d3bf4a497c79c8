"""How long reading feeds takes against reading the equivalent JSON export (the baseline), same run.

    .venv/bin/python bench/feed_reading.py [--repeat 30]

Prints the median milliseconds to ingest the 10 fixture posts from each shape,
and its ratio to the export. Parsing XML safely and HTML bodies costs this much.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest.ingest import read_exports  # noqa: E402

FEEDS = ROOT / "tests" / "fixtures" / "feeds"
SHAPES = {
    "JSON export (baseline)": ["export-short-links.json"],
    "wewe-rss all.atom": ["wewe-rss/all.atom"],
    "wewe-rss all.json": ["wewe-rss/all.json"],
    "we-mp-rss all.json": ["we-mp-rss/all.json"],
    "wewe-rss 3 per-account .rss": [f"wewe-rss/MP_WXS_309{n}.rss" for n in ("1221331", "2445102", "3667473")],
    "4 feeds, same posts": ["wewe-rss/all.atom", "wewe-rss/all.json", "wewe-rss/all.rss", "we-mp-rss/all.json"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    medians = {}
    for name, files in SHAPES.items():
        paths = [FEEDS / f for f in files]
        read_exports(paths)  # warm up imports
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = read_exports(paths)
            times.append((time.perf_counter() - start) * 1000)
        medians[name] = statistics.median(times)
        assert len(result.articles) == 10, (name, len(result.articles))
    base = medians["JSON export (baseline)"]
    for name, median in medians.items():
        print(f"{name:30s} median {median:7.2f} ms   x{median / base:5.1f}")


if __name__ == "__main__":
    main()
