"""What the commands share: settings from config + flags, the period, building the briefing."""

from __future__ import annotations

import argparse
from dataclasses import replace
import logging
import sys

from ..clock import Clock, fixed_clock, parse_day, parse_moment, parse_week, system_clock
from ..config import Config, load_config
from ..pipeline import Period, daily, run, weekly
from ..records import Briefing
from ..render.options import RenderOptions, render_options

log = logging.getLogger("digest")


def settings(args: argparse.Namespace, **overrides: object) -> tuple[Config, Clock]:
    config = load_config(
        args.config,
        overrides={"templates": args.templates, "lexicon": args.lexicon, "summary.backend": args.summarizer,
                   **overrides},
    )
    clock = fixed_clock(parse_moment(args.now)) if args.now else system_clock
    return config, clock


def reader_options(args: argparse.Namespace, config: Config) -> RenderOptions:
    """The render settings of the config, with --details and --web-url on top."""
    options = render_options(config)
    flags = {"details": getattr(args, "details", None), "web_url": getattr(args, "web_url", None)}
    return replace(options, **{name: value for name, value in flags.items() if value is not None})


def requested_period(args: argparse.Namespace) -> Period | None:
    if getattr(args, "week", None):
        return weekly(*parse_week(args.week))
    if getattr(args, "date", None):
        return daily(parse_day(args.date))
    return None


def build(args: argparse.Namespace, config: Config, kind: str, period: Period | None = None) -> Briefing:
    briefing = run(args.input or config.inputs, period or requested_period(args), config, kind=kind)
    report_skips(briefing)
    return briefing


def report_skips(briefing: Briefing) -> None:
    for skip in briefing.skipped:
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
