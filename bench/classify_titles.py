#!/usr/bin/env python3
"""Evaluate digest's category classifier on public labelled Chinese news titles.

Datasets (JSON lines with ``text`` and ``label``) are read from ``../shared/data``
relative to the repository root, or from ``--data``.  Their classes are mapped
onto digest's five categories; a class with no clear counterpart is excluded from
the score, and the script says which.

    python3 bench/classify_titles.py [--data DIR] [--limit N] [--seed S]
                                     [--only thucnews,nlpcc,tnews] [--posts]

``--posts`` also scores the hand-labelled sample posts in
``tests/fixtures/seed_labels.json`` (title + lead + body from
``examples/tianjin-zwb-2026-01.json``); there a prediction listed in a post's
``also`` counts as right in the "lenient" figure.

Standard library only, plus ``digest.classify`` (imported when the script runs,
not when this module is imported).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
SEED_LABELS = REPO_ROOT / "tests" / "fixtures" / "seed_labels.json"
SAMPLE_POSTS = REPO_ROOT / "examples" / "tianjin-zwb-2026-01.json"

CATEGORIES = ("governance", "economy", "weather", "transport", "society")
DEFAULT_LIMIT = 2000
DEFAULT_SEED = 20260120

# Only classes that clearly correspond to one of our categories are mapped.
# Everything else is listed in EXCLUDED with the reason, and left out of the score.
# None of the three datasets has a weather or transport class.
DATASETS = {
    "thucnews": {
        "file": "thucnews_titles.jsonl",
        "mapping": {
            "时政": "governance",
            "财经": "economy",
            "股票": "economy",
            "房产": "economy",
            "教育": "society",
            "社会": "society",
        },
        "excluded": {
            "科技": "consumer gadgets, product prices and science curiosities, not our tech-industry news",
            "体育": "sport: no counterpart",
            "娱乐": "entertainment: no counterpart",
            "游戏": "games: no counterpart",
        },
    },
    "nlpcc": {
        "file": "nlpcc2017_headlines.jsonl",
        "mapping": {
            "finance": "economy",
            "society": "society",
            "baby": "society",      # pregnancy, parenting: our childcare
            "regimen": "society",   # health tips: our health
        },
        "excluded": {
            "world": "foreign news and geopolitics, not our government/party affairs",
            "military": "weapons and war stories",
            "tech": "consumer tech and internet companies",
            "car": "car models and road incidents, not transport infrastructure",
            "travel": "tourism and scenery, not transport",
            "history": "history anecdotes",
            "discovery": "popular science",
            "essay": "no counterpart",
            "story": "no counterpart",
            "fashion": "no counterpart",
            "food": "no counterpart",
            "game": "no counterpart",
            "entertainment": "no counterpart",
            "sports": "no counterpart",
        },
    },
    "tnews": {
        "file": "tnews_fewclue.jsonl",
        "mapping": {
            "财经": "economy",
            "股票": "economy",
            "房产": "economy",
            "教育": "society",
            "文化": "society",
        },
        "excluded": {
            "农业": "mostly rural-life stories, not farm economy",
            "国际": "foreign news and geopolitics",
            "军事": "weapons and war stories",
            "科技": "consumer tech and internet companies",
            "汽车": "car models and buying advice, not transport",
            "旅游": "tourism, not transport",
            "故事": "no counterpart",
            "娱乐": "no counterpart",
            "体育": "no counterpart",
            "电竞": "no counterpart",
        },
    },
}


# ---------------------------------------------------------------- data


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def sample_dataset(rows: list[dict], mapping: dict[str, str], limit: int, seed: int) -> list[tuple[str, str, str]]:
    """(text, source label, mapped category) for up to ``limit`` mapped rows, chosen with a fixed seed."""
    mapped = [(r["text"].strip(), r["label"], mapping[r["label"]])
              for r in rows if r.get("label") in mapping and str(r.get("text", "")).strip()]
    rng = random.Random(seed)
    if limit and len(mapped) > limit:
        mapped = rng.sample(mapped, limit)
    return mapped


# ---------------------------------------------------------------- metrics


def confusion(pairs: list[tuple[str, str]]) -> Counter:
    return Counter(pairs)


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(t == p for t, p in pairs) / len(pairs) if pairs else float("nan")


def per_class(pairs: list[tuple[str, str]], classes) -> list[tuple[str, int, int, float, float, float]]:
    """(class, support, predicted, precision, recall, f1) per class."""
    out = []
    for c in classes:
        tp = sum(1 for t, p in pairs if t == c and p == c)
        support = sum(1 for t, _ in pairs if t == c)
        predicted = sum(1 for _, p in pairs if p == c)
        prec = tp / predicted if predicted else float("nan")
        rec = tp / support if support else float("nan")
        f1 = 2 * prec * rec / (prec + rec) if predicted and support and (prec + rec) else float("nan")
        out.append((c, support, predicted, prec, rec, f1))
    return out


def _pct(x: float) -> str:
    return "   -  " if x != x else f"{100 * x:5.1f}%"


def format_report(pairs: list[tuple[str, str]]) -> str:
    true_classes = [c for c in CATEGORIES if any(t == c for t, _ in pairs)]
    pred_classes = list(CATEGORIES) + sorted({p for _, p in pairs} - set(CATEGORIES))
    lines = []
    lines.append(f"  {'class':<12}{'support':>8}{'pred':>7}{'prec':>8}{'recall':>8}{'f1':>8}")
    for c, sup, pr, p, r, f in per_class(pairs, pred_classes):
        if sup or pr:
            lines.append(f"  {c:<12}{sup:>8}{pr:>7}{_pct(p):>8}{_pct(r):>8}{_pct(f):>8}")
    cm = confusion(pairs)
    width = max(11, *(len(c) + 1 for c in pred_classes))
    lines.append("  confusion (rows true, columns predicted):")
    lines.append("  " + f"{'':<12}" + "".join(f"{c:>{width}}" for c in pred_classes))
    for t in true_classes:
        lines.append("  " + f"{t:<12}" + "".join(f"{cm[(t, p)]:>{width}}" for p in pred_classes))
    return "\n".join(lines)


def summary_line(pairs: list[tuple[str, str]]) -> str:
    non_soc = [(t, p) for t, p in pairs if t != "society"]
    soc_base = sum(t == "society" for t, _ in pairs) / len(pairs) if pairs else float("nan")
    return (f"n={len(pairs)}  accuracy={_pct(accuracy(pairs)).strip()}  "
            f"non-society n={len(non_soc)} accuracy={_pct(accuracy(non_soc)).strip()}  "
            f"(always-society baseline {_pct(soc_base).strip()})")


# ---------------------------------------------------------------- classifier


def load_classifier():
    if str(REPO_ROOT) not in sys.path:  # run as `python3 bench/classify_titles.py` without installing
        sys.path.insert(0, str(REPO_ROOT))
    try:
        from digest.classify import Classifier  # imported at run time on purpose
    except ImportError as e:  # the classifier may not exist yet
        sys.exit(f"cannot import digest.classify.Classifier: {e}")
    return Classifier.default()


def predict(clf, title: str, lead: str = "", body: str = "") -> str:
    try:
        return str(clf.classify_text(title, lead=lead, body=body).category)
    except Exception as e:  # noqa: BLE001 - a bench reports failures rather than dying
        return f"<error:{type(e).__name__}>"


# ---------------------------------------------------------------- posts


def post_parts(content: str) -> tuple[str, str]:
    """(lead, body) of a post's finalContent, whose paragraphs are split by \\r."""
    paras = [p.strip() for p in content.replace("\r\n", "\r").replace("\n", "\r").split("\r")]
    paras = [p for p in paras if p]
    return (paras[0] if paras else ""), "\n".join(paras[1:])


