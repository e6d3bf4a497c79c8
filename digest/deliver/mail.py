"""Email a briefing: build the message once, then send it through the ledger."""

from __future__ import annotations

import logging
from pathlib import Path

from ..clock import Clock
from ..errors import ConfigError, PartialDelivery
from ..records import Briefing
from ..render.email import GMAIL_CLIP_BYTES, EmailOptions, build_message, envelope_sender, message_bytes, render_bodies
from ..render.options import RenderOptions
from .files import atomic_write, exclusive_lock
from .ledger import Ledger
from .smtp import SendReport, SmtpOptions, send_once

log = logging.getLogger(__name__)


def send_briefing(
    briefing: Briefing,
    email: EmailOptions,
    smtp: SmtpOptions,
    state_dir: Path,
    clock: Clock,
    templates: Path | None = None,
    render: RenderOptions = RenderOptions(),
    force: bool = False,
    dry_run: Path | None = None,
) -> SendReport | None:
    """Send (or with `dry_run`, write the .eml); None for a dry run.

    Raises PartialDelivery when some recipients got it and others did not (or may not have).
    """
    recipients = email.to
    if not recipients:
        raise ConfigError("no recipients: give --to or set email.to in the config")
    bodies = render_bodies(briefing, email, render, templates)
    if bodies.html_size > GMAIL_CLIP_BYTES:
        log.warning("the HTML part is %d KB even with short lists: Gmail will clip it", bodies.html_size // 1024)
    message = build_message(briefing, email, render, templates, clock, recipients, bodies)
    if dry_run:
        atomic_write(dry_run, message_bytes(message))
        log.info("send: dry run, message written to %s", dry_run)
        return None
    smtp.check_login()
    with exclusive_lock(state_dir / "send.lock", smtp.timeout * smtp.attempts, "sending"), \
            Ledger(state_dir / "ledger.sqlite3") as ledger:
        # Keyed on the period's posts, not the rendered bytes: a template or skip-report
        # change alone must not mail everybody again.
        report = send_once(
            message, recipients, envelope_sender(email), smtp, ledger, briefing.id, briefing.source_hash,
            now=lambda: clock().isoformat(timespec="seconds"), force=force,
        )
    log.info("send %s: %s", briefing.id, report.summary())
    if not report.complete:
        raise PartialDelivery(f"send {briefing.id}: {report.summary()}")
    return report
