"""What the commands share: settings from config + flags, the period, building the briefing."""

from __future__ import annotations

import argparse
import logging

from ..clock import Clock, fixed_clock, parse_day, parse_moment, parse_week, system_clock
from ..config import Config, load_config
from ..pipeline import Period, daily, run, weekly
from ..records import Briefing

log = logging.getLogger("digest")


def settings(args: argparse.Namespace, **overrides: object) -> tuple[Config, Clock]:
    """The config (file, environment, then the flags every command shares and `overrides`) and the clock."""
    config = load_config(args.config, overrides={**setting_flags(args), **overrides})
    clock = fixed_clock(parse_moment(args.now)) if args.now else system_clock
    return config, clock


def setting_flags(args: argparse.Namespace) -> dict[str, object]:
    """The config keys that the shared flags set; None where a flag was not given."""
    return {"templates": args.templates, "lexicon": args.lexicon, "summary.backend": args.summarizer}


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
