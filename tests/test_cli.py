import json
import re
import subprocess
import sys

import pytest

from digest.cli import main

from conftest import ROOT, SEED, make_record, write_export


def run_module(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "digest", *args], capture_output=True, cwd=ROOT, **kwargs)


@pytest.mark.shipped_model  # in a fresh process nothing hides the model: both runs use it
def test_python_dash_m_works_like_the_script(tmp_path):
    result = run_module("daily", "--input", str(SEED), "--date", "2026-01-18", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["date"] == "2026-01-18"
    output = tmp_path / "b.json"
    assert main(["daily", "--input", str(SEED), "--date", "2026-01-18", "--format", "json", "-o", str(output)]) == 0
    assert output.read_bytes() == result.stdout


@pytest.mark.parametrize("command, options", [
    ([], ["daily", "weekly", "config"]),
    (["daily"], ["--input", "--date", "--format", "--output", "--config", "--templates", "--lexicon",
                 "--summarizer", "--now", "--verbose"]),
    (["weekly"], ["--input", "--week", "--format"]),
])
def test_help_explains_every_option(command, options):
    result = run_module(*command, "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    for option in options:
        assert option in text


def test_errors_are_one_line_with_exit_code_1(tmp_path, capsys):
    assert main(["daily", "--input", str(tmp_path / "missing.json")]) == 1
    assert capsys.readouterr().err.strip() == f"digest: error: input not found: {tmp_path / 'missing.json'}"


def test_usage_error_is_exit_code_2():
    assert run_module("daily", "--format", "pdf", "--input", str(SEED)).returncode == 2


@pytest.mark.parametrize("args, message", [
    (["daily", "--date", "2026-13-45"], "--date: not a date"),
    (["weekly", "--week", "2026-03"], "--week: not an ISO week"),
    (["weekly", "--week", "2026-W60"], "no such ISO week"),
    (["daily", "--summarizer", "nope"], "--summarizer: unknown backend 'nope' (available: auto, extractive"),
    (["daily", "--templates", "/nonexistent"], "--templates: no such folder: /nonexistent"),
    (["daily", "--now", "yesterday"], "--now: not an ISO date-time"),
    (["daily", "-o", "{missing}/out.html"], "the folder {missing} does not exist"),
    (["daily", "-o", "{tmp}"], "is a folder"),
    (["send", "--to", "not an address"], "--to: not an email address: 'not an address'"),
    (["send", "--to", "a@example.org,b@x.org>"], "--to: not an email address: 'b@x.org>'"),
    (["send", "--to", " , "], "--to: no address given"),
])
def test_usage_errors_exit_2_with_one_line_before_any_work(tmp_path, capsys, args, message):
    args = [a.format(missing=tmp_path / "missing", tmp=tmp_path) for a in args]
    assert main([*args, "--input", str(SEED)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digest: error: ") and err.count("\n") == 1
    assert message.format(missing=tmp_path / "missing", tmp=tmp_path) in err
    assert not (tmp_path / "missing").exists()


def test_an_unwritable_output_is_an_error_not_a_traceback(tmp_path, capsys):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "out.md").mkdir()  # a folder where the file should go, made after the checks
    from digest import cli

    with pytest.raises(Exception) as raised:
        cli.write_output(b"x", str(tmp_path / "ro" / "out.md"))
    assert "cannot write" in str(raised.value) and raised.value.exit_code == 1


def test_digest_alone_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: digest") and "run-morning" in out and "exit codes" in out


def test_verbose_lines_carry_a_timestamp(capsys):
    assert main(["daily", "--input", str(SEED), "--date", "2026-01-14", "--format", "json", "-v"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d digest: ", line) for line in lines), lines


def test_malformed_export_is_reported_and_the_rest_delivered(tmp_path, capsys):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    write_export(tmp_path / "ok.json", [make_record(aid="1_1", time="2026-01-05")])
    assert main(["daily", "--input", str(tmp_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [i["aid"] for s in data["sections"] for i in s["items"]] == ["1_1"]
    assert data["skipped"][0]["file"].endswith("broken.json")
    assert "skipped" in captured.err and "broken.json" in captured.err


def test_now_pins_the_email_date(capsys):
    assert main(["daily", "--input", str(SEED), "--format", "email", "--now", "2026-01-19T07:30"]) == 0
    assert "Date: Mon, 19 Jan 2026 07:30:00 +0800" in capsys.readouterr().out


def test_config_command_lists_keys(capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "summary.max_chars = 150  (default, $DIGEST_SUMMARY_MAX_CHARS)" in out


def test_details_and_web_url_flags_reach_the_output(tmp_path, capsys):
    base = ["daily", "--input", str(SEED), "--date", "2026-01-14"]
    assert main([*base, "--format", "html"]) == 0
    assert "依据" not in capsys.readouterr().out
    assert main([*base, "--format", "html", "--details"]) == 0
    assert "依据" in capsys.readouterr().out
    assert main([*base, "--format", "email", "--web-url", "https://n.example.org/{id}.html"]) == 0
    assert "https://n.example.org/daily-2026-01-14.html" in email_text(capsys.readouterr().out)
    assert main([*base, "--web-url", "ftp://x/{nope}"]) == 2


def email_text(raw: str) -> str:
    import email
    from email import policy

    return email.message_from_string(raw, policy=policy.default).get_body(("plain",)).get_content()
