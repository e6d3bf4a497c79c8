"""What the commands share: settings from config + flags, the period, building the briefing."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Iterable

from ..clock import Clock, fixed_clock, parse_moment, system_clock
from ..config import Config, load_config
from ..errors import InputError
from ..period import Kind, Period
from ..pipeline import run
from ..records import Briefing, Skip

log = logging.getLogger("digest")


def settings(args: argparse.Namespace, **overrides: object) -> tuple[Config, Clock]:
    """The config (file, environment, then the flags every command shares and `overrides`) and the clock."""
    config = load_config(args.config, overrides={**setting_flags(args), **overrides})
    clock = fixed_clock(parse_moment(args.now)) if args.now else system_clock
    return config, clock


def setting_flags(args: argparse.Namespace) -> dict[str, object]:
    """The config keys that the shared flags set; None where a flag was not given."""
    return {"templates": args.templates, "lexicon": args.lexicon, "summary.backend": args.summarizer,
            "render.details": getattr(args, "details", None), "render.web_url": getattr(args, "web_url", None),
            "feeds.archive_path": getattr(args, "archive_path", None),
            "run.workers": getattr(args, "workers", None), "run.engine": getattr(args, "engine", None),
            "run.ray_address": getattr(args, "ray_address", None)}


def requested_period(args: argparse.Namespace) -> Period | None:
    if getattr(args, "week", None):
        return Period.parse(Kind.WEEKLY, args.week)
    if getattr(args, "date", None):
        return Period.parse(Kind.DAILY, args.date)
    return None


def requested_kind(args: argparse.Namespace) -> Kind:
    """--week asks for a weekly briefing; else a daily one."""
    return Kind.WEEKLY if getattr(args, "week", None) else Kind.DAILY


def build(args: argparse.Namespace, config: Config, kind: Kind, period: Period | None = None) -> Briefing:
    if not (args.input or config.inputs or getattr(args, "archive", False)):
        raise InputError("no input: give --input (or --archive), or set `input` in the config")
    briefing = run(args.input or config.inputs, period or requested_period(args), config, kind=kind,
                   ingest=lambda inputs, keep_day=None: read_with_archive(args, config, inputs,
                                                                          keep_day=keep_day).ingested)
    report_skips(briefing.skipped)
    return briefing


def read_with_archive(args: argparse.Namespace, config: Config, inputs, archive_exports: bool = False, keep_day=None):
    """Exports and feeds; feed posts go into the archive, and with --archive the archive's posts come back."""
    from ..sources import read_inputs

    now = parse_moment(args.now) if getattr(args, "now", None) else system_clock()
    return read_inputs(inputs, config.feeds, config.ledger_dir, now, from_archive=getattr(args, "archive", False),
                       archive_exports=archive_exports, keep_day=keep_day)


def report_skips(skipped: Iterable[Skip]) -> None:
    for skip in skipped:
        where = skip.file + (f"#{skip.position}" if skip.position is not None else "") if skip.file else ""
        log.warning("skipped %s: %s", " ".join(x for x in (skip.aid, where) if x), skip.reason)


def say(line: str) -> None:
    """The one line a delivering command prints on success: what it did, or why it did nothing."""
    print(f"digest: {line}", file=sys.stdout, flush=True)


def report_send(briefing: Briefing, recipients, report, dry_run) -> None:
    if dry_run:
        say(f"{briefing.id}: dry run, message for {len(recipients)} recipient(s) written to {dry_run}; nothing sent")
    elif report is not None:
        say(f"{briefing.id}: email {report.summary()}")
