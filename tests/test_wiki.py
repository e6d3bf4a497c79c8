import os
import subprocess

import pytest

from digest.cli import main
from digest.deliver.files import atomic_write, exclusive_lock

from conftest import SEED, git

PUBLISH = ["publish", "--input", str(SEED)]


def commits(root) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def test_publish_writes_page_index_and_one_commit(wiki):
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 0
    page = wiki / "daily" / "2026" / "01" / "2026-01-19.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\nkind: daily\ndate: 2026-01-19\n")
    assert "posts: 6\n" in text and "categories:\n  economy: 4\n" in text
    assert "source_hash: sha256:" in text and "# 天津政务网 · 每日简报" in text
    index = (wiki / "index.md").read_text(encoding="utf-8")
    assert "- [2026-01-19](daily/2026/01/2026-01-19.md)：6条" in index
    assert commits(wiki) == 2
    assert git(wiki, "log", "-1", "--format=%s") == "digest: daily briefing 2026-01-19 (6 posts)"
    assert git(wiki, "status", "--porcelain") == ""


def test_rerun_on_unchanged_input_changes_nothing(wiki):
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 0
    page = wiki / "daily" / "2026" / "01" / "2026-01-19.md"
    before = (git(wiki, "rev-parse", "HEAD"), page.stat().st_mtime_ns)
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 0
    assert (git(wiki, "rev-parse", "HEAD"), page.stat().st_mtime_ns) == before


def test_weekly_page_and_index_order(wiki):
    for args in (["--date", "2026-01-18"], ["--week", "2026-W03"], ["--date", "2026-01-19"]):
        assert main([*PUBLISH, *args, "--wiki", str(wiki)]) == 0
    assert (wiki / "weekly" / "2026-W03.md").read_text(encoding="utf-8").startswith("---\nkind: weekly\nweek: 2026-W03\n")
    index = (wiki / "index.md").read_text(encoding="utf-8").splitlines()
    assert index.index("- [2026-W03](weekly/2026-W03.md)：33条") < index.index("## 每日简报")
    assert index.index("- [2026-01-19](daily/2026/01/2026-01-19.md)：6条") < \
        index.index("- [2026-01-18](daily/2026/01/2026-01-18.md)：4条")
    assert commits(wiki) == 4


def test_layout_is_configurable_but_cannot_leave_the_wiki(wiki, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_WIKI_DAILY_PAGE", "briefings/{year}-{month}/{day}.md")
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 0
    assert (wiki / "briefings" / "2026-01" / "19.md").exists()
    for layout in ("../escaped/{date}.md", "/tmp/{date}.md", ".git/hooks/{date}.md"):
        monkeypatch.setenv("DIGEST_WIKI_DAILY_PAGE", layout)
        assert main([*PUBLISH, "--date", "2026-01-18", "--wiki", str(wiki)]) == 1
        assert "page path" in capsys.readouterr().err
    assert not (tmp_path / "escaped").exists()
    monkeypatch.setenv("DIGEST_WIKI_DAILY_PAGE", "{title}.md")
    assert main([*PUBLISH, "--date", "2026-01-18", "--wiki", str(wiki)]) == 1
    assert "unknown placeholder" in capsys.readouterr().err


def test_only_digest_pages_are_committed(wiki):
    (wiki / "notes.md").write_text("work in progress\n", encoding="utf-8")
    git(wiki, "add", "notes.md")
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 0
    assert "notes.md" not in git(wiki, "show", "--name-only", "--format=", "HEAD")
    assert git(wiki, "status", "--porcelain") == "A  notes.md"


def test_push_to_a_bare_remote(wiki, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    git(wiki, "remote", "add", "origin", str(remote))
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki), "--push"]) == 0
    assert git(remote, "rev-parse", "main") == git(wiki, "rev-parse", "HEAD")


def test_failed_push_keeps_the_local_commit(wiki, capsys):
    git(wiki, "remote", "add", "origin", str(wiki.parent / "no-such-remote.git"))
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki), "--push"]) == 3
    assert "push failed" in capsys.readouterr().err
    assert commits(wiki) == 2


