#!/usr/bin/env python3
"""Blind faithfulness labels for headlines: the bar a model must clear before the briefing shows its headlines.

    python bench/headline_faithfulness.py sample --out DIR [--lcsts N] [--references N]
                                          [--model DIR] [--bigram-bias B ...] [--no-model]
    # give DIR/RUBRIC.md and DIR/sheet.jsonl to the annotators; each writes DIR/labels*.jsonl,
    # one {"id": ..., "label": ..., "why": ...} per line
    python bench/headline_faithfulness.py report DIR

`sample` writes the headlines of several systems for the same posts: the model (every beam the
guard accepts, the score floor off, so that `report` can try floors afterwards; one system per
--bigram-bias value), digest's extractive headline, and with --lcsts the LCSTS reference. The
sheet holds only the source text and a headline, shuffled, so that an annotator cannot tell who
wrote which; the key (DIR/key.jsonl) says. A headline two systems share is labelled once.

`report` prints, per system and corpus, the share of each label, and for the model what each
score floor would have shown and how much of it was faithful.

bench/faithfulness/seed-2026-11 holds the seed-post part of the labels behind the table in
models/digest-bart-zh/MODEL_CARD.md (shipped model, 2026-11); `report` on it prints that table.
bench/faithfulness/seed-2026-11-27 labels the extractive headlines alone (`sample --no-model`)
after the teaser-title work (51 of 51 faithful): the bar a model must clear.

ROUGE cannot see this: a headline that joins two of the post's phrases into a wrong claim scores
well. Figures only; nothing is asserted. LCSTS is for research use only, so a sample with --lcsts
must not be committed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = REPO_ROOT / "examples" / "tianjin-zwb-2026-01.json"
LCSTS = REPO_ROOT.parent / "shared" / "data" / "lcsts_clge.jsonl"
LABELS = ("faithful", "fragment", "unfaithful", "garbled")
FLOORS = (-0.3, -0.4, -0.5, -0.6, -0.7, -0.8, -1.0, -1.2)

RUBRIC = """\
# Labelling rubric

Each line of sheet.jsonl is {"id", "source", "headline"}. Judge the headline against its source
only (not world knowledge) and give exactly one label:

- faithful: a readable headline; everything it states is stated in or directly entailed by the
  source; names, organisations, places, numbers and who-did-what are correct. Short or plain is fine.
- fragment: nothing in it is false, but it is cut off or incomplete (ends mid-phrase), so a reader
  cannot take it as a headline.
- unfaithful: states or implies something the source does not say: a wrong or merged name or
  organisation, a shortened document name, a wrong actor, relation, number or place (我国 for 我市),
  an invented claim, a word combination that changes the meaning.
- garbled: mostly unreadable, so no claim can be read from it.

Write labels*.jsonl: one {"id": <id>, "label": "<label>", "why": "<a few words, unless faithful>"} a line.
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write a blind labelling sheet and its key")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--input", type=Path, default=SEED, help="a WeChat export (default: the seed posts)")
    sample.add_argument("--lcsts", type=int, default=0, help="also the first N items of LCSTS test")
    sample.add_argument("--references", type=int, default=0, help="and the LCSTS headlines of the first N of them")
    sample.add_argument("--model", type=Path, help="a local seq2seq model directory (default: the shipped one)")
    sample.add_argument("--bigram-bias", type=float, nargs="+",
                        help="one model system per value (summary.model.bigram_bias; default: digest's)")
    sample.add_argument("--no-model", action="store_true", help="only the extractive headline (and references)")
    sample.add_argument("--seed", type=int, default=20260120, help="shuffles the sheet")
    report = commands.add_parser("report", help="figures from the key and the labels")
    report.add_argument("dir", type=Path)
    return parser.parse_args(argv)


