"""`digest push`: post a briefing to group bots (WeCom, DingTalk, Feishu), once per group."""

from __future__ import annotations

import argparse
import logging

from ..clock import Clock
from ..config import Config
from ..deliver.channels import push_briefing
from ..errors import ConfigError, DigestError, NoPostsError, PartialDelivery
from ..records import Briefing
from .common import build, requested_kind, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args)
    channels = tuple(dict.fromkeys(args.channel or config.channels.configured()))
    if not channels:
        raise ConfigError("no group bot configured: set DIGEST_WECOM_WEBHOOK, DIGEST_DINGTALK_WEBHOOK or "
                          "DIGEST_FEISHU_WEBHOOK (or channels.*.webhook in the config)")
    if not (args.input or config.inputs):
        raise ConfigError("no input: give --input or set `input` in the config")
    try:
        briefing = build(args, config, requested_kind(args))
    except NoPostsError as empty:
        log.warning("%s; nothing pushed", empty)
        return 0
    failures: list[DigestError] = []
    for channel in channels:  # every bot is tried, whatever happened to the one before
        try:
            push(briefing, channel, config, clock, force=args.force)
        except DigestError as exc:
            log.error("%s", exc)
            failures.append(exc)
    if failures and len(failures) < len(channels):
        raise PartialDelivery(f"{len(channels) - len(failures)} of {len(channels)} pushes done; see the errors above")
    if failures:
        raise failures[0]
    return 0


def push(briefing: Briefing, channel: str, config: Config, clock: Clock, force: bool = False) -> None:
    result = push_briefing(briefing, channel, config.channels, config.ledger_dir, clock,
                           page=config.render.page_url(briefing) or None, force=force)
    log.info("push %s: %s", briefing.id, result.summary())