def run_posts(clf) -> list[tuple[str, str]]:
    labels = json.loads(SEED_LABELS.read_text(encoding="utf-8"))
    posts = {p["文章标识符aid"]: p for p in json.loads(SAMPLE_POSTS.read_text(encoding="utf-8"))}
    strict, lenient_ok = [], 0
    wrong = []
    for lab in labels["posts"]:
        p = posts[lab["aid"]]
        lead, body = post_parts(p.get("finalContent", ""))
        pred = predict(clf, p["标题title"], lead, body)
        strict.append((lab["category"], pred))
        ok = pred == lab["category"] or pred in lab.get("also", [])
        lenient_ok += ok
        if pred != lab["category"]:
            wrong.append(f"    {lab['aid']} {lab['date']} true={lab['category']}"
                         f"{'/' + '/'.join(lab['also']) if lab.get('also') else ''} pred={pred}"
                         f"{' (acceptable)' if ok else ''}  {lab['title']}")
    print(f"== posts: {SEED_LABELS.relative_to(REPO_ROOT)} (title + lead + body)")
    print(format_report(strict))
    print("  " + summary_line(strict))
    print(f"  lenient accuracy (also counts): {_pct(lenient_ok / len(strict)).strip()}")
    if wrong:
        print("  disagreements:")
        print("\n".join(wrong))
    print()
    return strict


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"data folder (default {DEFAULT_DATA})")
    ap.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                    help="rows per dataset, sampled deterministically; 0 = all (default %(default)s)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed (default %(default)s)")
    ap.add_argument("--only", default="", help="comma-separated dataset names: " + ",".join(DATASETS))
    ap.add_argument("--posts", action="store_true", help="also score tests/fixtures/seed_labels.json")
    args = ap.parse_args(argv)

    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(DATASETS)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        ap.error(f"unknown dataset(s): {', '.join(unknown)}")

    clf = load_classifier()
    overall: list[tuple[str, str]] = []
    per_dataset_acc = []
    for name in names:
        spec = DATASETS[name]
        path = args.data / spec["file"]
        if not path.exists():
            print(f"== {name}: {path} not found, skipped\n")
            continue
        rows = sample_dataset(load_jsonl(path), spec["mapping"], args.limit, args.seed)
        print(f"== {name}: {path.name}")
        print("  mapping: " + ", ".join(f"{k}->{v}" for k, v in spec["mapping"].items()))
        print("  excluded from score: " + ", ".join(spec["excluded"]))
        print("  no class for: " + ", ".join(c for c in CATEGORIES if c not in spec["mapping"].values()))
        src = Counter(lbl for _, lbl, _ in rows)
        print("  sampled: " + ", ".join(f"{k} {v}" for k, v in sorted(src.items())))
        t0 = time.perf_counter()
        pairs = [(cat, predict(clf, text)) for text, _, cat in rows]
        dt = time.perf_counter() - t0
        errors = sum(p.startswith("<error") for _, p in pairs)
        print(format_report(pairs))
        print("  " + summary_line(pairs) + f"  errors={errors}  {1000 * dt / max(len(pairs), 1):.2f} ms/title")
        print()
        overall.extend(pairs)
        per_dataset_acc.append(accuracy(pairs))

    if overall:
        macro = sum(per_dataset_acc) / len(per_dataset_acc)
        print(f"== overall ({', '.join(names)}): {summary_line(overall)}  mean of datasets={_pct(macro).strip()}")
    if args.posts:
        print()
        run_posts(clf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
