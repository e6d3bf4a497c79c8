"""`digest send` over TLS against a real local server: STARTTLS, implicit TLS and AUTH.

The server's certificate is a self-signed one for 127.0.0.1 in tests/data/tls (test use
only); the client trusts it through SSL_CERT_FILE, as a host would trust a company CA.
"""

import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from digest.cli import main

from conftest import SEED, ScriptedHandler, free_port

TLS = Path(__file__).parent / "data" / "tls"
CERT, KEY = TLS / "cert.pem", TLS / "key.pem"
SEND = ["send", "--input", str(SEED), "--date", "2026-01-19", "--now", "2026-01-20T07:00", "--to", "a@example.org"]
USER, PASSWORD = "digest", "s3cret"


class Logins:
    """An aiosmtpd authenticator with one account; records every attempt.

    The servers below offer AUTH only over TLS, so a recorded attempt is one that was encrypted.
    """

    def __init__(self):
        self.attempts = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.attempts.append((login, password))
        # handled=False: aiosmtpd answers a failure with its own 535 reply.
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


def server_context():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    return context


@pytest.fixture
def tls_server(request, monkeypatch, tmp_path):
    """A server on 127.0.0.1: mode "starttls" (STARTTLS and login required), "ssl" (implicit
    TLS, login required) or "plain" (no TLS offered); and the client's environment."""
    mode = request.param
    handler, logins = ScriptedHandler(), Logins()
    # AUTH only after STARTTLS (538 before it); aiosmtpd does not count implicit TLS as TLS there,
    # but that connection is encrypted from its first byte.
    options = {"authenticator": logins, "auth_require_tls": mode != "ssl"}
    if mode == "starttls":
        options.update(tls_context=server_context(), require_starttls=True)
    elif mode == "ssl":
        options.update(ssl_context=server_context())
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    handler.logins = logins
    environment = {"DIGEST_SMTP_HOST": "127.0.0.1", "DIGEST_SMTP_PORT": str(controller.port),
                   "DIGEST_SMTP_SECURITY": "ssl" if mode == "ssl" else "starttls",
                   "DIGEST_SMTP_USER": USER, "DIGEST_SMTP_PASSWORD": PASSWORD,
                   "DIGEST_SMTP_FROM": "政务简报 <digest@news.example.org>", "DIGEST_STATE_DIR": str(tmp_path / "state"),
                   "DIGEST_SMTP_BACKOFF": "0", "DIGEST_SMTP_TIMEOUT": "5"}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT))
    try:
        yield handler
    finally:
        controller.stop()


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_starttls_then_login_then_the_message(tls_server):
    assert main(SEND) == 0
    assert [e.rcpt_tos for e in tls_server.messages] == [["a@example.org"]]
    assert tls_server.logins.attempts == [(USER, PASSWORD)]


@pytest.mark.parametrize("tls_server", ["ssl"], indirect=True)
def test_implicit_tls(tls_server):
    assert main(SEND) == 0
    assert len(tls_server.messages) == 1
    assert tls_server.logins.attempts == [(USER, PASSWORD)]


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_a_wrong_password_is_permanent_and_not_retried(tls_server, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "wrong")
    assert main(SEND) == 1
    err = capsys.readouterr().err
    assert "AUTH: 535" in err and "retrying" not in err
    # One session: smtplib tries each mechanism the server offers (PLAIN, then LOGIN) once.
    assert len(tls_server.logins.attempts) == 2 and not tls_server.messages


@pytest.mark.parametrize("tls_server", ["starttls", "ssl"], indirect=True)
def test_an_untrusted_certificate_stops_the_send_before_the_password(tls_server, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))  # trust nothing
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert main(SEND) == 1
    err = capsys.readouterr().err
    assert "is not trusted" in err and "certificate verify failed" in err
    assert err.count("is not trusted") == 1  # not retried
    assert not tls_server.logins.attempts and not tls_server.messages


@pytest.mark.parametrize("tls_server", ["plain"], indirect=True)
def test_starttls_asked_but_not_offered_sends_nothing_in_clear(tls_server, capsys):
    assert main(SEND) == 1
    assert "does not support" in capsys.readouterr().err
    assert not tls_server.logins.attempts and not tls_server.messages


def test_a_password_smtplib_cannot_send_is_a_config_error(monkeypatch, capsys):
    # smtplib would raise UnicodeEncodeError mid-session: said before anything connects instead.
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "口令s3cret")
    assert main(SEND) == 1
    err = capsys.readouterr().err
    assert "smtp.password" in err and "must be ASCII" in err
    assert "s3cret" not in err  # a secret is never echoed


def test_a_password_smtplib_cannot_send_does_not_stop_a_briefing_that_sends_nothing(monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "口令s3cret")
    assert main(["daily", "--input", str(SEED), "--date", "2026-01-14", "--format", "json"]) == 0
    assert "s3cret" not in capsys.readouterr().err
