"""Flag values checked before any work starts: a usage error exits 2, as `--help` says.

argparse checks the shape of the command line; these are the values it cannot
judge (a date that does not exist, an output folder that is missing), so a typo
fails in a second with one line instead of after the pipeline ran.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..clock import parse_day, parse_moment, parse_week
from ..errors import ConfigError, UsageError

def check_usage(args: argparse.Namespace) -> None:
    """UsageError naming the first flag whose value cannot work."""
    checks = (
        ("--date", "date", parse_day),
        ("--week", "week", parse_week),
        ("--now", "now", parse_moment),
    )
    for flag, name, parse in checks:
        value = getattr(args, name, None)
        if value:
            try:
                parse(value)
            except ConfigError as exc:
                raise UsageError(f"{flag}: {exc}") from None
    summarizer = getattr(args, "summarizer", None)
    if summarizer:
        from ..summarize import available

        if summarizer not in available():
            raise UsageError(f"--summarizer: unknown backend {summarizer!r} (available: {', '.join(available())})")
    templates = getattr(args, "templates", None)
    if templates and not Path(templates).is_dir():
        raise UsageError(f"--templates: no such folder: {templates}")
    lexicon = getattr(args, "lexicon", None)
    if lexicon and not Path(lexicon).is_file():
        raise UsageError(f"--lexicon: no such file: {lexicon}")
    web_url = getattr(args, "web_url", None)
    if web_url:
        from ..render.options import check_web_url

        try:
            check_web_url(web_url)
        except ValueError as exc:
            raise UsageError(f"--web-url: {exc}") from None
    for flag, name in (("--output", "output"), ("--dry-run", "dry_run")):
        target = getattr(args, name, None)
        if target:
            _check_writable_target(flag, Path(target))
    if getattr(args, "to", None) is not None:
        recipients(args.to)


def recipients(text: str) -> tuple[str, ...]:
    """The addresses of a --to value; UsageError for one that is not a plain mailbox."""
    from ..render.email import MAILBOX

    addresses = tuple(part.strip() for part in text.split(",") if part.strip())
    if not addresses:
        raise UsageError("--to: no address given")
    for address in addresses:
        if not MAILBOX.fullmatch(address):
            raise UsageError(f"--to: not an email address: {address!r} (give name@domain, comma-separated)")
    return addresses


def _check_writable_target(flag: str, path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"{flag}: {path} is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{flag}: the folder {folder} does not exist (create it first)")
