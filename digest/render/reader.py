"""What the templates show readers, computed once: category colours and markers,
the week's counts (totals, change against the week before), its chart, tidy links.

The chart is inline SVG for the HTML page (no script, no external file); email
and Markdown get the same numbers as a table or as bars of marker characters,
which survive any mail client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from markupsafe import Markup, escape

from ..ingest import safe_url
from ..overview import WEEKDAYS
from ..records import CATEGORIES, CATEGORY_LABELS, Briefing



@dataclass(frozen=True)
class CategoryStyle:
    marker: str  # a shape as well as a colour: it survives clients that drop colour, and colour blindness
    colour: str  # on white
    dark: str  # on the dark page


STYLES: dict[str, CategoryStyle] = {
    "governance": CategoryStyle("■", "#b42318", "#ff8f85"),
    "economy": CategoryStyle("▲", "#1d4ed8", "#8ab4ff"),
    "weather": CategoryStyle("●", "#0e7490", "#5fd4ec"),
    "transport": CategoryStyle("◆", "#a15c07", "#f5b94a"),
    "society": CategoryStyle("★", "#15803d", "#6fd893"),
}


@dataclass(frozen=True)
class WeekRow:
    day: dt.date
    counts: tuple[tuple[str, int], ...]  # every category, in CATEGORIES order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def label(self) -> str:
        return f"{self.day.month}月{self.day.day}日（{WEEKDAYS[self.day.weekday()]}）"

    @property
    def short_label(self) -> str:
        """1/12 周一: narrow enough for a phone's table."""
        return f"{self.day.month}/{self.day.day} 周{WEEKDAYS[self.day.weekday()]}"

    @property
    def bar(self) -> str:
        """One marker per post, by category: 1月17日 ■■●●●◆ reads as a bar chart in plain text."""
        return "".join(STYLES[c].marker * n for c, n in self.counts)


@dataclass(frozen=True)
class WeekTable:
    rows: tuple[WeekRow, ...]
    totals: tuple[tuple[str, int], ...]
    previous: tuple[tuple[str, int], ...] | None  # the week before, when the input has it

    @property
    def total(self) -> int:
        return sum(n for _, n in self.totals)

    @property
    def previous_total(self) -> int | None:
        return None if self.previous is None else sum(n for _, n in self.previous)

    def change(self, category: str | None = None) -> str:
        """Against the week before: "+3", "−2", "±0"; "" when the input does not reach back."""
        if self.previous is None:
            return ""
        now = self.total if category is None else dict(self.totals)[category]
        then = self.previous_total if category is None else dict(self.previous)[category]
        delta = now - then
        return f"+{delta}" if delta > 0 else (f"−{-delta}" if delta < 0 else "±0")


def week_table(briefing: Briefing) -> WeekTable:
    rows = tuple(WeekRow(day, counts) for day, counts in briefing.day_counts)
    totals = tuple((c, sum(dict(r.counts).get(c, 0) for r in rows)) for c in CATEGORIES)
    return WeekTable(rows, totals, briefing.previous_counts)


def week_chart_svg(briefing: Briefing) -> Markup:
    """Posts per day, stacked by category, with each day's total on its bar."""
    table = week_table(briefing)
    # Narrow enough that a phone shows the labels at a readable size; CSS caps its width on a desktop.
    width, height, left, top, bottom = 440, 220, 8, 44, 40
    plot = height - top - bottom
    peak = max([r.total for r in table.rows] + [1])
    slot = (width - left - 8) / max(len(table.rows), 1)
    bar = min(56.0, slot * 0.6)
    summary = "；".join(f"{r.label}{r.total}篇" for r in table.rows)
    parts = [f'<svg class="week-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="13">',
             f'<title id="chart-title">每日发布数：{escape(summary)}</title>']
    x = left
    for category in CATEGORIES:  # the legend
        style = STYLES[category]
        parts.append(f'<rect class="c-{category}" x="{x}" y="6" width="12" height="12" fill="{style.colour}"/>'
                     f'<text x="{x + 16}" y="17" fill="currentColor">{CATEGORY_LABELS[category]}</text>')
        x += 16 + 13 * len(CATEGORY_LABELS[category]) + 12
    baseline = top + plot
    parts.append(f'<line x1="{left}" y1="{baseline}" x2="{width - 8}" y2="{baseline}" stroke="currentColor" '
                 'stroke-opacity="0.35"/>')
    for index, row in enumerate(table.rows):
        centre = left + slot * index + slot / 2
        y = float(baseline)
        for category, n in row.counts:
            if not n:
                continue
            h = plot * n / peak
            y -= h
            parts.append(f'<rect class="c-{category}" x="{centre - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{STYLES[category].colour}"><title>{row.label} '
                         f'{CATEGORY_LABELS[category]} {n}篇</title></rect>')
        parts.append(f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" fill="currentColor" '
                     f'font-weight="bold">{row.total}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{baseline + 18}" text-anchor="middle" fill="currentColor">'
                     f'{row.day.month}/{row.day.day}</text>'
                     f'<text x="{centre:.1f}" y="{baseline + 34}" text-anchor="middle" fill="currentColor" '
                     f'fill-opacity="0.7">周{WEEKDAYS[row.day.weekday()]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# WeChat links carry the reader's session and tracking (chksm, scene, sessionid,
# key, pass_ticket…); the post itself is named by __biz, mid, idx and sn alone.
_WECHAT_KEYS = ("__biz", "mid", "idx", "sn")


def reader_url(url: str) -> str:
    """The link as a reader should copy it: for WeChat posts, without tracking parameters."""
    safe = safe_url(str(url or ""))
    if not safe:
        return ""
    parts = urlsplit(safe)
    if parts.hostname != "mp.weixin.qq.com" or not parts.query:
        return safe
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in _WECHAT_KEYS]
    if not kept:
        return safe
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept, safe="=_"), ""))
