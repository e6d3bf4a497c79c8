#!/usr/bin/env python3
"""Classify held-out posts of other sources than the seed, and check their headlines.

The posts are 新闻联播 items (``xwlb_headlines.jsonl.gz`` in ``../shared/data``) shaped as
posts: the item's headline is the title, its text the body. Their categories were
labelled by hand, blind to the classifier's output (``bench/heldout/README.md`` gives the
rubric). Only dates, headlines and labels are in the repository; the text is read from
the shared data at run time.

    python3 bench/classify_heldout.py [--data DIR] [--set heldout|dev] [--show-errors]

``heldout`` (2026 items) is never tuned on; ``dev`` (2025 items) is the set tuning may look at.
Prints exact and lenient accuracy (a post's ``also`` labels count in the lenient one),
per-category precision and recall, the confusion matrix, and how many extractive
headlines open with a series tag (【…】) or a pronoun (他/她/其/该…).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

from classify_titles import _pct, format_report  # noqa: E402

# The dev sets may be tuned on; the held-out set is read once, after the classifier is frozen.
DEV_SETS = {"dev": "xwlb-2025-dev.json", "dev-2026": "xwlb-2026-dev.json"}
SETS = {**DEV_SETS, "heldout": "xwlb-2026-heldout-b.json", "heldout-c": "xwlb-2026-heldout-c.json"}
DEFAULT_DATA = next((p for p in (REPO_ROOT.parent / "shared" / "data", Path("/work/shared/data")) if p.exists()),
                    REPO_ROOT.parent / "shared" / "data")
BAD_OPENING = re.compile(r"^(?:【|〖|\[)|^(?:他|她|它|其|该|此|这)(?:们)?(?:强调|指出|表示|说|要求|认为|称|，)")


def load_posts(data: Path, labels: list[dict]):
    from digest.clean import clean_article
    from digest.records import Article

    wanted = {(lab["date"], lab["headline"]): lab for lab in labels}
    found = {}
    with gzip.open(data / "xwlb_headlines.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            key = (row["date"], row["summary"])
            if key in wanted and key not in found:
                article = Article(aid=f"xwlb-{len(found)}", title=row["summary"], url="https://tv.cctv.com/lm/xwlb/",
                                  published=dt.date.fromisoformat(row["date"]), account="新闻联播",
                                  content=row["source"])
                found[key] = clean_article(article)
    missing = [k for k in wanted if k not in found]
    if missing:
        sys.exit(f"{len(missing)} labelled items not found in {data}, e.g. {missing[0]}")
    return [(wanted[k], found[k]) for k in wanted]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--set", choices=sorted(SETS), default="heldout")
    ap.add_argument("--show-errors", action="store_true", help="list every post classified wrongly")
    args = ap.parse_args(argv)

    from digest.classify import Classifier
    from digest.summarize import SummaryOptions, get_summarizer

    labels = json.loads((REPO_ROOT / "bench" / "heldout" / SETS[args.set]).read_text(encoding="utf-8"))
    posts = load_posts(args.data, labels)
    classifier = Classifier.default()
    summarizer = get_summarizer("extractive", SummaryOptions())
    start = time.perf_counter()
    results = [(lab, post, classifier.classify(post)) for lab, post in posts]
    elapsed = time.perf_counter() - start
    for sample in sorted({lab["sample"] for lab in labels}) + ["all"]:
        chosen = [r for r in results if sample in ("all", r[0]["sample"])]
        pairs = [(lab["category"], c.category) for lab, _, c in chosen]
        lenient = sum(c.category == lab["category"] or c.category in lab.get("also", ()) for lab, _, c in chosen)
        print(f"== {args.set} / {sample}: {len(chosen)} posts")
        print(format_report(pairs))
        print(f"  exact {_pct(sum(t == p for t, p in pairs) / len(pairs)).strip()}"
              f"  lenient {_pct(lenient / len(pairs)).strip()}")
        print()
    print(f"classify: {1000 * elapsed / len(results):.2f} ms/post")
    bad = []
    for lab, post, _ in results:
        headline = summarizer(post).headline
        if BAD_OPENING.search(headline):
            bad.append(f"    {lab['date']} {headline}  <- {post.title}")
    print(f"headlines opening with a series tag or a pronoun: {len(bad)} of {len(results)}")
    print("\n".join(bad[:20]))
    if args.show_errors:
        print("errors:")
        for lab, post, c in results:
            if c.category != lab["category"]:
                ok = "(acceptable) " if c.category in lab.get("also", ()) else ""
                print(f"    {lab['category']}->{c.category} {ok}{post.title}  [{c.reason}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
