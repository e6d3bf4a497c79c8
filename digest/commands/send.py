"""`digest send`: email a daily or weekly briefing, once per recipient."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..config import Config
from ..deliver.mail import send_briefing
from ..errors import NoPostsError
from ..pipeline import build_briefing, describe
from ..records import Briefing
from .common import build, reader_options, report_send, say, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args, **{"email.to": args.to})
    kind = "weekly" if args.week else "daily"
    briefing = briefing_or_note(args, config, kind)
    if briefing is None:
        return 0
    dry_run = Path(args.dry_run) if args.dry_run else None
    report = send_briefing(briefing, config, clock, config.email_to, force=args.force, dry_run=dry_run,
                           render=reader_options(args, config))
    report_send(briefing, config.email_to, report, dry_run)
    return 0


def briefing_or_note(args: argparse.Namespace, config: Config, kind: str, period=None) -> Briefing | None:
    """The briefing; for a period without posts, a short note or None (config email.empty_day)."""
    try:
        return build(args, config, kind, period)
    except NoPostsError as empty:
        if config.empty_day == "skip":
            log.warning("%s; nothing sent (email.empty_day = skip)", empty)
            say(f"nothing sent: no posts in {describe(empty.period)} (email.empty_day = skip)")
            return None
        return build_briefing([], empty.skipped, empty.period, config)
