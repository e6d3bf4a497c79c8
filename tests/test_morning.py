import email
from email import policy

from digest.cli import main

from conftest import SEED, git


def test_morning_job_twice_gives_one_email_and_one_commit(smtp_env, wiki, tmp_path, capsys):
    config = tmp_path / "digest.toml"
    config.write_text(
        f'input = ["{SEED}"]\n[email]\nto = ["staff@example.org"]\n[wiki]\npath = "{wiki}"\n', encoding="utf-8")
    morning = ["run-morning", "--config", str(config), "--now", "2026-01-20T07:00", "-v"]
    assert main(morning) == 0
    assert main(morning) == 0
    assert len(smtp_env.messages) == 1
    message = email.message_from_bytes(smtp_env.messages[0].original_content, policy=policy.default)
    assert message["Subject"].startswith("天津政务网 · 每日简报｜2026-01-19｜")  # yesterday, seen from 07:00 on the 20th
    assert int(git(wiki, "rev-list", "--count", "HEAD")) == 2
    captured = capsys.readouterr()
    log = captured.err
    # Without -v too, each run says in one line per delivery what it did.
    assert "digest: daily-2026-01-19: published daily/2026/01/2026-01-19.md" in captured.out
    assert "digest: daily-2026-01-19: daily/2026/01/2026-01-19.md unchanged, no commit" in captured.out
    assert "digest: daily-2026-01-19: email 1 sent" in captured.out
    assert "digest: daily-2026-01-19: email 0 sent, 1 already sent earlier" in captured.out
    for stage in ("ingest:", "clean + classify:", "rank + group:", "summarise:"):
        assert stage in log


def test_a_failed_push_does_not_hold_back_the_email(smtp_env, wiki, tmp_path):
    git(wiki, "remote", "add", "origin", str(tmp_path / "missing.git"))
    code = main(["run-morning", "--input", str(SEED), "--date", "2026-01-19", "--wiki", str(wiki), "--push",
                 "--to", "staff@example.org"])
    assert code == 3
    assert len(smtp_env.messages) == 1
    assert int(git(wiki, "rev-list", "--count", "HEAD")) == 2


def test_morning_says_which_delivery_it_skipped(smtp_env, capsys):
    assert main(["run-morning", "--input", str(SEED), "--date", "2026-01-19", "--to", "staff@example.org"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["digest: daily-2026-01-19: not published (no wiki.path)", "digest: daily-2026-01-19: email 1 sent"]


def test_morning_without_deliveries_is_a_config_error(capsys):
    assert main(["run-morning", "--input", str(SEED)]) == 1
    assert "nothing to deliver" in capsys.readouterr().err


def test_one_delivery_failing_hard_while_the_other_works_is_partial(smtp_env, tmp_path, capsys):
    not_a_repo = tmp_path / "plain-folder"
    not_a_repo.mkdir()
    code = main(["run-morning", "--input", str(SEED), "--date", "2026-01-19", "--wiki", str(not_a_repo),
                 "--to", "staff@example.org"])
    assert code == 3
    assert len(smtp_env.messages) == 1
    assert "1 of 2 deliveries done" in capsys.readouterr().err


def test_weekly_morning_job_takes_last_iso_week(smtp_env, wiki):
    # Monday 2026-01-19, 07:00 in Shanghai: last week is 2026-W03.
    code = main(["run-morning", "--weekly", "--input", str(SEED), "--wiki", str(wiki), "--to", "s@example.org",
                 "--now", "2026-01-18T23:00:00+00:00"])
    assert code == 0
    assert (wiki / "weekly" / "2026-W03.md").exists()
    message = email.message_from_bytes(smtp_env.messages[0].original_content, policy=policy.default)
    assert "｜2026-W03｜" in message["Subject"]


def test_now_with_an_offset_is_read_in_shanghai(smtp_env):
    # 20:00 UTC on the 19th is 04:00 on the 20th in Shanghai: yesterday is the 19th.
    assert main(["run-morning", "--input", str(SEED), "--to", "s@example.org",
                 "--now", "2026-01-19T20:00:00+00:00"]) == 0
    message = email.message_from_bytes(smtp_env.messages[0].original_content, policy=policy.default)
    assert "｜2026-01-19" in message["Subject"]
