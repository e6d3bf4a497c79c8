"""How often the faithfulness guard rejects human reference headlines, and why.

Runs `default_guard().check(reference, source)` on (source, reference) pairs
from the LCSTS split (default `val`) and, with --xwlb N, on N pairs sampled
from xwlb_headlines.jsonl.gz. Prints the rejection rate overall and by reason
(the first word of the verdict: number, name, too, repeats, ...) and, per
reason, example rejections with the offending token and a window of the
source, so a person can judge false alarms (the source does say it, in another
form) from true ones (the reference adds a fact).

References are abstractive and do add facts, so 0% is not the goal; the rate
is an upper bound on what the guard costs a model that writes like them.

    .venv/bin/python bench/guard_rates.py [--split val] [--examples 20] [--xwlb 2000] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT.parent / "shared" / "data"


def load_lcsts(data: Path, split: str) -> list[dict]:
    lines = (data / "lcsts_clge.jsonl").read_text(encoding="utf-8").splitlines()
    return [item for item in map(json.loads, filter(None, lines)) if item["split"] == split]


def load_xwlb(data: Path, count: int, seed: int) -> list[dict]:
    with gzip.open(data / "xwlb_headlines.jsonl.gz", "rt", encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    return random.Random(seed).sample(items, min(count, len(items)))


def report(name: str, items: list[dict], examples: int, seed: int) -> dict:
    sys.path.insert(0, str(REPO_ROOT))
    from digest.summarize.guard import default_guard

    guard = default_guard()
    by_reason: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for item in items:
        verdict = guard.check(item["summary"], item["source"])
        if not verdict:
            by_reason[verdict.reason.split(" ")[0]].append((verdict.reason, item["summary"], item["source"]))
    rejected = sum(len(v) for v in by_reason.values())
    print(f"\n== {name}: {len(items)} pairs, guard rejects {rejected} ({rejected / len(items):.1%}) of the references")
    for reason, cases in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        print(f"   {reason:10} {len(cases):5}  {len(cases) / len(items):6.1%}")
    for reason, cases in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        tokens = Counter(c[0].split("'")[1] if "'" in c[0] else c[0] for c in cases)
        print(f"\n-- {reason}: {len(cases)} rejections; most common tokens: "
              + ", ".join(f"{t}×{n}" for t, n in tokens.most_common(15)))
        for why, summary, source in random.Random(seed).sample(cases, min(examples, len(cases))):
            print(f"   [{why}]\n      ref: {summary}\n      src: {source[:150]}")
    return {"pairs": len(items), "rejected": rejected,
            "by_reason": {reason: len(cases) for reason, cases in by_reason.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--split", default="val")
    parser.add_argument("--examples", type=int, default=20, help="example rejections shown per reason")
    parser.add_argument("--xwlb", type=int, default=0, help="also N pairs sampled from xwlb_headlines (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)

    figures = {"lcsts_" + args.split: report(f"LCSTS {args.split}", load_lcsts(args.data, args.split),
                                             args.examples, args.seed)}
    if args.xwlb:
        figures["xwlb"] = report(f"xwlb sample of {args.xwlb}", load_xwlb(args.data, args.xwlb, args.seed),
                                 args.examples, args.seed)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
