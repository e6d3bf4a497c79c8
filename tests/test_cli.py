import json
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
    assert main(["daily", "--input", str(SEED), "--date", "2026-13-01"]) == 1
    assert "not a date" in capsys.readouterr().err
    assert main(["weekly", "--input", str(SEED), "--week", "2026-W60"]) == 1
    assert "no such ISO week" in capsys.readouterr().err


def test_usage_error_is_exit_code_2():
    assert run_module("daily", "--format", "pdf", "--input", str(SEED)).returncode == 2


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
