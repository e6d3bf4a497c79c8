#!/usr/bin/env python3
"""Character ROUGE of headlines on the LCSTS test split, with the baselines in the same run.

    python bench/rouge_lcsts.py [--model DIR] [--data DIR] [--split test] [--limit N]
                                [--timing-items N] [--batch-size N] [--device auto|cpu|cuda]
                                [--num-beams N] [--source-bias B] [--bigram-bias B] [--candidates N]
                                [--min-score S]

Rows (character ROUGE-1/2/L F1, spaces and punctuation ignored):
  lead-19        the first 19 characters of the source
  first-sent-30  the first sentence, cut to 30 characters
  extractive     digest's extractive backend's headline (`digest summarize --backend extractive`)
  model-raw      the model's best beam, before the guard           (with --model)
  model          what the briefing shows: the best of --candidates beams the guard accepts,
                 or the extractive headline where it accepts none
Then the guard's rejection rate and reasons, empty and looping outputs, and
the median milliseconds per headline at batch 1 (guard included). The
reference row shows how often LCSTS's own headline would fail the guard: the
guard's strictness against human, abstractive headlines.

Figures only; nothing is asserted. LCSTS is for research use only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
LCSTS = "lcsts_clge.jsonl"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with lcsts_clge.jsonl")
    parser.add_argument("--split", default="test", choices=("train", "val", "test"))
    parser.add_argument("--model", type=Path, help="a local Hugging Face seq2seq model directory")
    parser.add_argument("--limit", type=int, help="only the first N items")
    parser.add_argument("--timing-items", type=int, default=50, help="items timed one at a time (0: none)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    # Decoding settings: digest's own defaults (summary.model.*) unless given.
    parser.add_argument("--num-beams", type=int, help="summary.model.num_beams")
    parser.add_argument("--source-bias", type=float, help="summary.model.source_bias (0: off)")
    parser.add_argument("--bigram-bias", type=float, help="summary.model.bigram_bias (0: off)")
    parser.add_argument("--candidates", type=int, help="beams offered to the guard (1: the best only)")
    parser.add_argument("--min-score", type=float, help="summary.model.min_score (-inf: show whatever the guard accepts)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from digest.clean import split_sentences
    from digest.commands.summarize import article_from_text
    from digest.summarize import SummaryOptions, get_summarizer
    from digest.summarize.guard import default_guard, repeated_unit
    from digest.summarize.rouge import corpus_rouge

    items = [json.loads(line) for line in (args.data / LCSTS).read_text(encoding="utf-8").splitlines() if line]
    items = [item for item in items if item["split"] == args.split][: args.limit]
    references = [item["summary"] for item in items]
    articles = [article_from_text(item["source"], k) for k, item in enumerate(items, start=1)]
    print(f"LCSTS {args.split}: {len(items)} items")

    figures: dict[str, object] = {"items": len(items)}

    def row(name: str, outputs: list[str]) -> None:
        scores = corpus_rouge(zip(outputs, references))
        empty = sum(not o.strip() for o in outputs)
        loops = sum(repeated_unit(o) is not None for o in outputs)
        figures[name] = {"R1": round(scores.rouge1, 2), "R2": round(scores.rouge2, 2), "RL": round(scores.rougeL, 2),
                         "empty": empty, "loops": loops}
        print(f"{name:14} R1 {scores.rouge1:5.1f}  R2 {scores.rouge2:5.1f}  RL {scores.rougeL:5.1f}"
              f"  empty {empty / len(outputs):6.1%}  loops {loops / len(outputs):6.1%}")

    row("lead-19", [item["source"][:19] for item in items])
    row("first-sent-30", [(split_sentences(item["source"]) or [""])[0][:30] for item in items])
    extractive = get_summarizer("extractive")
    row("extractive", [extractive(article).headline for article in articles])

    guard = default_guard()
    rejected_references = sum(not guard.check(item["summary"], item["source"]) for item in items)
    print(f"reference headlines the guard would reject: {rejected_references / len(items):.1%}")
    figures["reference_rejected"] = rejected_references

    if args.model:
        from digest.summarize.seq2seq import Seq2SeqOptions, build_summarizer

        given = {name: getattr(args, name) for name in ("num_beams", "source_bias", "bigram_bias", "candidates",
                                                         "min_score") if getattr(args, name) is not None}
        options = Seq2SeqOptions(model_dir=args.model, device=args.device, batch_size=args.batch_size, **given)
        summarizer = build_summarizer(SummaryOptions(model=options))
        started = time.perf_counter()
        details = summarizer.headline_details(articles)
        elapsed = time.perf_counter() - started
        row("model-raw", [d.generated for d in details])
        row("model", [d.headline for d in details])
        accepted = [k for k, d in enumerate(details) if d.method == "seq2seq"]
        reasons = Counter(d.verdict.reason.split(" ")[0] for d in details if d.method != "seq2seq")
        print(f"method == seq2seq: {len(accepted) / len(details):.1%}; rejected by the guard: "
              + (", ".join(f"{reason} {count}" for reason, count in reasons.most_common()) or "none"))
        if accepted:
            kept = corpus_rouge((details[k].headline, references[k]) for k in accepted)
            print(f"model on its accepted items only: R1 {kept.rouge1:.1f} (n={len(accepted)})")
        per_item = 1000 * elapsed / len(details)
        print(f"batched ({args.batch_size}): {per_item:.0f} ms per item on {summarizer.model.device}")
        figures["seq2seq_share"] = round(len(accepted) / len(details), 4)
        figures["rejections"] = dict(reasons)
        if args.timing_items:
            single = replace(options, batch_size=1)
            one_at_a_time = build_summarizer(SummaryOptions(model=single))
            one_at_a_time.headlines(articles[:1])  # warm-up: first call loads jieba's tagger
            times = []
            for article in articles[: args.timing_items]:
                started = time.perf_counter()
                one_at_a_time.headlines([article])
                times.append(1000 * (time.perf_counter() - started))
            median = statistics.median(times)
            print(f"batch 1: median {median:.0f} ms per headline over {len(times)} items "
                  f"(beam {options.num_beams}, {one_at_a_time.model.device})")
            figures["median_ms_batch1"] = round(median, 1)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
