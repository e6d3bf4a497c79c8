"""The email briefing: multipart/alternative, plain text first, then inline-styled HTML.

Header values are built only from sanitised one-line text, so nothing from an
article (a title with CR/LF or U+2028) can add or split a header.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Sequence

from ..clock import Clock, system_clock
from ..config import Config
from ..errors import ConfigError
from ..records import Briefing
from .environment import plain
from . import render_template


def subject(briefing: Briefing) -> str:
    return plain(f"{briefing.title}｜{briefing.period}")


def sender_domain(address: str) -> str:
    _, email_address = parseaddr(plain(address))
    domain = email_address.rpartition("@")[2]
    if not domain or any(ch in domain for ch in "<>()[]\\,;: \"@"):
        raise ConfigError(f"email.from has no usable domain: {address!r}")
    return domain


def build_message(
    briefing: Briefing,
    config: Config,
    clock: Clock = system_clock,
    recipients: Sequence[str] = (),
) -> EmailMessage:
    text = render_template(briefing, f"email/{briefing.kind}.txt.j2", "text", config.templates)
    html = render_template(briefing, f"email/{briefing.kind}.html.j2", "html", config.templates)
    content_hash = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:16]

    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(briefing)
    message["From"] = plain(config.email_from)
    if len(recipients) == 1:
        message["To"] = plain(recipients[0])
    else:
        # Several readers should not see each other's addresses: they go in Bcc.
        message["To"] = "undisclosed-recipients:;"
    message["Date"] = format_datetime(clock())
    message["Message-ID"] = f"<digest.{briefing.kind}.{briefing.period}.{content_hash}@{sender_domain(config.email_from)}>"
    message.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    # The default boundary is random; a content-derived one keeps the bytes reproducible.
    message.set_boundary(f"=_digest_{content_hash}")
    return message


def message_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=SMTP)
