"""Send one message over SMTP, exactly once per recipient, with bounded retries.

The fault rules:
- a 4xx reply, a refused or dropped connection before the message is handed
  over: temporary, retried with exponential backoff (`smtp.attempts` tries);
- a 5xx reply: permanent, not retried, reported with the server's own text;
- no answer (timeout, disconnect) after the final "." of DATA: the server may
  have queued the message, so it is *uncertain* — left `sending` in the
  ledger and reported, never blindly resent.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Callable, Literal, Sequence

from ..errors import ConfigError, DeliveryError
from ..options import at_least, between, config_section, setting
from ..render.email import message_bytes
from .ledger import FAILED, SENDING, SENT, Ledger

log = logging.getLogger(__name__)

Security = Literal["none", "starttls", "ssl"]


@config_section
class SmtpOptions:
    """Config section `[smtp]`: the server email briefings go through."""

    host: str = setting("localhost", "SMTP server host.")
    port: int | None = setting(None, "SMTP port (default: 465 for ssl, 587 for starttls, 25 otherwise).",
                               check=between(1, 65535, "a port number"))
    security: Security = setting("none", "Transport security: none, starttls or ssl.")
    user: str | None = setting(None, "SMTP login name (no login when empty).")
    password: str | None = setting(
        None, "SMTP password: from the environment or the config file only, never a flag.", secret=True)
    timeout: float = setting(30.0, "Seconds to wait for the server at each step.", check=at_least(0))
    attempts: int = setting(
        3, "Tries for a temporary failure (4xx reply, dropped connection) before giving up.", check=at_least(1))
    backoff: float = setting(2.0, "Seconds before the first retry; doubled for each further retry.",
                             check=at_least(0))


    @property
    def resolved_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.security, 25)

    def check_login(self) -> None:
        """Python's smtplib sends only ASCII in AUTH. Checked before a send, not when the config
        is read: a run that sends nothing must not fail on it. The password is never shown."""
        if self.user and not self.user.isascii():
            raise ConfigError("smtp.user must be ASCII: Python's smtplib cannot send other characters in a login")
        if self.password and not self.password.isascii():
            raise ConfigError("smtp.password must be ASCII: Python's smtplib cannot send other characters "
                              "in a login (the password is not shown)")


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class UncertainDelivery(Exception):
    def __init__(self, message: str, recipients: list[str]) -> None:
        super().__init__(message)
        self.recipients = recipients


@dataclass(frozen=True)
class Outcome:
    accepted: list[str]
    refused: list[tuple[str, str]]  # 5xx to RCPT: permanent, per recipient
    deferred: list[tuple[str, str]]  # 4xx to RCPT: try that recipient again


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # a previous run may or may not have delivered
    refused: list[tuple[str, str]] = field(default_factory=list)  # (recipient, server reply)

    @property
    def complete(self) -> bool:
        return not self.uncertain and not self.refused

    def summary(self) -> str:
        parts = [f"{len(self.sent)} sent"]
        if self.already_sent:
            parts.append(f"{len(self.already_sent)} already sent earlier")
        if self.uncertain:
            parts.append(f"{len(self.uncertain)} uncertain (not resent; --force to resend): {', '.join(self.uncertain)}")
        if self.refused:
            parts.append("refused: " + "; ".join(f"{r} ({why})" for r, why in self.refused))
        return ", ".join(parts)


def send_once(
    message: EmailMessage,
    recipients: Sequence[str],
    sender: str,
    smtp: SmtpOptions,
    ledger: Ledger,
    briefing_id: str,
    content_hash: str,
    now: Callable[[], str],
    force: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send `message` from the envelope address `sender` to every recipient the ledger has not seen it go to.

    Raises DeliveryError only when nobody got the message; anything less than
    complete but more than nothing is in the report.
    """
    report = SendReport()
    message_id = str(message["Message-ID"])

    def mark(who: Sequence[str], status: str, detail: str = "") -> None:
        if who:
            ledger.mark(briefing_id, who, content_hash, status, message_id, now(), detail)

    unique: dict[str, str] = {}
    for recipient in recipients:  # addresses are case-insensitive; the ledger lowercases them too
        unique.setdefault(recipient.lower(), recipient)
    remaining = []
    for recipient in unique.values():
        status = ledger.status(briefing_id, recipient, content_hash)
        if status == SENT and not force:
            report.already_sent.append(recipient)
        elif status == SENDING and not force:
            report.uncertain.append(recipient)
        else:
            remaining.append(recipient)
    if not remaining:
        return report

    payload = message_bytes(message)
    failure = ""
    for attempt in range(1, smtp.attempts + 1):
        try:
            # `sending` is written only when the message is about to be handed over:
            # a run killed before that has sent nothing and may simply run again.
            outcome = _transaction(payload, remaining, sender, smtp, on_handover=lambda who: mark(who, SENDING))
        except TemporaryFailure as exc:
            failure = str(exc)
        except PermanentFailure as exc:
            mark(remaining, FAILED, str(exc))
            if not report.sent:
                raise DeliveryError(f"SMTP server refused the message: {exc}") from exc
            report.refused.extend((r, str(exc)) for r in remaining)
            return report
        except UncertainDelivery as exc:
            report.uncertain.extend(exc.recipients)
            log.error("no reply after the message was handed over (%s): not resending", exc)
            return report
        else:
            mark(outcome.accepted, SENT)
            for recipient, reason in outcome.refused:
                mark([recipient], FAILED, reason)
            report.sent.extend(outcome.accepted)
            report.refused.extend(outcome.refused)
            remaining = [r for r, _ in outcome.deferred]
            if not remaining:
                return report
            failure = "; ".join(f"{r} {why}" for r, why in outcome.deferred)
        if attempt < smtp.attempts:
            delay = smtp.backoff * 2 ** (attempt - 1)
            log.warning("SMTP attempt %d: %s; retrying in %.1f s", attempt, failure, delay)
            sleep(delay)

    mark(remaining, FAILED, failure)
    if not report.sent:
        raise DeliveryError(f"SMTP gave up after {smtp.attempts} attempts: {failure}")
    report.refused.extend((r, f"gave up: {failure}") for r in remaining)
    return report


