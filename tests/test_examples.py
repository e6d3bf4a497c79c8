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
