#!/usr/bin/env python3
"""What the model's sentence compression keeps and loses, on the seed posts.

    python bench/summary_compression.py [--model DIR] [--input FILE] [--examples N]

For each extracted summary sentence of 30+ characters, the model writes a
compressed version (as `summary.model.compress = true` would); the guard
checks it. For the accepted ones this counts how many drop a date (1月16日),
a document name (《…》) or a number that the sentence states: the facts the
briefing's readers look for. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FACT = re.compile(r"《[^》]+》|\d{1,2}月\d{1,2}日|\d+(?:\.\d+)?[万亿%]?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a local seq2seq model directory (default: the shipped one)")
    parser.add_argument("--input", type=Path, default=REPO_ROOT / "examples" / "tianjin-zwb-2026-01.json")
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from digest.clean import clean_article
    from digest.ingest import read_exports
    from digest.summarize import SummaryOptions
    from digest.summarize.seq2seq import COMPRESS_MIN_CHARS, Seq2SeqOptions, build_summarizer

    articles = [clean_article(a) for a in read_exports([args.input]).articles]
    summarizer = build_summarizer(SummaryOptions(model=Seq2SeqOptions(model_dir=args.model, compress=True)))
    compressed = [r for results in summarizer.sentence_details(articles) for r in results if r.verdict is not None]
    accepted = lost = with_facts = 0
    examples = []
    for result in compressed:
        if result.method != "seq2seq":
            continue
        accepted += 1
        facts = FACT.findall(result.sentence)
        if facts:
            with_facts += 1
            missing = [f for f in facts if f not in result.text]
            if missing:
                lost += 1
                examples.append((result.sentence, result.text, missing))
    print(f"{len(articles)} posts, {len(compressed)} summary sentences of {COMPRESS_MIN_CHARS}+ characters")
    print(f"compressions the guard accepts: {accepted} ({accepted / max(1, len(compressed)):.0%})")
    print(f"of those whose sentence states a date, document or number: {with_facts}; "
          f"dropping at least one: {lost} ({lost / max(1, with_facts):.0%})")
    for piece, text, missing in examples[: args.examples]:
        print(f"- {piece}\n  -> {text}\n  lost: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
