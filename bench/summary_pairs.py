#!/usr/bin/env python3
"""Headline and summary as a pair: does the summary say the headline again, and what does it add?

    python bench/summary_pairs.py [--input EXPORT] [--xwlb N [--data DIR]] [--baseline REV] [--show]

Runs the extractive backend of this checkout and of the git revision REV (default: where this
branch left main) on the same posts, and prints for each:

- verbatim: summaries that hold the headline word for word (punctuation aside);
- near: summaries with a sentence that says the headline again (`repeats_headline`: at least
  half of it in runs of 4+ characters while adding fewer new characters than it has, or 90% of
  it whatever it adds);
- echo: the mean share of the headline the summary repeats (`headline_echo`);
- facts: the mean number of figures, dates, document names and 文号 the summary adds to the
  headline (`new_facts`); empty: summaries with no sentence; length: median and longest, and
  how many run past summary.max_chars;
- with --xwlb N, the latest N 新闻联播 items (held out from the key-fact scorer's training) as
  posts with no title, and how much of the human headline the pair carries: the share of its
  character pairs in the headline and the summary together ("carried").

The seed posts are the default input. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = REPO_ROOT / "examples" / "tianjin-zwb-2026-01.json"
DATA = REPO_ROOT.parent / "shared" / "data"
XWLB_HELD_OUT_FROM = "2025-07-01"  # training/keyfacts.py holds these dates out

# Run in a separate interpreter with the revision's digest package first on sys.path.
DUMP = """
import json, sys
from pathlib import Path
from digest.clean import clean_article
from digest.ingest import read_exports
from digest.summarize import get_summarizer
summarizer = get_summarizer("extractive")
out = []
for article in read_exports([Path(sys.argv[1])]).articles:
    summary = summarizer(clean_article(article))
    out.append({"aid": article.aid, "headline": summary.headline, "summary": summary.text,
                "headline_method": summary.headline_method})
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=SEED, help="a WeChat export (default: the seed posts)")
    parser.add_argument("--xwlb", type=int, default=0, help="also the latest N held-out 新闻联播 items")
    parser.add_argument("--data", type=Path, default=DATA, help="where xwlb_headlines.jsonl.gz is")
    parser.add_argument("--baseline", default="", help="git revision to compare with (default: merge-base with main)")
    parser.add_argument("--show", action="store_true", help="print each post's headline and both summaries")
    return parser.parse_args(argv)


def revision_dump(revision: str, export: Path) -> list[dict]:
    """Each post's extractive headline and summary as the code at `revision` writes them."""
    with tempfile.TemporaryDirectory() as folder:
        if revision:
            archive = subprocess.run(["git", "archive", revision, "digest"], cwd=REPO_ROOT, check=True,
                                     capture_output=True).stdout
            tarfile.open(fileobj=BytesIO(archive)).extractall(folder, filter="data")
            root = folder
        else:
            root = str(REPO_ROOT)
        result = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {root!r})\n" + DUMP,
                                 str(export)], check=True, capture_output=True, text=True, cwd=folder)
        return json.loads(result.stdout)


def default_baseline() -> str:
    return subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO_ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


def xwlb_posts(data: Path, count: int) -> tuple[list[dict], dict[str, str]]:
    """The latest `count` 新闻联播 items as title-less posts, and their human headlines by aid."""
    with gzip.open(data / "xwlb_headlines.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    rows = sorted((r for r in rows if r["date"] >= XWLB_HELD_OUT_FROM), key=lambda r: (r["date"], r["origin"]))
    rows = rows[-count:]
    posts = [{"aid": f"xwlb-{k}", "title": "", "content": row["source"], "time": row["date"],
              "url": "https://tv.cctv.com/", "account": "新闻联播"} for k, row in enumerate(rows)]
    return posts, {post["aid"]: row["summary"] for post, row in zip(posts, rows)}


def figures(rows: list[dict], max_chars: int, references: dict[str, str] | None) -> dict[str, float]:
    from digest.summarize.keyfacts import headline_echo, new_facts, repeats_headline
    from digest.summarize.rouge import rouge_units
    from digest.clean.sentences import split_sentences

    def units(text: str) -> str:
        return "".join(rouge_units(text))

    lengths = [len(r["summary"]) for r in rows]
    out = {
        "posts": len(rows),
        "verbatim": sum(1 for r in rows if r["headline"] and units(r["headline"]) in units(r["summary"])),
        "near": sum(1 for r in rows if any(repeats_headline(r["headline"], s) for s in split_sentences(r["summary"]))),
        "echo": statistics.mean(headline_echo(r["headline"], r["summary"]) for r in rows),
        "facts": statistics.mean(new_facts(r["headline"], r["summary"]) for r in rows),
        "empty": sum(1 for r in rows if not r["summary"]),
        "median_len": statistics.median(lengths),
        "max_len": max(lengths),
        "over_max": sum(1 for n in lengths if n > max_chars),
    }
    if references:
        carried = []
        for r in rows:
            wanted = units(references[r["aid"]])
            pairs = {wanted[k : k + 2] for k in range(len(wanted) - 1)}
            said = units(r["headline"]) + "\n" + units(r["summary"])
            carried.append(sum(p in said for p in pairs) / len(pairs) if pairs else 0.0)
        out["carried"] = 100 * statistics.mean(carried)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from digest.summarize import SummaryOptions

    baseline = args.baseline or default_baseline()
    corpora = [("seed", args.input, None)]
    with tempfile.TemporaryDirectory() as folder:
        if args.xwlb:
            posts, references = xwlb_posts(args.data, args.xwlb)
            path = Path(folder) / "xwlb.json"
            path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
            corpora.append(("xwlb", path, references))
        print(f"baseline: {baseline[:12]}; this checkout: {REPO_ROOT}")
        names = ("posts", "verbatim", "near", "echo", "facts", "empty", "median_len", "max_len", "over_max",
                 "carried")
        print(f"{'corpus':6} {'system':9} " + " ".join(f"{n:>10}" for n in names))
        for corpus, path, references in corpora:
            systems = {"before": revision_dump(baseline, path), "after": revision_dump("", path)}
            for system, rows in systems.items():
                values = figures(rows, SummaryOptions().max_chars, references)
                print(f"{corpus:6} {system:9} " + " ".join(
                    f"{values[n]:10.2f}" if isinstance(values.get(n), float) else f"{values.get(n, ''):>10}"
                    for n in names))
            if args.show:
                for old, new in zip(systems["before"], systems["after"]):
                    print(f"\n{new['aid']}  H: {new['headline']}" + (f"  (was {old['headline']})"
                                                                       if old["headline"] != new["headline"] else ""))
                    print(f"  before: {old['summary']}\n  after:  {new['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
