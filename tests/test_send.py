import email
import sqlite3
from email import policy

import pytest

from digest.cli import main
from digest.deliver.ledger import Ledger

from conftest import SEED, make_record, write_export

SEND = ["send", "--input", str(SEED), "--date", "2026-01-19", "--now", "2026-01-20T07:00"]
SEND_ID = "daily-2026-01-19"


def received(handler, index=0):
    envelope = handler.messages[index]
    return envelope, email.message_from_bytes(envelope.original_content, policy=policy.default)


def test_sends_a_real_multipart_message(smtp_env, monkeypatch):
    monkeypatch.setenv("DIGEST_EMAIL_UNSUBSCRIBE_URL", "https://news.example.org/unsubscribe?u=1")
    assert main([*SEND, "--to", "a@example.org,b@example.org"]) == 0
    envelope, message = received(smtp_env)
    assert envelope.mail_from == "digest@news.example.org"
    assert envelope.rcpt_tos == ["a@example.org", "b@example.org"]
    assert message["To"] == "undisclosed-recipients:;" and message["Bcc"] is None
    assert message["Subject"].startswith("天津政务网 · 每日简报｜2026-01-19｜6项：经天津海关")
    assert message["Date"] == "Tue, 20 Jan 2026 07:00:00 +0800"
    assert message["Message-ID"].endswith("@news.example.org>")
    assert message["List-Unsubscribe"] == "<https://news.example.org/unsubscribe?u=1>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    plain, html = message.iter_parts()
    assert "46个优质项目落地" in plain.get_content()
    assert "<table" in html.get_content()
    assert len(envelope.original_content) < 100_000
    raw_subject = envelope.original_content.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in raw_subject  # RFC 2047 encoded Chinese subject


def test_running_twice_sends_once_and_force_resends(smtp_env, capsys):
    assert main([*SEND, "--to", "a@example.org", "-v"]) == 0
    assert main([*SEND, "--to", "a@example.org", "-v"]) == 0
    assert len(smtp_env.messages) == 1
    assert "1 already sent earlier" in capsys.readouterr().err
    assert main([*SEND, "--to", "a@example.org", "--force"]) == 0
    assert len(smtp_env.messages) == 2


def test_new_recipient_gets_it_others_do_not(smtp_env):
    assert main([*SEND, "--to", "a@example.org"]) == 0
    assert main([*SEND, "--to", "a@example.org,new@example.org"]) == 0
    assert [m.rcpt_tos for m in smtp_env.messages] == [["a@example.org"], ["new@example.org"]]


def test_temporary_failure_is_retried(smtp_env, tmp_path):
    smtp_env.script = ["451 4.3.0 try again later"]
    assert main([*SEND, "--to", "a@example.org"]) == 0
    assert smtp_env.data_calls == 2 and len(smtp_env.messages) == 1
    with Ledger(tmp_path / "state" / "ledger.sqlite3") as ledger:
        assert [row[2] for row in ledger.rows()] == ["sent"]


def test_temporary_failures_are_bounded(smtp_env, capsys):
    smtp_env.script = ["451 busy"] * 5
    assert main([*SEND, "--to", "a@example.org"]) == 1
    assert smtp_env.data_calls == 3  # smtp.attempts
    assert "gave up after 3 attempts" in capsys.readouterr().err


def test_permanent_failure_is_not_retried_and_reports_the_server(smtp_env, capsys):
    smtp_env.script = ["554 5.7.1 message rejected as spam"]
    assert main([*SEND, "--to", "a@example.org"]) == 1
    assert smtp_env.data_calls == 1
    assert "554 5.7.1 message rejected as spam" in capsys.readouterr().err


def test_no_reply_after_the_final_dot_is_not_resent(smtp_env, capsys, tmp_path):
    smtp_env.script = ["stall"]
    assert main([*SEND, "--to", "a@example.org"]) == 3
    assert "uncertain" in capsys.readouterr().err
    assert smtp_env.data_calls == 1
    # The next morning's run reports instead of sending a second copy.
    assert main([*SEND, "--to", "a@example.org"]) == 3
    assert smtp_env.data_calls == 1
    with Ledger(tmp_path / "state" / "ledger.sqlite3") as ledger:
        assert [row[2] for row in ledger.rows()] == ["sending"]


def test_crash_between_sending_and_sent_is_reported(smtp_env, tmp_path, capsys):
    assert main([*SEND, "--to", "a@example.org"]) == 0
    database = sqlite3.connect(tmp_path / "state" / "ledger.sqlite3")
    database.execute("UPDATE sends SET status = 'sending'")  # as if killed after DATA
    database.commit()
    assert main([*SEND, "--to", "a@example.org"]) == 3
    assert len(smtp_env.messages) == 1
    assert "--force to resend" in capsys.readouterr().err


