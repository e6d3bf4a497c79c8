"""Post one message to a group bot's webhook: signed, retried when the platform says so, once.

Signing, as each platform documents it:
- DingTalk: `timestamp` (ms) and `sign` query parameters; sign =
  URL-encoded base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret)).
- Feishu: `timestamp` (s) and `sign` in the JSON body; sign =
  base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg=empty)).

The bots answer HTTP 200 even when they refuse a message; the verdict is the
reply's `errcode` (WeCom, DingTalk) or `code` (Feishu). The fault rules:
- a rate limit in the reply, HTTP 429 or 5xx, or a refused connection:
  temporary, retried with exponential backoff (`channels.attempts` tries);
- any other code or HTTP status: permanent, reported with the platform's text;
- no reply after the request went out: *uncertain* — the bot may have posted,
  so it stays `sending` in the ledger and is reported, never blindly reposted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import ssl
import time
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote_plus, urlsplit

log = logging.getLogger(__name__)

# Reply codes the platforms document as "slow down", not "no".
RATE_LIMITED = {
    "wecom": {45009, -1},  # api freq out of limit; -1 system busy
    "dingtalk": {130101, 410100, -1},  # send too fast (20 a minute); -1 system busy
    "feishu": {9499, 11232},  # too many requests; frequency limited
}


class TemporaryFailure(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(Exception):
    pass


class UncertainDelivery(Exception):
    pass


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The `sign` query value, already URL-encoded as DingTalk's own sample does."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes


def signed_request(channel: str, webhook: str, payload: dict[str, Any], secret: str | None, now: float) -> Request:
    """The URL and body to post; signed when a secret is set. `now` is the wall clock (signatures expire)."""
    if channel == "dingtalk" and secret:
        millis = int(now * 1000)
        joiner = "&" if urlsplit(webhook).query else "?"
        webhook = f"{webhook}{joiner}timestamp={millis}&sign={dingtalk_sign(secret, millis)}"
    elif channel == "feishu" and secret:
        seconds = int(now)
        payload = {"timestamp": str(seconds), "sign": feishu_sign(secret, seconds), **payload}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Request(webhook, body)


def where(url: str) -> str:
    """The host and path of a webhook, for messages: never its query, which holds the bot's key."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def post(channel: str, request: Request, timeout: float, on_handover: Callable[[], None]) -> str:
    """One POST; the platform's own text on success. Raises TemporaryFailure, PermanentFailure or UncertainDelivery.

    `on_handover` runs once the connection is up, just before the request goes out.
    """
    parts = urlsplit(request.url)
    target = where(request.url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        try:
            connection.connect()
        except ssl.SSLCertVerificationError as exc:
            raise PermanentFailure(f"the TLS certificate of {target} is not trusted: {exc}") from exc
        except OSError as exc:
            raise TemporaryFailure(f"cannot connect to {target}: {exc}") from exc
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        on_handover()
        try:
            connection.request("POST", path, body=request.body,
                               headers={"Content-Type": "application/json; charset=utf-8"})
        except OSError as exc:  # the body did not get through whole: the bot cannot have read it
            raise TemporaryFailure(f"{target}: request cut off: {exc}") from exc
        try:
            response = connection.getresponse()
            status, reply = response.status, response.read(65536)
            retry_after = response.getheader("Retry-After")
        except (OSError, http.client.HTTPException) as exc:
            raise UncertainDelivery(f"{target}: no reply after the message went out ({type(exc).__name__}: {exc})") \
                from exc
    finally:
        connection.close()
    return _verdict(channel, target, status, reply, retry_after)


def _verdict(channel: str, target: str, status: int, reply: bytes, retry_after: str | None) -> str:
    text = reply.decode("utf-8", "replace").strip()
    if status == 429 or status >= 500:
        raise TemporaryFailure(f"{target}: HTTP {status} {text[:200]}", _seconds(retry_after))
    if status != 200:
        raise PermanentFailure(f"{target}: HTTP {status} {text[:200]}")
    try:
        answer = json.loads(text)
    except json.JSONDecodeError:
        raise PermanentFailure(f"{target}: HTTP 200 but not the bot's JSON reply: {text[:200]!r}") from None
    if not isinstance(answer, dict):
        raise PermanentFailure(f"{target}: unexpected reply {text[:200]!r}")
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    message = answer.get("errmsg", answer.get("msg", answer.get("StatusMessage", "")))
    if code == 0:
        return str(message or "ok")
    if code in RATE_LIMITED[channel]:
        raise TemporaryFailure(f"{target}: {channel} code {code} {message}", _seconds(retry_after))
    raise PermanentFailure(f"{target}: {channel} code {code} {message}")


def _seconds(header: str | None) -> float | None:
    try:
        return min(float(header), 60.0) if header else None
    except ValueError:
        return None


def post_with_retries(
    channel: str,
    build_request: Callable[[], Request],
    timeout: float,
    attempts: int,
    backoff: float,
    on_handover: Callable[[], None],
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Post, retrying what is temporary; a fresh request (and signature) for each try."""
    for attempt in range(1, attempts + 1):
        try:
            return post(channel, build_request(), timeout, on_handover)
        except TemporaryFailure as exc:
            if attempt == attempts:
                raise TemporaryFailure(f"gave up after {attempts} attempts: {exc}") from exc
            delay = exc.retry_after if exc.retry_after is not None else backoff * 2 ** (attempt - 1)
            log.warning("%s attempt %d: %s; retrying in %.1f s", channel, attempt, exc, delay)
            sleep(delay)
    raise AssertionError("unreachable")  # attempts >= 1
