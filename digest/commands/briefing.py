"""`digest daily` and `digest weekly`: build a briefing and write it out."""

from __future__ import annotations

import argparse
import logging

from ..cli import write_output
from ..clock import fixed_clock, parse_day, parse_moment, parse_week, system_clock
from ..config import load_config
from ..pipeline import Period, daily, run, weekly
from ..render import render

log = logging.getLogger("digest")


def run_briefing(args: argparse.Namespace) -> int:
    config = load_config(
        args.config,
        overrides={"templates": args.templates, "lexicon": args.lexicon, "summary.backend": args.summarizer},
    )
    clock = fixed_clock(parse_moment(args.now)) if args.now else system_clock
    period = requested_period(args)
    briefing = run(args.input, period, config, kind=args.command)
    for skip in briefing.skipped:
        where = skip.file + (f"#{skip.position}" if skip.position is not None else "") if skip.file else ""
        log.warning("skipped %s: %s", " ".join(x for x in (skip.aid, where) if x), skip.reason)
    write_output(render(briefing, args.format, config, clock), args.output)
    return 0


def requested_period(args: argparse.Namespace) -> Period | None:
    if args.command == "daily":
        return daily(parse_day(args.date)) if args.date else None
    return weekly(*parse_week(args.week)) if args.week else None
