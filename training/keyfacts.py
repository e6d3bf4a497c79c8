"""Train the key-fact scorer (digest/summarize/keyfacts.py) on human headlines; write its weights.

    python -m training.keyfacts [--data ../shared/data] [--out digest/summarize/keyfacts_weights.json]
                                [--corpora xwlb sohu] [--train-docs 12000] [--report FILE]

Each pair (source text -> headline) becomes one list of units: the source's sentences
(as the extractive backend cuts them) and, for the clause level, their clauses. A unit's
label is how much of the human headline it carries: for a sentence the share of the
headline's character pairs it holds, for a clause its character ROUGE-1 F1 against the
headline. A linear model over `unit_features` is fitted listwise: a softmax over each
post's units against a sharpened softmax of the labels, so that the unit it ranks first is
the one the headline draws on. Held out: 新闻联播 items of the latest dates, a hashed tenth
of Sohu, and LCSTS test (never trained on). The figures printed are character ROUGE-1 (and
the headline share carried, for sentences) of the top unit against the headline, next to
the first unit, digest's extractive headline and the best unit in hindsight.

The shipped weights are trained on 新闻联播 and Sohu only (no LCSTS), so they carry no
research-only restriction; --corpora lcsts adds LCSTS train. numpy is needed here only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digest.clean.sentences import split_sentences
from digest.summarize.keyfacts import FEATURES, WEIGHTS_FILE, Unit, clauses, unit_features
from digest.summarize.rouge import rouge_n, rouge_units

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
MAX_SENTENCES = 30  # news puts what matters first; later units only slow training
MIN_UNIT_CHARS = 4
MAX_SENTENCE_CHARS = 240  # the extractive backend's limit (max_chars 150 x LEAD_STRETCH 1.6)
TEMPERATURE = 0.05  # labels 0.05 apart weigh e times apart in the target
MIN_LABEL = 0.1  # a headline that no unit carries teaches nothing about choosing
HEADLINE_CAP = 2  # 新闻联播 repeats some headlines hundreds of times
XWLB_TEST_FROM = "2025-07-01"  # items from this date on are held out (the latest months)
LEVELS = ("sentence", "clause")


@dataclass(frozen=True)
class Post:
    source: str
    headline: str
    corpus: str
    split: str  # train, val or test


def _hashed(text: str, buckets: int) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % buckets


def _jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_posts(data_dir: Path) -> list[Post]:
    posts = []
    seen: Counter[str] = Counter()
    for row in _jsonl(data_dir / "xwlb_headlines.jsonl.gz"):
        headline = row["summary"].strip()
        seen[headline] += 1
        if seen[headline] > HEADLINE_CAP or not row["source"].strip():
            continue
        split = "test" if row["date"] >= XWLB_TEST_FROM else ("val" if _hashed(row["origin"], 20) == 0 else "train")
        posts.append(Post(row["source"], headline, "xwlb", split))
    for row in _jsonl(data_dir / "sohu_headlines.jsonl"):
        bucket = _hashed(row["source"], 10)
        posts.append(Post(row["source"], row["summary"].strip(), "sohu",
                          "test" if bucket == 0 else "val" if bucket == 1 else "train"))
    for row in _jsonl(data_dir / "lcsts_clge.jsonl"):
        posts.append(Post(row["source"], row["summary"].strip(), "lcsts", row["split"]))
    return posts


def post_units(source: str, level: str) -> list[Unit]:
    """The units the product chooses from: whole sentences, or the clauses of them."""
    sentences = [s for s in split_sentences(source) if MIN_UNIT_CHARS <= len(s) <= MAX_SENTENCE_CHARS]
    sentences = sentences[:MAX_SENTENCES]
    if level == "sentence":
        return [Unit(text, number) for number, text in enumerate(sentences)]
    return [Unit(text, number, index) for number, sentence in enumerate(sentences)
            for index, text in enumerate(clauses(sentence)) if len(rouge_units(text)) >= MIN_UNIT_CHARS]


def label(unit: str, headline: str, level: str) -> float:
    """How much of the headline a unit carries."""
    if level == "clause":
        return rouge_n(rouge_units(unit), rouge_units(headline), 1)
    wanted = "".join(rouge_units(headline))
    pairs = {wanted[k : k + 2] for k in range(len(wanted) - 1)}
    said = "".join(rouge_units(unit))
    return sum(1 for pair in pairs if pair in said) / len(pairs) if pairs else 0.0


def r1(candidate: str, headline: str) -> float:
    return rouge_n(rouge_units(candidate), rouge_units(headline), 1)


class Table:
    """Units of many posts, contiguous per post: features, labels, and where each post starts."""

    def __init__(self, posts: list[Post], level: str):
        rows, labels, starts, self.units, self.posts = [], [], [], [], []
        for post in posts:
            units = post_units(post.source, level)
            if len(units) < 2:
                continue
            unit_labels = [label(u.text, post.headline, level) for u in units]
            starts.append(len(labels))
            rows.extend(unit_features(units))
            labels.extend(unit_labels)
            self.units.append(units)
            self.posts.append(post)
        self.x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
        self.y = np.asarray(labels, dtype=np.float64)
        self.starts = np.asarray(starts, dtype=np.int64)
        self.post_of = np.repeat(np.arange(len(starts)), np.diff(np.append(self.starts, len(labels))))

    def segment_softmax(self, values: np.ndarray) -> np.ndarray:
        top = np.maximum.reduceat(values, self.starts)[self.post_of]
        exp = np.exp(values - top)
        return exp / np.add.reduceat(exp, self.starts)[self.post_of]

    def best(self, scores: np.ndarray) -> list[int]:
        """Index (within its post) of the highest-scored unit of each post; the earlier on a tie."""
        ends = np.append(self.starts[1:], len(scores))
        return [int(np.argmax(scores[s:e])) for s, e in zip(self.starts, ends)]


def fit(table: Table, steps: int = 400, l2: float = 1e-3, rate: float = 0.05) -> np.ndarray:
    """Listwise softmax regression with Adam; returns weights over standardised features and the scaling."""
    mean, std = table.x.mean(axis=0), table.x.std(axis=0)
    std[std == 0] = 1.0
    x = (table.x - mean) / std
    target = table.segment_softmax(table.y / TEMPERATURE)
    informative_posts = np.maximum.reduceat(table.y, table.starts) >= MIN_LABEL
    informative = informative_posts[table.post_of]
    posts = max(1, int(informative_posts.sum()))
    w = np.zeros(x.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        p = table.segment_softmax(x @ w)
        grad = x.T @ ((p - target) * informative) / posts + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w / std  # in raw-feature space: a constant shift per post changes no choice


def evaluate(table: Table, weights: np.ndarray, level: str, extractive: list[str] | None) -> dict[str, float]:
    """Mean R1 (percent) against the headline of: the model's top unit, the first unit, digest's
    extractive headline (clauses only) and the best unit in hindsight; and for sentences the share
    of the headline's pairs that the top and the first sentence carry."""
    chosen = table.best(table.x @ weights)
    figures: dict[str, list[float]] = {"learned": [], "first": [], "oracle": []}
    if level == "sentence":
        figures.update({"learned_carried": [], "first_carried": [], "oracle_carried": []})
    if extractive is not None:
        figures["extractive_headline"] = []
    for number, (units, post, pick) in enumerate(zip(table.units, table.posts, chosen)):
        scores = [r1(u.text, post.headline) for u in units]
        figures["learned"].append(scores[pick])
        figures["first"].append(scores[0])
        figures["oracle"].append(max(scores))
        if level == "sentence":
            carried = [label(u.text, post.headline, level) for u in units]
            figures["learned_carried"].append(carried[pick])
            figures["first_carried"].append(carried[0])
            figures["oracle_carried"].append(max(carried))
        if extractive is not None:
            figures["extractive_headline"].append(r1(extractive[number], post.headline))
    out = {name: round(100 * sum(values) / len(values), 1) for name, values in figures.items() if values}
    out["posts"] = len(table.posts)
    return out


