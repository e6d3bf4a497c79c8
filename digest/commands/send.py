"""`digest send`: email a daily or weekly briefing, once per recipient."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..clock import Clock
from ..config import Config
from ..deliver.mail import send_briefing
from ..errors import NoPostsError
from ..period import Kind, Period
from ..pipeline import build_briefing
from ..records import Briefing
from .common import build, report_send, requested_kind, say, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args, **{"email.to": args.to})
    briefing = briefing_or_note(args, config, requested_kind(args))
    if briefing is None:
        return 0
    send(briefing, config, clock, args)
    return 0


def send(briefing: Briefing, config: Config, clock: Clock, args: argparse.Namespace) -> None:
    """Email the briefing as the config and the flags say, and print one line of what was done."""
    dry_run = Path(args.dry_run) if args.dry_run else None
    report = send_briefing(briefing, config.email, config.smtp, config.ledger_dir, clock, config.templates,
                           config.render, force=args.force, dry_run=dry_run)
    report_send(briefing, config.email.to, report, dry_run)


def briefing_or_note(args: argparse.Namespace, config: Config, kind: Kind,
                     period: Period | None = None) -> Briefing | None:
    """The briefing; for a period without posts, a short note or None (config email.empty_day)."""
    try:
        return build(args, config, kind, period)
    except NoPostsError as empty:
        if config.email.empty_day == "skip":
            log.warning("%s; nothing sent (email.empty_day = skip)", empty)
            say(f"nothing sent: no posts in {empty.period.label} (email.empty_day = skip)")
            return None
        return build_briefing([], empty.skipped, empty.period, config)
