"""How much of each sample briefing each group bot's message shows within its size limit (prints figures).

    .venv/bin/python bench/push_sizes.py [--base-url https://news.example.org]

For every day and week of the sample export and every channel: the stories
shown of the briefing's stories, `+s` where their summaries are shown too, and the bytes
against the platform's limit (WeCom: the markdown content; DingTalk and
Feishu: the request body, Feishu's with room for its signature).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest.config import Config  # noqa: E402
from digest.commands.site import every_briefing  # noqa: E402
from digest.deliver.channels import CHANNELS, build_message  # noqa: E402
from digest.deliver.channels.formats import (  # noqa: E402
    DINGTALK_BODY_BYTES, FEISHU_BODY_BYTES, SIGNATURE_ROOM, WECOM_CONTENT_BYTES)
from digest.render.site import SiteOptions, page_url  # noqa: E402


def size(channel: str, message) -> tuple[int, int]:
    if channel == "wecom":
        return len(message.payload["markdown"]["content"].encode("utf-8")), WECOM_CONTENT_BYTES
    if channel == "dingtalk":
        return len(message.body), DINGTALK_BODY_BYTES
    return len(message.body) + SIGNATURE_ROOM, FEISHU_BODY_BYTES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default=str(ROOT / "examples" / "tianjin-zwb-2026-01.json"))
    parser.add_argument("--base-url", help="site.base_url, so messages link to the page")
    args = parser.parse_args()
    site = SiteOptions(base_url=args.base_url)
    print(f"{'briefing':<20}" + "".join(f"{c:>26}" for c in CHANNELS))
    whole = {c: 0 for c in CHANNELS}
    briefings = every_briefing([args.input], Config())
    for briefing in briefings:
        cells = []
        for channel in CHANNELS:
            message = build_message(channel, briefing, page_url(briefing, site))
            used, limit = size(channel, message)
            whole[channel] += message.shown == message.total and message.summaries
            mark = "+s" if message.summaries else "  "
            cells.append(f"{message.shown:>3}/{message.total:<3}{mark} {used:>6}/{limit} B")
        print(f"{briefing.id:<20}" + "".join(f"{cell:>26}" for cell in cells))
    print("whole briefings (every story with its summary): " + ", ".join(f"{c} {whole[c]}/{len(briefings)}" for c in CHANNELS))


if __name__ == "__main__":
    main()
