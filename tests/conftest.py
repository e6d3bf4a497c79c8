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
