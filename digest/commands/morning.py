"""`digest run-morning`: the cron job — yesterday's briefing, published and sent.

Both deliveries are tried even when one fails, and the exit code is the worst
outcome, so a failed push does not hold back the email (and vice versa).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path

from ..clock import parse_day
from ..deliver.mail import send_briefing
from ..errors import ConfigError, DigestError, PartialDelivery
from ..pipeline import daily
from .common import settings
from .publish import publish_briefing
from .send import briefing_or_note

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args, **{"email.to": args.to, "wiki.path": args.wiki, "wiki.push": args.push})
    if not (args.input or config.inputs):
        raise ConfigError("no input: give --input or set `input` in the config")
    if config.wiki_path is None and not config.email_to:
        raise ConfigError("nothing to deliver: set wiki.path and/or email.to (or give --wiki / --to)")
    day = parse_day(args.date) if args.date else clock().date() - dt.timedelta(days=1)

    briefing = briefing_or_note(args, config, "daily", daily(day))
    if briefing is None:
        return 0
    failures: list[DigestError] = []
    if config.wiki_path is not None and briefing.post_count:
        _attempt(failures, "publish", lambda: publish_briefing(briefing, config))
    if config.email_to:
        def send() -> None:
            report = send_briefing(briefing, config, clock, config.email_to, force=args.force,
                                   dry_run=Path(args.dry_run) if args.dry_run else None)
            if report is not None and not report.complete:
                raise PartialDelivery(f"send {briefing.id}: {report.summary()}")

        _attempt(failures, "send", send)
    if failures:  # each was logged as it happened; exit with the worst
        raise max(failures, key=lambda f: f.exit_code)
    return 0


def _attempt(failures: list[DigestError], stage: str, action) -> None:
    try:
        action()
    except DigestError as exc:
        log.error("%s failed: %s", stage, exc)
        failures.append(exc)
