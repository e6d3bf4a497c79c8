"""`digest summarize`: a headline or summary for each line of a JSON Lines file.

For evaluation: it reads one text per line (`--field`), runs a summariser
backend on it as if it were a post with no title, and prints one JSON object
per input line, in order: {"headline": …, "method": …} or {"summary": …,
"method": …}. `method` says who wrote the text: `seq2seq`, or
`extractive-fallback` when the faithfulness guard rejected the model's output,
or the extractive backend's own method. Blank lines are skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..clean import clean_article
from ..config import load_config
from ..errors import InputError
from ..records import Article, CleanArticle
from ..summarize import Summarizer, available, get_summarizer

MODES = ("headline", "summary")
CHUNK = 64  # articles per model call: big enough to batch, small enough to stream the output


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "summarize", help="headline or summary of each line of a JSON Lines file (for evaluation)",
        description="Write a headline or summary for each line of a JSON Lines file, one JSON line out per line in.",
    )
    parser.add_argument("-i", "--input", metavar="FILE", help="JSON Lines with one object per line; - for stdin")
    parser.add_argument("--field", default="source", help="the key that holds the text (default: %(default)s)")
    parser.add_argument("--mode", choices=MODES, default="headline", help="what to write (default: %(default)s)")
    parser.add_argument("--backend", metavar="NAME",
                        help="summariser backend (default: seq2seq with --model, else auto: the shipped model "
                             "when it loads)")
    parser.add_argument("--model", metavar="DIR", help="a local Hugging Face seq2seq model directory")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), help="where the model runs (default: auto)")
    parser.add_argument("--batch-size", type=int, metavar="N", help="texts per model call")
    parser.add_argument("--num-beams", type=int, metavar="N", help="beam width of the model's search")
    parser.add_argument("-c", "--config", metavar="FILE", help="config file (TOML; default $DIGEST_CONFIG)")
    parser.add_argument("--list", action="store_true", help="list the summariser backends and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to standard error")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.list:
        print("\n".join(available()))
        return 0
    if not args.input:
        raise InputError("digest summarize needs --input FILE (or --list)")
    config = load_config(args.config, overrides={
        "summary.model.dir": args.model, "summary.model.device": args.device,
        "summary.model.batch_size": args.batch_size, "summary.model.num_beams": args.num_beams})
    # This command evaluates the model, so it does not follow summary.backend (the briefings').
    backend = args.backend or ("seq2seq" if args.model else "auto")
    texts = list(read_texts(args.input, args.field))
    summarizer = get_summarizer(backend, config.summary)
    articles = [article_from_text(text, number) for number, text in enumerate(texts, start=1)]
    for start in range(0, len(articles), CHUNK):
        for text, method in summarize(summarizer, articles[start : start + CHUNK], args.mode):
            sys.stdout.write(json.dumps({args.mode: text, "method": method}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def read_texts(path: str, field: str) -> Iterator[str]:
    """The `field` of each non-blank line; a line without it is an error that names the line."""
    try:
        lines = sys.stdin.readlines() if path == "-" else Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
        value = record.get(field) if isinstance(record, dict) else None
        if not isinstance(value, str):
            raise InputError(f"{path}:{number}: no text under {field!r}")
        yield value


def article_from_text(text: str, number: int = 1) -> CleanArticle:
    """A bare text as a post with no title, cleaned like any other post."""
    return clean_article(Article(aid=f"line-{number}", title="", url="", published=dt.date(1970, 1, 1),
                                 account="", content=text))





def summarize(summarizer: Summarizer, articles: Sequence[CleanArticle], mode: str) -> list[tuple[str, str]]:
    """(text, method) per article; one batched model call when the backend offers it."""
    batched = getattr(summarizer, "headlines" if mode == "headline" else "summaries", None)
    if batched is not None:
        return batched(articles)
    summaries = [summarizer(article) for article in articles]
    if mode == "headline":
        return [(s.headline, s.headline_method or s.method) for s in summaries]
    return [(s.text, s.method) for s in summaries]
