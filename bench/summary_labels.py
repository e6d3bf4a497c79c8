#!/usr/bin/env python3
"""Blind labels for summaries: is each faithful, does it carry the post's key fact, does it read well?

    python bench/summary_labels.py sample --out DIR [--input EXPORT] [--baseline REV] [--seed N]
    # give DIR/RUBRIC.md and DIR/sheet.jsonl to the annotators; each writes DIR/labels*.jsonl,
    # one {"id", "faithful", "key_fact", "fluent", "why"} per line
    python bench/summary_labels.py report DIR

`sample` writes, for every post, the headline and summary of two systems: the extractive backend
of the git revision REV ("before"; default: where this branch left main) and of this checkout
("after"). The sheet shows only the post's text, the headline and the summary, shuffled, so an
annotator cannot tell which system wrote which; DIR/key.jsonl says. A pair both systems share is
labelled once. Labels are per pair, since the summary is read under its headline:

- faithful: yes / no (the summary or headline states something the post does not say)
- key_fact: yes / partly / no (headline and summary together say what happened: what was
  decided, published, opened or approved, the figures that matter, who and where; for a list
  post, what the items are)
- fluent: yes / no (reads as prose: no run-on of poster lines, no dangling clause, no repetition
  of the headline)

`report` prints each system's share of each answer. Labels written by someone who knew which
system wrote which must go in a file named labels-not-blind*.jsonl; `report` shows them apart.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "bench"))

from summary_pairs import SEED, default_baseline, revision_dump  # noqa: E402

SOURCE_CHARS = 3000  # the whole of nearly every post: a key fact may come late
ANSWERS = {"faithful": ("yes", "no"), "key_fact": ("yes", "partly", "no"), "fluent": ("yes", "no")}

RUBRIC = """\
# Labelling rubric: summaries under their headlines

Each line of sheet.jsonl is {"id", "source", "headline", "summary"}. Read the source, then the
headline and the summary as a reader of the briefing sees them (the summary right under the
headline). Judge against the source only, not world knowledge. Answer three questions:

- faithful: "yes" if everything the headline and the summary state is stated in or directly
  entailed by the source (names, organisations, numbers, places, who did what); else "no".
- key_fact: does the pair say what happened? "yes" if it carries the post's key fact: what was
  decided, published, opened or approved (for a 批复 its decision, for a document its name and
  what it sets out), the figures that matter, who and where; for a list post (五项举措, 22条措施)
  what the items are, at least the first ones. "partly" if it says some of it; "no" if it says
  the scene, the background or a speech instead.
- fluent: "yes" if the summary reads as prose: sentences with their punctuation, no run-on of
  poster lines, nothing dangling, and it does not say the headline again; else "no". An empty
  summary is fluent, and key_fact is then judged on the headline alone.

Write labels*.jsonl: one {"id": <id>, "faithful": "...", "key_fact": "...", "fluent": "...",
"why": "<a few words for any no or partly>"} a line.
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write a blind labelling sheet and its key")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--input", type=Path, default=SEED, help="a WeChat export (default: the seed posts)")
    sample.add_argument("--baseline", default="", help="git revision of the 'before' system (default: merge-base "
                                                       "with main)")
    sample.add_argument("--seed", type=int, default=20260121, help="shuffles the sheet")
    report = commands.add_parser("report", help="figures from the key and the labels")
    report.add_argument("dir", type=Path)
    return parser.parse_args(argv)


def sample(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(REPO_ROOT))
    from digest.clean import clean_article
    from digest.ingest import read_exports

    sources = {a.aid: "".join(clean_article(a).sentences)[:SOURCE_CHARS] for a in read_exports([args.input]).articles}
    baseline = args.baseline or default_baseline()
    rows: dict[tuple[str, str, str], dict] = {}
    for system, revision in (("before", baseline), ("after", "")):
        for item in revision_dump(revision, args.input):
            key = (item["aid"], item["headline"], item["summary"])
            row = rows.setdefault(key, {"aid": item["aid"], "headline": item["headline"], "summary": item["summary"],
                                        "systems": []})
            row["systems"].append(system)
    shuffled = sorted(rows.values(), key=lambda r: (r["aid"], r["headline"], r["summary"]))
    random.Random(args.seed).shuffle(shuffled)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "key.jsonl", "w", encoding="utf-8") as key, \
            open(args.out / "sheet.jsonl", "w", encoding="utf-8") as sheet:
        for number, row in enumerate(shuffled):
            key.write(json.dumps({"id": number, **row, "baseline": baseline}, ensure_ascii=False) + "\n")
            sheet.write(json.dumps({"id": number, "source": sources[row["aid"]], "headline": row["headline"],
                                    "summary": row["summary"]}, ensure_ascii=False) + "\n")
    (args.out / "RUBRIC.md").write_text(RUBRIC, encoding="utf-8")
    print(f"{len(shuffled)} pairs to label in {args.out / 'sheet.jsonl'} (rubric: {args.out / 'RUBRIC.md'})")
    return 0


def read_labels(folder: Path) -> dict[str, dict[int, dict]]:
    """Labels by kind ("blind" or "not blind"), then by id."""
    labels: dict[str, dict[int, dict]] = defaultdict(dict)
    for path in sorted(folder.glob("labels*.jsonl")):
        kind = "not blind" if path.name.startswith("labels-not-blind") else "blind"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            for question, answers in ANSWERS.items():
                if record.get(question) not in answers:
                    raise SystemExit(f"{path}: id {record['id']}: {question} must be one of {', '.join(answers)}")
            labels[kind][int(record["id"])] = record
    return labels


def report(args: argparse.Namespace) -> int:
    key = [json.loads(line) for line in (args.dir / "key.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for kind, labels in sorted(read_labels(args.dir).items()):
        missing = [row["id"] for row in key if row["id"] not in labels]
        print(f"\n{kind} labels: {len(key) - len(missing)} of {len(key)} pairs")
        tally: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        for row in key:
            record = labels.get(row["id"])
            if record is None:
                continue
            for system in row["systems"]:
                for question in ANSWERS:
                    tally[system][question][record[question]] += 1
        header = "  ".join(f"{q}={a}" for q, answers in ANSWERS.items() for a in answers)
        print(f"{'system':8} {'n':>4}  {header}")
        for system in ("before", "after"):
            counts = tally.get(system)
            if not counts:
                continue
            total = sum(counts["faithful"].values())
            cells = "  ".join(f"{counts[q][a] / total:>{len(q) + len(a) + 1}.0%}" for q, answers in ANSWERS.items()
                              for a in answers)
            print(f"{system:8} {total:4}  {cells}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return sample(args) if args.command == "sample" else report(args)


if __name__ == "__main__":
    sys.exit(main())
