"""Training pairs (source text -> headline) from ../shared/data, and the prepared folder.

    lcsts  LCSTS train split only: its val split scores the model, its test split
           is the benchmark; neither may leak into training
    xwlb   新闻联播 items -> headlines, each headline at most `xwlb_headline_cap` times
    sohu   Sohu/Xinhua articles -> headlines
    csl    paper abstracts -> titles (every split: we never score on CSL)

`prepare()` writes the pairs (gzip JSON Lines) and the tokenizer into one folder,
small enough to travel to the device machine (< 64 MiB); training reads only
that folder, so it needs neither ../shared nor jieba.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

from digest.errors import TrainingError
from digest.summarize.cjk import fold_full_width
from digest.summarize.guard import default_guard, normalise, unsupported_number

from .settings import Settings

log = logging.getLogger("training")

LCSTS, XWLB = "lcsts_clge.jsonl", "xwlb_headlines.jsonl.gz"
SOHU, CSL = "sohu_headlines.jsonl", "csl_abstract_title.jsonl"
TRAIN_FILE, VAL_FILE, MANIFEST, TOKENIZER_DIR = "train.jsonl.gz", "val.jsonl.gz", "manifest.json", "tokenizer"


@dataclass(frozen=True)
class Pair:
    source: str
    target: str
    corpus: str


def normalise_text(text: str) -> str:
    """What the model sees: ASCII digits and letters, paragraphs joined, single spaces."""
    text = fold_full_width(text)
    text = re.sub(r"\s*\n\s*", "", text)  # Chinese paragraphs join without a space
    return re.sub(r"\s+", " ", text).strip()


def _read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def lcsts_pairs(data_dir: Path, split: str) -> list[Pair]:
    return [Pair(r["source"], r["summary"], "lcsts") for r in _read_jsonl(data_dir / LCSTS) if r["split"] == split]


def corpus_pairs(data_dir: Path, corpus: str, xwlb_cap: int) -> list[Pair]:
    if corpus == "lcsts":
        return lcsts_pairs(data_dir, "train")
    if corpus == "xwlb":
        seen: dict[str, int] = {}
        pairs = []
        for record in _read_jsonl(data_dir / XWLB):
            count = seen[record["summary"]] = seen.get(record["summary"], 0) + 1
            if count <= xwlb_cap:  # 国家卫生健康委通报最新疫情 ×742 would teach one headline
                pairs.append(Pair(record["source"], record["summary"], "xwlb"))
        return pairs
    name = {"sohu": SOHU, "csl": CSL}[corpus]
    return [Pair(r["source"], r["summary"], corpus) for r in _read_jsonl(data_dir / name)]


def states_unsupported_number(pair: Pair) -> bool:
    """The headline has a number its source lacks: label noise for a model that should copy.

    The same test the guard applies at run time, so the model is not taught what the guard rejects.
    """
    return unsupported_number(normalise(pair.target), normalise(pair.source)) is not None


_SERIES_TAG = re.compile(r"^【[^】]*】\s*")


def strip_series_tag(target: str, source: str) -> str:
    """新闻联播 heads an item of a series with the series' name (【香港新活力】…): 13% of its
    headlines, almost never in the item's text. Learnt, the model writes such tags for any post."""
    tag = _SERIES_TAG.match(target)
    return target[tag.end():] if tag and tag.group(0).strip() not in source else target


def states_unsupported_fact(pair: Pair) -> bool:
    """The guard would reject the headline against its (cut) source: a number, name or noun the
    source lacks, a name cut short. 新闻联播's series tags (【奋进新征程…】) go this way too."""
    return not default_guard().check(pair.target, pair.source)


def clean_pairs(pairs: Iterable[Pair], settings: Settings) -> list[Pair]:
    """Normalised, cut to length, without duplicates, empty targets or (optionally) unsupported facts."""
    data = settings.data
    unsupported = {"off": None, "numbers": states_unsupported_number, "guard": states_unsupported_fact}[
        data.faithful_targets]
    seen: set[tuple[str, str]] = set()
    kept = []
    for pair in pairs:
        source = normalise_text(pair.source)[: data.max_source_chars]
        target = strip_series_tag(normalise_text(pair.target), source)
        if not source or not target or len(target) > data.max_target_chars or (source, target) in seen:
            continue
        cleaned = Pair(source, target, pair.corpus)
        if unsupported and unsupported(cleaned):
            continue
        seen.add((source, target))
        kept.append(cleaned)
    return kept


