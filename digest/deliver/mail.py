"""Email a briefing: build the message once, then send it through the ledger."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from ..clock import Clock
from ..config import Config
from ..errors import ConfigError, PartialDelivery
from ..records import Briefing
from ..render.options import RenderOptions
from ..render.email import GMAIL_CLIP_BYTES, build_message, message_bytes, render_bodies
from .files import atomic_write, exclusive_lock
from .ledger import Ledger
from .smtp import SendReport, send_once

log = logging.getLogger(__name__)


def send_briefing(
    briefing: Briefing,
    config: Config,
    clock: Clock,
    recipients: Sequence[str],
    force: bool = False,
    dry_run: Path | None = None,
    render: RenderOptions | None = None,
) -> SendReport | None:
    """Send (or with `dry_run`, write the .eml); None for a dry run.

    Raises PartialDelivery when some recipients got it and others did not (or may not have).
    """
    if not recipients:
        raise ConfigError("no recipients: give --to or set email.to in the config")
    bodies = render_bodies(briefing, config, render)
    if bodies.html_size > GMAIL_CLIP_BYTES:
        log.warning("the HTML part is %d KB even with short lists: Gmail will clip it", bodies.html_size // 1024)
    message = build_message(briefing, config, clock, recipients, bodies)
    if dry_run:
        atomic_write(dry_run, message_bytes(message))
        log.info("send: dry run, message written to %s", dry_run)
        return None
    state = config.ledger_dir
    with exclusive_lock(state / "send.lock", config.smtp_timeout * config.smtp_attempts, "sending"), \
            Ledger(state / "ledger.sqlite3") as ledger:
        # Keyed on the period's posts, not the rendered bytes: a template or skip-report
        # change alone must not mail everybody again.
        report = send_once(
            message, recipients, config, ledger, briefing.id, briefing.source_hash,
            now=lambda: clock().isoformat(timespec="seconds"), force=force,
        )
    log.info("send %s: %s", briefing.id, report.summary())
    if not report.complete:
        raise PartialDelivery(f"send {briefing.id}: {report.summary()}")
    return report
