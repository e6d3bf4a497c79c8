"""The span a briefing covers: one day, or one ISO week (Monday to Sunday)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .clock import iso_week, parse_day, parse_week


class Kind(StrEnum):
    """What a briefing covers; its value names the command, the templates and the JSON `kind`."""

    DAILY = "daily"
    WEEKLY = "weekly"

    @property
    def title(self) -> str:
        return "每日简报" if self is Kind.DAILY else "每周简报"


@dataclass(frozen=True)
class Period:
    kind: Kind
    start: dt.date
    end: dt.date  # inclusive; the start itself for a day

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(Kind.DAILY, day, day)

    @classmethod
    def week_of(cls, day: dt.date) -> Period:
        """The ISO week (Monday to Sunday) that holds `day`."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(Kind.WEEKLY, monday, monday + dt.timedelta(days=6))

    @classmethod
    def holding(cls, kind: Kind | str, day: dt.date) -> Period:
        """The day itself, or the week that holds it."""
        return cls.day(day) if Kind(kind) is Kind.DAILY else cls.week_of(day)

    @classmethod
    def parse(cls, kind: Kind | str, text: str) -> Period:
        """'2026-01-19' as a day, '2026-W03' as a week; ConfigError if it is neither."""
        if Kind(kind) is Kind.DAILY:
            return cls.day(parse_day(text))
        return cls.week_of(parse_week(text)[0])

    @property
    def is_daily(self) -> bool:
        return self.kind is Kind.DAILY

    @property
    def label(self) -> str:
        """'2026-01-19' or '2026-W03': how file names, subjects and the wiki name the period."""
        return self.start.isoformat() if self.is_daily else iso_week(self.start)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=k) for k in range((self.end - self.start).days + 1)]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The day before, or the week before."""
        return Period.holding(self.kind, self.start - dt.timedelta(days=1))
