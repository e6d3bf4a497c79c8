"""`digest run-morning`: the cron job — yesterday's briefing (or with --weekly,
last week's), published and sent.

Both deliveries are tried even when one fails, so a failed push does not hold
back the email. Exit code: 0 when all went out; 3 when one delivery worked and
another did not; otherwise the failure's own code (1, or 75 for a busy lock).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging

from ..clock import parse_day
from ..errors import ConfigError, DigestError, PartialDelivery
from ..period import Kind, Period
from .common import say, settings
from .publish import publish_briefing
from .push import push
from .send import briefing_or_note, send

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args, **{"email.to": args.to, "wiki.path": args.wiki, "wiki.push": args.push})
    if not (args.input or config.inputs):
        raise ConfigError("no input: give --input or set `input` in the config")
    if config.wiki.path is None and not config.email.to and not config.channels.configured():
        raise ConfigError("nothing to deliver: set wiki.path, email.to and/or a group bot's webhook "
                          "(or give --wiki / --to)")
    period = _period(args, clock().date())
    briefing = briefing_or_note(args, config, period.kind, period)
    if briefing is None:
        return 0
    failures: list[DigestError] = []
    stages = 0
    if config.wiki.path is None:
        say(f"{briefing.id}: not published (no wiki.path)")
    elif not briefing.post_count:
        say(f"{briefing.id}: not published (no posts)")
    else:
        stages += 1
        _attempt(failures, "publish", lambda: publish_briefing(briefing, config))
    if config.email.to:
        stages += 1
        _attempt(failures, "send", lambda: send(briefing, config, clock, args))
    else:
        say(f"{briefing.id}: email not sent (no recipients in email.to)")
    for channel in config.channels.configured() if briefing.post_count else ():
        stages += 1
        _attempt(failures, f"push to {channel}",
                 lambda channel=channel: push(briefing, channel, config, clock, force=args.force))
    if not failures:
        return 0
    # Each failure was logged as it happened.
    if len(failures) < stages:
        raise PartialDelivery(f"{stages - len(failures)} of {stages} deliveries done; see the errors above")
    raise next((f for f in failures if isinstance(f, PartialDelivery)), failures[0])


def _period(args: argparse.Namespace, today: dt.date) -> Period:
    """--date's day or week; by default yesterday, or last week."""
    kind = Kind.WEEKLY if args.weekly else Kind.DAILY
    if args.date:
        return Period.holding(kind, parse_day(args.date))
    return Period.holding(kind, today).previous()


def _attempt(failures: list[DigestError], stage: str, action) -> None:
    try:
        action()
    except DigestError as exc:
        log.error("%s failed: %s", stage, exc)
        failures.append(exc)