def test_a_second_run_waits_for_the_lock_then_gives_up_cleanly(wiki, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_WIKI_LOCK_TIMEOUT", "0.3")
    with exclusive_lock(wiki / ".git" / "digest-publish.lock", 1, "test"):
        assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 75
    assert "another digest run" in capsys.readouterr().err
    assert commits(wiki) == 1 and not (wiki / "daily").exists()
    assert not (wiki / ".git" / "index.lock").exists()
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 0


def test_interrupted_write_leaves_the_old_page(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text("old\n", encoding="utf-8")

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(page, b"new\n")
    assert page.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temp file left behind


def test_not_a_repository(tmp_path, capsys):
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(tmp_path)]) == 1
    assert "not a git repository" in capsys.readouterr().err


def test_day_without_posts_publishes_nothing(wiki):
    assert main([*PUBLISH, "--date", "2026-01-21", "--wiki", str(wiki)]) == 0
    assert commits(wiki) == 1


def test_a_hand_written_index_is_never_overwritten(wiki, capsys):
    (wiki / "index.md").write_text("# Our own index\n", encoding="utf-8")
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki)]) == 1
    assert "not written by digest" in capsys.readouterr().err
    assert (wiki / "index.md").read_text(encoding="utf-8") == "# Our own index\n"
    assert git(wiki, "status", "--porcelain") == "?? index.md"  # no page left behind


def test_wiki_can_be_a_folder_inside_a_repository(wiki):
    (wiki / "docs" / "briefings").mkdir(parents=True)
    assert main([*PUBLISH, "--date", "2026-01-19", "--wiki", str(wiki / "docs" / "briefings")]) == 0
    committed = git(wiki, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert committed == ["docs/briefings/daily/2026/01/2026-01-19.md", "docs/briefings/index.md"]


def test_account_names_cannot_forge_front_matter(wiki, tmp_path):
    from conftest import make_record, write_export

    export = write_export(tmp_path / "x.json", [make_record(
        aid="1_1", time="2026-01-05", account="号\u2028week: 2099-W01\u0085kind: weekly")])
    assert main(["publish", "--input", str(export), "--wiki", str(wiki)]) == 0
    page = (wiki / "daily" / "2026" / "01" / "2026-01-05.md").read_text(encoding="utf-8")
    front = page.split("---")[1]
    assert "\u2028" not in front and "\x85" not in front
    assert "2099" not in (wiki / "index.md").read_text(encoding="utf-8")


def test_two_publishers_at_once_both_commit_in_turn(wiki):
    import os
    import sys

    # The lock is under test, not the model: three model loads would only make the race slower.
    environment = {**os.environ, "DIGEST_SUMMARY_BACKEND": "extractive"}
    runs = [subprocess.Popen([sys.executable, "-m", "digest", *PUBLISH, "--date", day, "--wiki", str(wiki)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
            for day in ("2026-01-18", "2026-01-19", "2026-01-17")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]
    assert commits(wiki) == 4
    assert git(wiki, "status", "--porcelain") == ""
    assert not (wiki / ".git" / "index.lock").exists()
    index = (wiki / "index.md").read_text(encoding="utf-8")
    assert all(f"[2026-01-{d}]" in index for d in ("17", "18", "19"))


def test_front_matter_is_readable_utf8_yaml_and_pages_are_world_readable(wiki, tmp_path):
    yaml = pytest.importorskip("yaml")
    from conftest import make_record, write_export

    account = '政务"号\\ \u2028x: 1'
    export = write_export(tmp_path / "x.json", [make_record(aid="1_1", time="2026-01-05", account=account)])
    assert main(["publish", "--input", str(export), "--wiki", str(wiki)]) == 0
    page = wiki / "daily" / "2026" / "01" / "2026-01-05.md"
    text = page.read_text(encoding="utf-8")
    assert 'title: "政务\\"号\\\\ x: 1 · 每日简报"' in text  # Chinese as itself, not \u escapes
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["title"] == "政务\"号\\ x: 1 · 每日简报" and meta["kind"] == "daily"
    from digest.deliver.wiki import yaml_string

    for hostile in ("a\u2028b: 1", "a\x85b", "\ufeffbom", "tab\there", "\x00\x7f", 'q"\\'):
        assert yaml.safe_load(f"title: {yaml_string(hostile)}") == {"title": hostile}
    assert page.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert (wiki / "index.md").stat().st_mode & 0o044 == 0o044 & ~_umask()


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
