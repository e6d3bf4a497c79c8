import datetime as dt
import json
from pathlib import Path

import pytest

from digest.clock import TIMEZONE, fixed_clock

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tianjin-zwb-2026-01.json"
GOLDEN = Path(__file__).parent / "golden"
FIXED_NOW = dt.datetime(2026, 1, 21, 7, 0, tzinfo=TIMEZONE)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (review the diff!)")


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch):
    """No developer's DIGEST_* settings may leak into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("DIGEST_"):
            monkeypatch.delenv(name)


def pytest_configure(config):
    config.addinivalue_line("markers", "shipped_model: the test uses the model in models/ (others never see it)")


@pytest.fixture(autouse=True)
def without_shipped_model(request, monkeypatch, tmp_path_factory):
    """Tests run the `auto` summariser as on a machine without the model, unless marked `shipped_model`.

    Loading and running the model in every pipeline test would make them slow
    and their golden files hostage to its weights; the model's own tests opt in.
    """
    if request.node.get_closest_marker("shipped_model"):
        return
    from digest.summarize import seq2seq_options

    monkeypatch.setattr(seq2seq_options, "DEFAULT_MODEL_DIR", tmp_path_factory.getbasetemp() / "no-shipped-model")


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_records() -> list[dict]:
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture
def clock():
    return fixed_clock(FIXED_NOW)


@pytest.fixture
def golden(request):
    """golden(name, data): compare with tests/golden/name, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, data: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.write_bytes(data)
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        assert data == path.read_bytes(), f"{name} differs from its golden file (pytest --update-golden to accept)"

    return check


def write_export(path: Path, records) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def make_record(aid="9000000001_1", title="市政府召开常务会议", content="1月5日，市政府召开常务会议。会议审议有关事项。",
                time="2026-01-05", url="https://mp.weixin.qq.com/s?mid=9000000001&idx=1", account="测试公众号"):
    return {"文章标识符aid": aid, "标题title": title, "链接url": url, "时间time": time,
            "公众号名称": account, "finalContent": content}


# --- delivery fixtures: a real SMTP server on 127.0.0.1 and real git repositories ---

import asyncio
import socket
import subprocess

from aiosmtpd.controller import Controller


class ScriptedHandler:
    """Records accepted messages; `script` holds one action per DATA: a reply, or "stall"."""

    def __init__(self):
        self.messages = []
        self.script = []
        self.data_calls = 0
        self.stall_seconds = 3.0

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        action = self.script.pop(0) if self.script else None
        if action == "stall":
            await asyncio.sleep(self.stall_seconds)
            self.messages.append(envelope)  # the server did queue it; the client never heard
            return "250 OK"
        if action:
            return action
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = ScriptedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_env(monkeypatch, smtp_server, tmp_path):
    """The environment a cron job would have: SMTP settings and a private state directory."""
    monkeypatch.setenv("DIGEST_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DIGEST_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("DIGEST_SMTP_FROM", "政务简报 <digest@news.example.org>")
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("DIGEST_SMTP_BACKOFF", "0")
    monkeypatch.setenv("DIGEST_SMTP_TIMEOUT", "1")
    return smtp_server


def git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def wiki(tmp_path) -> Path:
    root = tmp_path / "wiki"
    root.mkdir()
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Wiki Owner")
    git(root, "config", "user.email", "owner@example.org")
    (root / "README.md").write_text("# Team wiki\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "--quiet", "-m", "start")
    return root
