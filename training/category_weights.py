"""Learn word weights for the category classifier from public labelled news titles.

    python -m training.category_weights [--data ../shared/data] [--out digest/classify/learned_weights.tsv]

A multinomial naive Bayes over jieba words (the classifier's own segmenter), trained on
THUCNews, NLPCC 2017 and TNEWS titles whose classes map onto three of digest's categories.
None of them has a weather or a transport class: those two stay the lexicon's alone.

The output is a small table (word, then one weight per category in LEARNED_CATEGORIES):
the word's log-likelihood under each class less its mean over the classes, for words
seen often enough and telling enough. The classifier adds these up as evidence next to
the lexicon's terms (digest/classify/learned.py). Only these aggregate weights are
shipped, never a title. The weights differ by nothing but floating-point rounding from
run to run: the input order is fixed and nothing is sampled.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from digest.classify.learned import LEARNED_CATEGORIES, features
from digest.segment import default_segmenter

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "digest" / "classify" / "learned_weights.tsv"

# Source class -> our category. Foreign politics and the military are 时政 in a government
# briefing; farming is 经济 (farm production); sport, culture, education, health, parenting
# and science discovery (space flights, wildlife, nature) are 社会民生. Classes with no
# counterpart (entertainment, games, fashion, stories, consumer tech, cars, tourism, food,
# history) are left out: consumer tech is about firms and gadgets, tourism splits between
# 经济 and 社会民生 in a government briefing.
MAPPINGS = {
    "thucnews_titles.jsonl": {
        "时政": "governance", "财经": "economy", "股票": "economy", "房产": "economy",
        "教育": "society", "社会": "society", "体育": "society",
    },
    "nlpcc2017_headlines.jsonl": {
        "world": "governance", "military": "governance", "finance": "economy",
        "society": "society", "baby": "society", "regimen": "society", "sports": "society",
        "discovery": "society",
    },
    "tnews_fewclue.jsonl": {
        "国际": "governance", "军事": "governance", "财经": "economy", "股票": "economy", "房产": "economy",
        "农业": "economy", "教育": "society", "文化": "society", "体育": "society",
    },
}
MIN_COUNT = 4  # a word seen fewer times over all titles says more about one title than a class
MIN_SPREAD = 0.7  # |weight| below this in every class: not telling enough to ship
SMOOTHING = 0.5


def read_titles(data: Path) -> list[tuple[str, str]]:
    rows = []
    for name, mapping in MAPPINGS.items():
        with open(data / name, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                category = mapping.get(row.get("label"))
                text = str(row.get("text", "")).strip()
                if category and text:
                    rows.append((text, category))
    return rows


def train(rows: list[tuple[str, str]]) -> dict[str, tuple[float, ...]]:
    segmenter = default_segmenter()
    counts = {c: Counter() for c in LEARNED_CATEGORIES}
    for text, category in rows:
        counts[category].update(set(features(segmenter, text)))
    vocabulary = Counter()
    for table in counts.values():
        vocabulary.update(table)
    kept = sorted(w for w, n in vocabulary.items() if n >= MIN_COUNT)
    totals = {c: sum(counts[c][w] for w in kept) + SMOOTHING * len(kept) for c in LEARNED_CATEGORIES}
    weights = {}
    for word in kept:
        logs = [math.log((counts[c][word] + SMOOTHING) / totals[c]) for c in LEARNED_CATEGORIES]
        mean = sum(logs) / len(logs)
        centred = tuple(round(v - mean, 2) for v in logs)
        if max(abs(v) for v in centred) >= MIN_SPREAD:
            weights[word] = centred
    return weights


def write(weights: dict[str, tuple[float, ...]], out: Path, sizes: Counter) -> None:
    lines = ["# digest category weights, built by training/category_weights.py; do not edit",
             "# titles per category: " + ", ".join(f"{c} {sizes[c]}" for c in LEARNED_CATEGORIES),
             "word\t" + "\t".join(LEARNED_CATEGORIES)]
    lines += [word + "\t" + "\t".join(f"{v:g}" for v in values) for word, values in sorted(weights.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    rows = read_titles(args.data)
    sizes = Counter(c for _, c in rows)
    weights = train(rows)
    write(weights, args.out, sizes)
    print(f"{len(rows)} titles ({dict(sizes)}) -> {len(weights)} words in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