def _transaction(
    payload: bytes, recipients: list[str], sender: str, smtp: SmtpOptions, on_handover: Callable[[list[str]], None]
) -> Outcome:
    """One SMTP session. Raises TemporaryFailure, PermanentFailure or UncertainDelivery."""
    accepted: list[str] = []
    handed_over = False
    try:
        client = _connect(smtp)
    except smtplib.SMTPConnectError as exc:
        _raise_for(exc.smtp_code, exc.smtp_error, "greeting")
    except ssl.SSLCertVerificationError as exc:
        raise _untrusted(exc, smtp) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(f"cannot connect to {smtp.host}:{smtp.resolved_port}: {exc}") from exc
    try:
        _check(client.ehlo(), "EHLO")
        if smtp.security == "starttls":
            _check(client.starttls(context=ssl.create_default_context()), "STARTTLS")
            _check(client.ehlo(), "EHLO")
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        _check(client.mail(sender), "MAIL FROM")
        refused, deferred = [], []
        for recipient in recipients:
            code, reply = client.rcpt(recipient)
            if 200 <= code < 300:
                accepted.append(recipient)
            else:
                (refused if code >= 500 else deferred).append((recipient, f"{code} {_text(reply)}"))
        if not accepted:
            if deferred:
                raise TemporaryFailure("every recipient was deferred: " + "; ".join(f"{r} {w}" for r, w in deferred))
            raise PermanentFailure("every recipient was refused: " + "; ".join(f"{r} {w}" for r, w in refused))
        code, reply = client.docmd("DATA")
        if code != 354:
            _raise_for(code, reply, "DATA")
        on_handover(accepted)
        client.send(_dot_stuffed(payload))
        handed_over = True  # from here on, silence may mean the server queued it
        code, reply = client.getreply()
        if code != 250:
            # The server answered: it did not take the message, so the rules apply as usual.
            _raise_for(code, reply, "end of DATA")
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            pass  # the message is accepted; a rude goodbye changes nothing
        return Outcome(accepted, refused, deferred)
    except smtplib.SMTPAuthenticationError as exc:
        _raise_for(exc.smtp_code, exc.smtp_error, "AUTH")
        raise  # unreachable: _raise_for always raises
    except smtplib.SMTPNotSupportedError as exc:
        raise PermanentFailure(f"the server does not support what the config asks: {exc}") from exc
    except ssl.SSLCertVerificationError as exc:
        raise _untrusted(exc, smtp) from exc
    except (OSError, smtplib.SMTPException) as exc:
        if handed_over:
            raise UncertainDelivery(f"{type(exc).__name__}: {exc}", accepted) from exc
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
    finally:
        client.close()


def _connect(smtp: SmtpOptions) -> smtplib.SMTP:
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.resolved_port, timeout=smtp.timeout,
                                context=ssl.create_default_context())
    return smtplib.SMTP(smtp.host, smtp.resolved_port, timeout=smtp.timeout)


def _untrusted(exc: ssl.SSLCertVerificationError, smtp: SmtpOptions) -> PermanentFailure:
    # Retrying cannot help: the host must trust the server's CA (its system store, or SSL_CERT_FILE).
    return PermanentFailure(f"the TLS certificate of {smtp.host}:{smtp.resolved_port} is not trusted "
                            f"(trust its CA in the system store or SSL_CERT_FILE): {exc}")


def _check(response: tuple[int, bytes], step: str) -> None:
    code, reply = response
    if not 200 <= code < 400:
        _raise_for(code, reply, step)


def _raise_for(code: int, reply: bytes | str, step: str) -> None:
    text = f"{step}: {code} {_text(reply)}"
    if 400 <= code < 500:
        raise TemporaryFailure(text)
    raise PermanentFailure(text)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _dot_stuffed(payload: bytes) -> bytes:
    """RFC 5321 transparency: CRLF line ends, a leading '.' doubled, then CRLF.CRLF."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", payload)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"
