"""The overview paragraph that opens a briefing: counts, then each category's top story."""

from __future__ import annotations

import datetime as dt

from .records import CATEGORY_LABELS, Section

WEEKDAYS = "一二三四五六日"


def chinese_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def chinese_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def _counts(sections: tuple[Section, ...]) -> tuple[int, str]:
    per_section = [(s.label, s.post_count) for s in sections]
    total = sum(n for _, n in per_section)
    return total, "、".join(f"{label}{n}条" for label, n in per_section)


def _top_stories(sections: tuple[Section, ...]) -> str:
    return "；".join(f"{s.label}：{s.items[0].headline}" for s in sections if s.items)


def daily_overview(day: dt.date, sections: tuple[Section, ...]) -> str:
    total, counts = _counts(sections)
    if not total:
        return f"{chinese_day(day)}无新发布。"
    return f"{chinese_day(day)}共{total}条：{counts}。要闻——{_top_stories(sections)}。"


def weekly_overview(
    start: dt.date,
    end: dt.date,
    sections: tuple[Section, ...],
    day_counts: tuple[tuple[dt.date, tuple[tuple[str, int], ...]], ...],
) -> str:
    total, counts = _counts(sections)
    period = f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    if not total:
        return f"{period}无新发布。"
    busiest_day, busiest = max(((d, sum(n for _, n in c)) for d, c in day_counts), key=lambda dn: (dn[1], -dn[0].toordinal()))
    return (
        f"{period}共{total}条：{counts}；{busiest_day.month}月{busiest_day.day}日最多，{busiest}条。"
        f"要闻——{_top_stories(sections)}。"
    )


__all__ = ["CATEGORY_LABELS", "chinese_date", "chinese_day", "daily_overview", "weekly_overview"]
