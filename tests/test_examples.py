"""The shipped deployment examples stay valid as the config grows."""

from digest.config import load_config

from conftest import ROOT


def test_example_config_loads_and_names_every_section():
    config = load_config(ROOT / "examples" / "deploy" / "digest.toml", environ={})
    assert config.smtp.security == "starttls" and config.smtp.resolved_port == 587
    assert config.email.to == ("staff@example.org", "analysts@example.org")
    assert config.wiki.push is True


def test_units_run_the_morning_job():
    service = (ROOT / "examples" / "deploy" / "digest-morning.service").read_text(encoding="utf-8")
    timer = (ROOT / "examples" / "deploy" / "digest-morning.timer").read_text(encoding="utf-8")
    cron = (ROOT / "examples" / "deploy" / "crontab").read_text(encoding="utf-8")
    assert "ExecStart=/opt/digest/.venv/bin/digest run-morning" in service
    assert "OnCalendar=" in timer
    assert "digest run-morning" in cron


def test_the_readme_quick_start_runs_as_written(tmp_path, monkeypatch, capsysbinary):
    """Each line of the README's quick start, as a new user types it, from a fresh folder with a fresh home."""
    import os
    import re
    import shlex
    import subprocess

    from digest.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n.*?```.*?```sh\n(.*?)```", readme, re.DOTALL)[1]
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) >= 10 and all(c.startswith(("digest", "git ")) for c in commands)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    for command in commands:
        words = [os.path.expanduser(word) for word in shlex.split(command)]
        if words[0] == "git":
            subprocess.run(words, check=True)
            continue
        redirect = words[words.index(">") + 1] if ">" in words else None
        argv = words[1 : words.index(">")] if redirect else words[1:]
        assert main(argv) == 0, (command, capsysbinary.readouterr().err.decode())
        out = capsysbinary.readouterr().out
        if redirect:
            (tmp_path / redirect).write_bytes(out)
    assert (tmp_path / "today.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert b"Subject: " in (tmp_path / "week.eml").read_bytes() and (tmp_path / "today.eml").is_file()
    assert (tmp_path / "team-wiki" / "weekly" / "2026-W03.md").is_file()
    assert (tmp_path / "team-wiki" / "daily" / "2026" / "01" / "2026-01-19.md").is_file()
