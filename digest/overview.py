"""What opens a briefing: one line of counts, then the few stories that matter most.

Counts are of items (项: a story with its related posts); where posts (篇)
outnumber items, both are said, so the overview and the section headers agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from .records import CATEGORY_LABELS, Item, Section

WEEKDAYS = "一二三四五六日"


def chinese_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def chinese_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def count_phrase(items: int, posts: int) -> str:
    """"3项", or "3项（5篇）" when related posts are folded into the items. A bundle's later
    parts are items of no post of their own (the post counts once), which needs no note here."""
    return f"{items}项" if posts <= items else f"{items}项（{posts}篇）"


def counts_line(sections: Sequence[Section]) -> str:
    """"共6项：经济4项、天气1项、社会民生1项": how every channel counts a briefing, as its overview does."""
    return _counts(tuple(sections))[1]


def _counts(sections: tuple[Section, ...]) -> tuple[int, str]:
    items = sum(len(s.items) for s in sections)
    posts = sum(s.post_count for s in sections)
    total = f"共{items}项" if items == posts else f"共{items}项（{posts}篇推送）"
    return items, f"{total}：" + "、".join(f"{s.label}{count_phrase(len(s.items), s.post_count)}" for s in sections)


def daily_overview(day: dt.date, sections: tuple[Section, ...]) -> str:
    items, counts = _counts(sections)
    if not items:
        return f"{chinese_day(day)}无新发布。"
    return f"{chinese_day(day)}{counts}。"


def weekly_overview(
    start: dt.date,
    end: dt.date,
    sections: tuple[Section, ...],
    day_counts: tuple[tuple[dt.date, tuple[tuple[str, int], ...]], ...],
) -> str:
    items, counts = _counts(sections)
    period = f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    if not items:
        return f"{period}无新发布。"
    busiest_day, busiest = max(((d, sum(n for _, n in c)) for d, c in day_counts), key=lambda dn: (dn[1], -dn[0].toordinal()))
    return f"{period}{counts}；{busiest_day.month}月{busiest_day.day}日最多，{busiest}篇。"


def highlights(sections: Sequence[Section], count: int) -> tuple[Item, ...]:
    """The `count` stories that matter most, best first: each category's best before any second of one
    category, so a day of many 时政 posts still shows its weather warning."""
    ranked = sorted((i for s in sections for i in s.items), key=lambda i: (-i.score, i.published, i.aid))
    firsts: dict[str, Item] = {}
    for item in ranked:
        firsts.setdefault(item.category, item)
    chosen = list(firsts.values())[:count]
    chosen += [i for i in ranked if i not in chosen][: count - len(chosen)]
    return tuple(sorted(chosen, key=ranked.index))


__all__ = ["CATEGORY_LABELS", "chinese_date", "chinese_day", "count_phrase", "daily_overview", "highlights",
           "weekly_overview"]