def extractive_headlines(posts: list[Post]) -> list[str]:
    """digest's extractive headline of each post as a title-less text (needs jieba)."""
    from digest.commands.summarize import article_from_text
    from digest.summarize import get_summarizer

    summarizer = get_summarizer("extractive")
    return [summarizer(article_from_text(post.source, k)).headline for k, post in enumerate(posts)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--corpora", nargs="+", default=["xwlb", "sohu"], choices=["xwlb", "sohu", "lcsts"])
    parser.add_argument("--train-docs", type=int, default=12000, help="posts sampled for training per level")
    parser.add_argument("--test-docs", type=int, default=1000, help="held-out posts scored per corpus")
    parser.add_argument("--no-extractive", action="store_true", help="skip digest's extractive headline baseline")
    parser.add_argument("--report", type=Path, help="also write the figures here (JSON)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    posts = read_posts(args.data)
    rng = random.Random(20260120)
    train = [p for p in posts if p.split == "train" and p.corpus in args.corpora]
    rng.shuffle(train)
    train = train[: args.train_docs]
    held_out = {corpus: [p for p in posts if p.corpus == corpus and p.split == "test"][: args.test_docs]
                for corpus in ("xwlb", "sohu", "lcsts")}
    baselines = {} if args.no_extractive else {c: extractive_headlines(ps) for c, ps in held_out.items()}
    weights, report = {}, {"trained_on": args.corpora, "train_posts": len(train), "held_out": {}}
    for level in LEVELS:
        table = Table(train, level)
        w = fit(table)
        weights[level] = [round(float(value), 6) for value in w]
        print(f"{level}: fitted on {len(table.posts)} posts, {len(table.y)} units "
              f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
        for corpus, corpus_posts in held_out.items():
            test = Table(corpus_posts, level)
            extractive = None
            if level == "clause" and corpus in baselines:
                kept = {id(p) for p in test.posts}
                extractive = [h for p, h in zip(corpus_posts, baselines[corpus]) if id(p) in kept]
            figures = evaluate(test, w, level, extractive)
            report["held_out"][f"{corpus}/{level}"] = figures
            print(f"{corpus:6} {level:8} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    report["weights"] = {level: dict(zip(FEATURES, values)) for level, values in weights.items()}
    args.out.write_text(json.dumps({"features": list(FEATURES), "weights": weights,
                                    "trained_on": args.corpora, "train_posts": len(train)},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.report:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"weights -> {args.out} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