def test_refused_recipient_is_reported_the_rest_delivered(smtp_env, monkeypatch):
    async def handle_RCPT(server, session, envelope, address, options):
        if address.startswith("nobody"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    monkeypatch.setattr(type(smtp_env), "handle_RCPT", staticmethod(handle_RCPT), raising=False)
    assert main([*SEND, "--to", "a@example.org,nobody@example.org"]) == 3
    assert smtp_env.messages[0].rcpt_tos == ["a@example.org"]


def test_unreachable_server_is_an_error(monkeypatch, tmp_path, capsys):
    from conftest import free_port

    monkeypatch.setenv("DIGEST_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DIGEST_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("DIGEST_SMTP_BACKOFF", "0")
    assert main([*SEND, "--to", "a@example.org"]) == 1
    assert "cannot connect" in capsys.readouterr().err


def test_dry_run_writes_the_message_and_sends_nothing(smtp_env, tmp_path, capsys):
    target = tmp_path / "out.eml"
    assert main([*SEND, "--to", "a@example.org", "--dry-run", str(target)]) == 0
    assert smtp_env.messages == []
    assert capsys.readouterr().out == (f"digest: {SEND_ID}: dry run, message for 1 recipient(s) written to {target}; "
                                       "nothing sent\n")
    assert email.message_from_bytes(target.read_bytes())["To"] == "a@example.org"


@pytest.mark.parametrize("empty_day, expected", [("skip", 0), ("note", 1)])
def test_day_without_posts(smtp_env, monkeypatch, empty_day, expected):
    monkeypatch.setenv("DIGEST_EMAIL_EMPTY_DAY", empty_day)
    assert main(["send", "--input", str(SEED), "--date", "2026-01-21", "--to", "a@example.org"]) == 0
    assert len(smtp_env.messages) == expected
    if expected:
        _, message = received(smtp_env)
        assert "1月21日（星期三）无新发布" in message.get_body(("plain",)).get_content()


def test_article_text_cannot_reach_headers(smtp_env, tmp_path):
    export = write_export(tmp_path / "x.json", [make_record(
        aid="1_1", time="2026-01-05", account="坏账号\r\nBcc: victim@example.org\u2028X-Evil: 1")])
    assert main(["send", "--input", str(export), "--to", "a@example.org"]) == 0
    envelope, message = received(smtp_env)
    assert envelope.rcpt_tos == ["a@example.org"]
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert "\n" not in message["Subject"] and "\u2028" not in message["Subject"]


def test_no_password_flag():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "digest", "send", "--help"], capture_output=True, text=True)
    assert "--password" not in result.stdout and "DIGEST_SMTP" in result.stdout


def test_one_deferred_recipient_does_not_hold_back_the_others(smtp_env, monkeypatch):
    calls = {"full": 0}

    async def handle_RCPT(server, session, envelope, address, options):
        if address.startswith("full") and calls["full"] < 1:
            calls["full"] += 1
            return "452 4.2.2 mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    monkeypatch.setattr(type(smtp_env), "handle_RCPT", staticmethod(handle_RCPT), raising=False)
    assert main([*SEND, "--to", "ok@example.org,full@example.org"]) == 0
    assert [m.rcpt_tos for m in smtp_env.messages] == [["ok@example.org"], ["full@example.org"]]


def test_a_recipient_deferred_to_the_end_is_reported(smtp_env, monkeypatch, capsys):
    async def handle_RCPT(server, session, envelope, address, options):
        if address.startswith("full"):
            return "452 4.2.2 mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    monkeypatch.setattr(type(smtp_env), "handle_RCPT", staticmethod(handle_RCPT), raising=False)
    assert main([*SEND, "--to", "ok@example.org,full@example.org"]) == 3
    assert [m.rcpt_tos for m in smtp_env.messages] == [["ok@example.org"]]
    assert "1 sent, refused: full@example.org (gave up: every recipient was deferred: full@example.org 452" in \
        capsys.readouterr().err


def test_a_run_that_never_reached_data_can_simply_run_again(monkeypatch, tmp_path, smtp_env):
    from conftest import free_port

    monkeypatch.setenv("DIGEST_SMTP_PORT", str(free_port()))  # nobody listens: nothing handed over
    assert main([*SEND, "--to", "a@example.org"]) == 1
    monkeypatch.setenv("DIGEST_SMTP_PORT", str(smtp_env.port))
    assert main([*SEND, "--to", "a@example.org"]) == 0
    assert len(smtp_env.messages) == 1


def test_addresses_differing_in_case_are_one_recipient(smtp_env):
    assert main([*SEND, "--to", "A@example.org,a@example.org"]) == 0
    assert smtp_env.messages[0].rcpt_tos == ["A@example.org"]


def test_a_changed_skip_report_does_not_resend(smtp_env, tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    write_export(exports / "seed.json", __import__("json").loads(SEED.read_text(encoding="utf-8")))
    args = ["send", "--input", str(exports), "--date", "2026-01-19", "--to", "a@example.org"]
    assert main(args) == 0
    (exports / "broken.json").write_text("[", encoding="utf-8")  # a new bad file: new skip report
    assert main(args) == 0
    assert len(smtp_env.messages) == 1
