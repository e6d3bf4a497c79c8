"""The email briefing: multipart/alternative, plain text first, then inline-styled HTML.

Header values are built only from sanitised one-line text, so nothing from an
article (a title with CR/LF or U+2028) can add or split a header.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Iterable, Literal, Sequence

from ..clock import Clock, system_clock
from ..errors import ConfigError
from ..ingest import safe_url
from ..options import config_section, setting
from ..overview import highlights
from ..records import Briefing
from . import render_template
from .environment import plain
from .options import RenderOptions

GMAIL_CLIP_BYTES = 102_400  # Gmail clips a message whose HTML part is larger

# One mailbox, as a recipient is given (email.to, --to): local@domain, nothing a header could misread.
MAILBOX = re.compile(r"[^\s@<>()\[\],;:\"\\]+@[^\s@<>()\[\],;:\"\\.][^\s@<>()\[\],;:\"\\]*")


def each_a_mailbox(addresses: Iterable[str]) -> None:
    """ValueError naming the first entry that is not a plain name@domain."""
    for address in addresses:
        if not MAILBOX.fullmatch(address):
            raise ValueError(f"not an email address: {address!r} (give name@domain)")


@config_section
class EmailOptions:
    """Config section `[email]`: who the email briefing comes from and goes to."""

    sender: str = setting("digest <digest@localhost>",
                          "From address of email briefings; its domain also names the Message-ID.",
                          key="from", env="DIGEST_SMTP_FROM")
    to: tuple[str, ...] = setting((), "Recipients (a list, or comma-separated in the environment); several go in Bcc.",
                                  check=each_a_mailbox)
    unsubscribe_url: str | None = setting(
        None, "An http(s) URL for List-Unsubscribe / List-Unsubscribe-Post (one-click) headers.")
    empty_day: Literal["skip", "note"] = setting(
        "skip", "A period without posts: `skip` sends nothing, `note` sends a short 'no posts' message.")


@dataclass(frozen=True)
class EmailBodies:
    text: str
    html: str

    @property
    def html_size(self) -> int:
        """Bytes of the HTML part as sent: UTF-8, with CRLF line ends."""
        return len(self.html.encode("utf-8")) + self.html.count("\n")

    @property
    def content_hash(self) -> str:
        """What the reader sees; the ledger keys sends on it (headers like Date excluded)."""
        return hashlib.sha256(f"{self.text}\0{self.html}".encode("utf-8")).hexdigest()


# How many stories (and related posts) per list an email shows, tried in turn
# until the HTML part fits under Gmail's clipping size.
LIST_LIMITS = (None, 40, 20, 10, 5, 2)


def render_bodies(briefing: Briefing, email: EmailOptions, options: RenderOptions = RenderOptions(),
                  templates: Path | None = None) -> EmailBodies:
    """The full briefing if it fits in an email; else lists cut short, with a note saying so."""
    # The body shows the unsubscribe line only when the header offers it too.
    context = dict(unsubscribe=safe_url(email.unsubscribe_url or ""), preheader=preheader(briefing, options))
    for limit in LIST_LIMITS:
        bodies = EmailBodies(
            text=render_template(briefing, f"email/{briefing.kind}.txt.j2", "text", templates, options,
                                 limit=limit, **context),
            html=render_template(briefing, f"email/{briefing.kind}.html.j2", "html", templates, options,
                                 limit=limit, **context),
        )
        if bodies.html_size <= GMAIL_CLIP_BYTES:
            break
    return bodies


SUBJECT_HEADLINE_CHARS = 30  # phones show about 40 characters of a subject


def subject(briefing: Briefing) -> str:
    """Title, period, how many stories and the lead one: what decides whether to open it."""
    text = f"{briefing.title}｜{briefing.period}"
    if briefing.items:
        lead = highlights(briefing.sections, 1)[0].headline
        if len(lead) > SUBJECT_HEADLINE_CHARS:
            lead = lead[: SUBJECT_HEADLINE_CHARS - 1] + "…"
        text += f"｜{len(briefing.items)}项：{lead}"
    # A literal "=?charset?b?…?=" (an account name, a title) would be decoded by mail
    # clients as an encoded word and show other text; a full-width ＝ keeps it literal.
    return plain(text).replace("=?", "＝?")


def preheader(briefing: Briefing, options: RenderOptions) -> str:
    """The line mail clients show after the subject: the counts, then the next stories."""
    rest = [i.headline for i in highlights(briefing.sections, options.highlights)[1:]]
    return plain("；".join([briefing.overview.rstrip("。"), *rest]))


def envelope_sender(email: EmailOptions) -> str:
    if any("\udc80" <= ch <= "\udcff" for ch in email.sender):
        # os.environ carries undecodable bytes as surrogates; they cannot go into a header.
        raise ConfigError("email.from (DIGEST_SMTP_FROM) holds bytes that are not UTF-8 text")
    _, address = parseaddr(plain(email.sender))
    if "@" not in address:
        raise ConfigError(f"email.from is not an address: {email.sender!r}")
    return address


def sender_domain(email: EmailOptions) -> str:
    domain = envelope_sender(email).rpartition("@")[2]
    if not domain or any(ch in domain for ch in "<>()[]\\,;: \"@"):
        raise ConfigError(f"email.from has no usable domain: {email.sender!r}")
    return domain


def build_message(
    briefing: Briefing,
    email: EmailOptions,
    options: RenderOptions = RenderOptions(),
    templates: Path | None = None,
    clock: Clock = system_clock,
    recipients: Sequence[str] = (),
    bodies: EmailBodies | None = None,
) -> EmailMessage:
    envelope_sender(email)  # first: a broken From fails before any rendering
    bodies = bodies or render_bodies(briefing, email, options, templates)
    short_hash = bodies.content_hash[:16]

    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(briefing)
    message["From"] = plain(email.sender)
    if len(recipients) == 1:
        message["To"] = plain(recipients[0])
    else:
        # Several readers must not see each other's addresses: they are envelope
        # recipients only (Bcc), and the visible To names nobody.
        message["To"] = "undisclosed-recipients:;"
    message["Date"] = format_datetime(clock())
    message["Message-ID"] = f"<digest.{briefing.kind}.{briefing.period}.{short_hash}@{sender_domain(email)}>"
    unsubscribe = safe_url(email.unsubscribe_url or "")
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(bodies.text, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(bodies.html, subtype="html", charset="utf-8", cte="base64")
    # The default boundary is random; a content-derived one keeps the bytes reproducible.
    message.set_boundary(f"=_digest_{short_hash}")
    return message


def message_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=SMTP)
