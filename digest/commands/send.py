"""`digest send`: email a daily or weekly briefing, once per recipient."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..clock import Clock
from ..config import Config
from ..period import Kind, Period
from ..deliver.mail import send_briefing
from ..errors import NoPostsError
from ..pipeline import build_briefing
from ..records import Briefing
from .common import build, requested_kind, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args, **{"email.to": args.to})
    briefing = briefing_or_note(args, config, requested_kind(args))
    if briefing is None:
        return 0
    send(briefing, config, clock, args)
    return 0


def send(briefing: Briefing, config: Config, clock: Clock, args: argparse.Namespace) -> None:
    send_briefing(briefing, config.email, config.smtp, config.ledger_dir, clock, config.templates,
                  force=args.force, dry_run=Path(args.dry_run) if args.dry_run else None)


def briefing_or_note(args: argparse.Namespace, config: Config, kind: Kind,
                     period: Period | None = None) -> Briefing | None:
    """The briefing; for a period without posts, a short note or None (config email.empty_day)."""
    try:
        return build(args, config, kind, period)
    except NoPostsError as empty:
        if config.email.empty_day == "skip":
            log.warning("%s; nothing sent (email.empty_day = skip)", empty)
            return None
        return build_briefing([], empty.skipped, empty.period, config)