def sample(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(REPO_ROOT))
    from digest.clean import clean_article
    from digest.commands.summarize import article_from_text
    from digest.ingest import read_exports
    from digest.summarize import SummaryOptions, get_summarizer
    from digest.summarize.seq2seq import METHOD, Seq2SeqOptions, build_summarizer, headline_passage

    posts = [("seed", clean_article(a), None) for a in read_exports([args.input]).articles]
    if args.lcsts:
        items = [json.loads(line) for line in LCSTS.read_text(encoding="utf-8").splitlines() if line]
        items = [item for item in items if item["split"] == "test"][: args.lcsts]
        posts += [("lcsts", article_from_text(item["source"], k), item["summary"]) for k, item in enumerate(items, 1)]
    articles = [article for _, article, _ in posts]
    rows: dict[tuple[int, str], dict] = {}

    def add(item: int, system: str, source: str, headline: str, score: float | None = None) -> None:
        row = rows.setdefault((item, headline), {"item": item, "corpus": posts[item][0], "source": source,
                                                 "headline": headline, "systems": {}})
        row["systems"][system] = score

    passages = [headline_passage(article, SummaryOptions())[1] for article in articles]
    for bias in [] if args.no_model else args.bigram_bias or [Seq2SeqOptions().bigram_bias]:
        options = Seq2SeqOptions(model_dir=args.model, min_score=float("-inf"), bigram_bias=bias)
        details = build_summarizer(SummaryOptions(model=options)).headline_details(articles)
        for item, result in enumerate(details):
            if result.method == METHOD:
                add(item, f"model (bigram bias {bias:g})", result.passage, result.headline, result.score)
    extractive = get_summarizer("extractive")
    for item, article in enumerate(articles):
        summary = extractive(article)
        whole = "".join(article.sentences)
        # A clause from the lead passage is judged against that passage, as the model's are; a title
        # (filled in or not) may state what any part of the post says.
        in_passage = summary.headline_method == "lead" and summary.headline in passages[item]
        add(item, "extractive", passages[item] if in_passage else whole, summary.headline)
    references = [k for k, (corpus, _, ref) in enumerate(posts) if corpus == "lcsts"][: args.references]
    for item in references:
        add(item, "reference", passages[item] or "".join(articles[item].sentences), posts[item][2])

    shuffled = list(rows.values())
    random.Random(args.seed).shuffle(shuffled)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "key.jsonl", "w", encoding="utf-8") as key, \
            open(args.out / "sheet.jsonl", "w", encoding="utf-8") as sheet:
        for number, row in enumerate(shuffled):
            key.write(json.dumps({"id": number, **row}, ensure_ascii=False) + "\n")
            sheet.write(json.dumps({"id": number, "source": row["source"], "headline": row["headline"]},
                                   ensure_ascii=False) + "\n")
    (args.out / "RUBRIC.md").write_text(RUBRIC, encoding="utf-8")
    print(f"{len(shuffled)} headlines to label in {args.out / 'sheet.jsonl'} (rubric: {args.out / 'RUBRIC.md'})")
    return 0


def read_labels(folder: Path) -> dict[int, str]:
    labels: dict[int, str] = {}
    for path in sorted(folder.glob("labels*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if record["label"] not in LABELS:
                    raise SystemExit(f"{path}: id {record['id']}: unknown label {record['label']!r}")
                labels[int(record["id"])] = record["label"]
    return labels


def report(args: argparse.Namespace) -> int:
    key = [json.loads(line) for line in (args.dir / "key.jsonl").read_text(encoding="utf-8").splitlines() if line]
    labels = read_labels(args.dir)
    missing = [row["id"] for row in key if row["id"] not in labels]
    if missing:
        print(f"unlabelled: {len(missing)} of {len(key)} (first ids {missing[:5]}); they are left out")
    corpora = sorted({row["corpus"] for row in key})
    groups = corpora + ["all"] if len(corpora) > 1 else corpora
    scored: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in key:
        label = labels.get(row["id"])
        if label is None:
            continue
        for system, score in row["systems"].items():
            for corpus in (c for c in groups if c in (row["corpus"], "all")):
                tally[(system, corpus)][label] += 1
                if score is not None:
                    scored[(system, corpus)].append((score, label))
    print(f"{'system':28} {'corpus':6} {'n':>4}  " + "  ".join(f"{label:>10}" for label in LABELS))
    for (system, corpus), counts in sorted(tally.items()):
        total = sum(counts.values())
        print(f"{system:28} {corpus:6} {total:4}  " + "  ".join(f"{counts[label] / total:10.0%}" for label in LABELS))
    for (system, corpus), pairs in sorted(scored.items()):
        print(f"\n{system}, {corpus}: what each score floor would show")
        for floor in FLOORS:
            kept = Counter(label for score, label in pairs if score >= floor)
            total = sum(kept.values())
            if total:
                print(f"  floor {floor:5}: {total:4} shown, faithful {kept['faithful'] / total:4.0%}, "
                      f"unfaithful {kept['unfaithful'] / total:4.0%}, fragment {kept['fragment'] / total:4.0%}, "
                      f"garbled {kept['garbled'] / total:4.0%}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return sample(args) if args.command == "sample" else report(args)


if __name__ == "__main__":
    sys.exit(main())
