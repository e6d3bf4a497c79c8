"""Each platform's own message for a briefing, within its size limit (pure: no I/O).

- WeCom: `markdown`, whose content may be at most 4096 bytes of UTF-8.
- DingTalk: `actionCard` with a "查看全文" button when the briefing has a page,
  else `markdown`; the request body is kept under 20,000 bytes.
- Feishu: an `interactive` card; the request body must stay under 20 KB.

A briefing that does not fit is shortened a whole item at a time (first the
summaries go, then each category keeps its top stories), never cut inside an
item, and the message says how many items it left out and links to the full
page when there is one.

The bots' Markdown dialects do not honour backslash escapes alike, so article
text has its ASCII markup characters replaced by their full-width forms, which
read the same in Chinese text and can never become a link, emphasis, a heading
or an @-mention. Links are http(s) only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Callable

from ... import overview
from ...overview import chinese_date, chinese_day
from ...records import Briefing, Item
from ...render.environment import markdown_url, plain

WECOM_CONTENT_BYTES = 4096
DINGTALK_BODY_BYTES = 20_000
FEISHU_BODY_BYTES = 20_000
SIGNATURE_ROOM = 200  # bytes Feishu's timestamp and sign add to the body when it is posted

# (show summaries, stories per category), tried in turn until the message fits.
LISTINGS: tuple[tuple[bool, int | None], ...] = (
    (True, None), (True, 3), (False, None), (False, 5), (False, 3), (False, 2), (False, 1), (False, 0))

_FULL_WIDTH = str.maketrans({
    "[": "［", "]": "］", "(": "（", ")": "）", "*": "＊", "_": "＿", "`": "｀", "<": "＜", ">": "＞",
    "#": "＃", "~": "～", "|": "｜", "\\": "＼", "!": "！",
})


@dataclass(frozen=True)
class Message:
    channel: str
    payload: dict[str, Any]
    shown: int  # stories in the message
    total: int  # stories in the briefing
    summaries: bool = True  # whether the stories shown have their summaries

    @property
    def body(self) -> bytes:
        return body_bytes(self.payload)


def body_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def bot_text(value: Any) -> str:
    """One line of article text that no bot's Markdown can misread."""
    return plain(value).translate(_FULL_WIDTH).strip()


def bot_link(text: Any, url: Any) -> str:
    target = markdown_url(url)
    return f"[{bot_text(text)}]({target})" if target else bot_text(text)


def heading(briefing: Briefing) -> str:
    if briefing.span.is_daily:
        when = chinese_day(briefing.start)
    else:
        when = f"{briefing.period} · {chinese_date(briefing.start)}—{chinese_date(briefing.end)}"
    return plain(f"{briefing.title}｜{when}")


def section_blocks(briefing: Briefing, summaries: bool, limit: int | None, newline: str) -> tuple[list[str], int]:
    """One Markdown block per category that shows any story, and how many stories they show."""
    blocks, shown = [], 0
    for section in briefing.sections:
        items = section.items if limit is None else section.items[:limit]
        if not items:
            continue
        lines = [f"**{section.label}**（{len(section.items)}）"]
        lines += [_story(item, summaries, newline) for item in items]
        blocks.append(newline.join(lines))
        shown += len(items)
    return blocks, shown


def _story(item: Item, summaries: bool, newline: str) -> str:
    line = f"• {bot_link(item.headline, item.url)}"
    if summaries and item.summary:
        line += newline + bot_text(item.summary)
    return line


def left_out(hidden: int, page: str | None, with_link: bool = True) -> str:
    if not hidden:
        return f"[在浏览器中查看]({markdown_url(page)})" if page and with_link else ""
    if page and with_link:
        return f"另有{hidden}条未列出，[查看全文]({markdown_url(page)})"
    return f"另有{hidden}条未列出" + ("，见下方全文" if page else "，完整简报见邮件或存档")


def wecom(briefing: Briefing, page: str | None, summaries: bool, limit: int | None) -> Message:
    blocks, shown = section_blocks(briefing, summaries, limit, "\n")
    total = len(briefing.items)
    parts = [f"### {bot_text(heading(briefing))}", f"> {overview.counts_line(briefing.sections)}", *blocks, left_out(total - shown, page)]
    content = "\n\n".join(p for p in parts if p)
    return Message("wecom", {"msgtype": "markdown", "markdown": {"content": content}}, shown, total)


def dingtalk(briefing: Briefing, page: str | None, summaries: bool, limit: int | None) -> Message:
    # DingTalk's Markdown joins single line breaks: every line is its own paragraph.
    blocks, shown = section_blocks(briefing, summaries, limit, "\n\n")
    total = len(briefing.items)
    title = heading(briefing)
    # With a page, the card's own button links to it.
    parts = [f"### {bot_text(title)}", f"> {overview.counts_line(briefing.sections)}", *blocks,
             left_out(total - shown, page, False)]
    text = "\n\n".join(p for p in parts if p)
    if page:
        card = {"title": title, "text": text, "btnOrientation": "0", "singleTitle": "查看全文",
                "singleURL": markdown_url(page)}
        return Message("dingtalk", {"msgtype": "actionCard", "actionCard": card}, shown, total)
    return Message("dingtalk", {"msgtype": "markdown", "markdown": {"title": title, "text": text}}, shown, total)


def feishu(briefing: Briefing, page: str | None, summaries: bool, limit: int | None) -> Message:
    blocks, shown = section_blocks(briefing, summaries, limit, "\n")
    total = len(briefing.items)
    elements: list[dict[str, Any]] = [_lark_div(overview.counts_line(briefing.sections))]
    elements += [_lark_div(block) for block in blocks]
    hidden = total - shown
    if hidden:
        elements.append({"tag": "note", "elements": [{"tag": "plain_text", "content": left_out(hidden, page, False)}]})
    if page:
        elements.append({"tag": "action", "actions": [{
            "tag": "button", "type": "primary", "text": {"tag": "plain_text", "content": "查看全文"},
            "url": str(markdown_url(page))}]})
    card = {
        "config": {"wide_screen_mode": True},
        "header": {"template": "red", "title": {"tag": "plain_text", "content": heading(briefing)}},
        "elements": elements,
    }
    return Message("feishu", {"msg_type": "interactive", "card": card}, shown, total)


def _lark_div(content: str) -> dict[str, Any]:
    return {"tag": "div", "text": {"tag": "lark_md", "content": content}}


Builder = Callable[[Briefing, "str | None", bool, "int | None"], Message]
_BUILDERS: dict[str, tuple[Builder, Callable[[Message], bool]]] = {
    "wecom": (wecom, lambda m: len(m.payload["markdown"]["content"].encode("utf-8")) <= WECOM_CONTENT_BYTES),
    "dingtalk": (dingtalk, lambda m: len(m.body) <= DINGTALK_BODY_BYTES),
    "feishu": (feishu, lambda m: len(m.body) + SIGNATURE_ROOM <= FEISHU_BODY_BYTES),
}


def build_message(channel: str, briefing: Briefing, page: str | None = None) -> Message:
    """The channel's message: the whole briefing if it fits, else the fullest listing that does."""
    builder, fits = _BUILDERS[channel]
    message = None
    for summaries, limit in LISTINGS:
        message = replace(builder(briefing, page, summaries, limit), summaries=summaries)
        if fits(message):
            return message
    assert message is not None
    return message  # headings and counts only: fits any limit unless a title is absurdly long
