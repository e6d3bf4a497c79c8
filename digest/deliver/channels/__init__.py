"""Push a briefing to group bots (WeCom, DingTalk, Feishu), once per channel and group.

The send ledger that email uses records each push: its "recipient" is the
channel and a fingerprint of the webhook (so another group is another
recipient, and the bot's key is never stored), its content the hash of the
period's posts. A rerun posts nothing; `--force` posts again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...clock import Clock
from ...errors import ConfigError, DeliveryError, PartialDelivery
from ...records import Briefing
from ..files import exclusive_lock
from ..ledger import FAILED, SENDING, SENT, Ledger
from .formats import Message, build_message
from .options import CHANNELS, ChannelOptions, DingtalkOptions, FeishuOptions, WecomOptions
from .webhook import PermanentFailure, TemporaryFailure, UncertainDelivery, post_with_retries, signed_request, where

__all__ = ["CHANNELS", "ChannelOptions", "DingtalkOptions", "FeishuOptions", "WecomOptions", "PushResult",
           "push_briefing", "build_message"]

log = logging.getLogger(__name__)

POSTED, ALREADY = "posted", "already posted earlier"


@dataclass(frozen=True)
class PushResult:
    channel: str
    outcome: str  # posted, or already posted earlier
    message: Message | None = None

    def summary(self) -> str:
        shown = ""
        if self.message and self.message.shown < self.message.total:
            shown = f" ({self.message.shown} of {self.message.total} stories, shortened to fit)"
        return f"{self.channel}: {self.outcome}{shown}"


def recipient(channel: str, webhook: str) -> str:
    return f"{channel}:{hashlib.sha256(webhook.encode('utf-8')).hexdigest()[:16]}"


def push_briefing(
    briefing: Briefing,
    channel: str,
    options: ChannelOptions,
    state_dir: Path,
    clock: Clock,
    page: str | None = None,
    force: bool = False,
    wall: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Post `briefing` to `channel` unless the ledger says this group already has it.

    `page` is the briefing's web page (site.base_url), linked from the message.
    `wall` is the real clock signatures are made with (a fixed --now must not
    make them expire). Raises DeliveryError when the post failed, PartialDelivery
    when it is uncertain whether it went out.
    """
    if channel not in CHANNELS:
        raise ConfigError(f"unknown channel {channel!r} (choose from {', '.join(CHANNELS)})")
    bot = getattr(options, channel)
    if not bot.webhook:
        raise ConfigError(f"no webhook for {channel}: set channels.{channel}.webhook or "
                          f"DIGEST_{channel.upper()}_WEBHOOK")
    secret = getattr(bot, "secret", None)
    message = build_message(channel, briefing, page)
    who = recipient(channel, bot.webhook)
    content = briefing.source_hash
    message_id = f"{channel}:{briefing.id}:{content.rpartition(':')[2][:16]}"

    def now() -> str:
        return clock().isoformat(timespec="seconds")

    with exclusive_lock(state_dir / "push.lock", options.timeout * options.attempts + 30, "pushing"), \
            Ledger(state_dir / "ledger.sqlite3") as ledger:
        status = ledger.status(briefing.id, who, content)
        if status == SENT and not force:
            return PushResult(channel, ALREADY, message)
        if status == SENDING and not force:
            raise PartialDelivery(f"push to {channel}: a previous run got no reply, so {briefing.id} may be "
                                  "posted already; not posting again (--force to repost)")
        try:
            reply = post_with_retries(
                channel, lambda: signed_request(channel, bot.webhook, message.payload, secret, wall()),
                options.timeout, options.attempts, options.backoff,
                on_handover=lambda: ledger.mark(briefing.id, [who], content, SENDING, message_id, now()),
                sleep=sleep)
        except (TemporaryFailure, PermanentFailure) as exc:
            ledger.mark(briefing.id, [who], content, FAILED, message_id, now(), str(exc))
            raise DeliveryError(f"push to {channel} failed: {exc}") from exc
        except UncertainDelivery as exc:
            raise PartialDelivery(f"push to {channel}: {exc}; not posting again (--force to repost)") from exc
        ledger.mark(briefing.id, [who], content, SENT, message_id, now(), reply)
    log.info("push %s to %s (%s): %s", briefing.id, channel, where(bot.webhook), reply)
    return PushResult(channel, POSTED, message)