def training_pairs(settings: Settings) -> list[Pair]:
    data_dir = settings.path(settings.data.dir)
    held_out = {normalise_text(p.source)[: settings.data.max_source_chars]
                for split in ("val", "test") for p in lcsts_pairs(data_dir, split)}
    pairs: list[Pair] = []
    for corpus in settings.data.corpora:
        found = clean_pairs(corpus_pairs(data_dir, corpus, settings.data.xwlb_headline_cap), settings)
        found = [p for p in found if p.source not in held_out]  # the benchmark never trains the model
        log.info("data: %s %d pairs", corpus, len(found))
        pairs.extend(found * max(1, settings.data.repeat.get(corpus, 1)))
    random.Random(settings.seed).shuffle(pairs)
    return pairs[: settings.data.max_pairs] if settings.data.max_pairs else pairs


def validation_pairs(settings: Settings) -> list[Pair]:
    """LCSTS val, normalised like training sources; its targets are kept as written."""
    pairs = lcsts_pairs(settings.path(settings.data.dir), "val")
    return [Pair(normalise_text(p.source)[: settings.data.max_source_chars], p.target, p.corpus) for p in pairs]


def write_pairs(path: Path, pairs: Iterable[Pair]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        for pair in pairs:
            handle.write(json.dumps(asdict(pair), ensure_ascii=False) + "\n")


def read_pairs(path: Path) -> list[Pair]:
    return [Pair(**record) for record in _read_jsonl(path)]


def prepare(settings: Settings, out_dir: Path) -> Path:
    """Pairs and tokenizer into `out_dir`, unless it already holds them for these settings."""
    from .vocab import build_tokenizer

    fingerprint = settings.fingerprint("seed", "data", "tokenizer") + f"-{settings.model.max_source_tokens}"
    manifest = out_dir / MANIFEST
    if manifest.is_file() and json.loads(manifest.read_text())["fingerprint"] == fingerprint:
        log.info("data: prepared folder %s is up to date", out_dir)
        return out_dir
    data_dir = settings.path(settings.data.dir)
    if not (data_dir / LCSTS).is_file():
        raise TrainingError(f"{out_dir} is missing or was prepared for other settings, and there is no "
                         f"{LCSTS} in {data_dir} to prepare it from (training/device_run.sh prepare makes it here)")
    if manifest.is_file():
        log.info("data: %s was prepared for other settings; preparing again", out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    train, val = training_pairs(settings), validation_pairs(settings)
    write_pairs(out_dir / TRAIN_FILE, train)
    write_pairs(out_dir / VAL_FILE, val)
    # Vocabulary from the training text alone (sources and headlines), never from val or test.
    lines = (text for pair in train for text in (pair.source, pair.target))
    vocab = settings.tokenizer
    build_tokenizer(lines, out_dir / TOKENIZER_DIR, vocab.vocab_size, settings.model.max_source_tokens,
                    vocab.character_coverage, vocab.max_piece_length)
    counts: dict[str, int] = {}
    for pair in train:
        counts[pair.corpus] = counts.get(pair.corpus, 0) + 1
    manifest.write_text(json.dumps({"fingerprint": fingerprint, "train": counts, "val": len(val)}, indent=1))
    log.info("data: prepared %d training and %d validation pairs in %s", len(train), len(val), out_dir)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """python -m training.data --config training/config.toml --out scratch/device"""
    import argparse

    from .settings import load_settings

    parser = argparse.ArgumentParser(description="Pack training pairs and the tokenizer into one folder.")
    parser.add_argument("--config", default="training/config.toml")
    parser.add_argument("--out", help="the folder (default: data.prepared of the config)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = load_settings(args.config)
    out = prepare(settings, settings.path(args.out or settings.data.prepared))
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{out}: {size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    from .settings import exit_code_of

    raise SystemExit(exit_code_of(main))
