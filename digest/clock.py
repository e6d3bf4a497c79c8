"""Time in one place: the briefing's time zone, an injectable clock, periods.

Nothing else in digest calls `datetime.now()`, so a fixed clock makes every
output byte-identical between runs (golden files, wiki diffs).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable
from zoneinfo import ZoneInfo

from .errors import ConfigError

TIMEZONE = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(TIMEZONE)


def fixed_clock(moment: dt.datetime) -> Clock:
    """Always `moment`, seen in Asia/Shanghai (so "yesterday" is Shanghai's yesterday)."""
    moment = moment.replace(tzinfo=TIMEZONE) if moment.tzinfo is None else moment.astimezone(TIMEZONE)
    return lambda: moment


def parse_moment(text: str) -> dt.datetime:
    """An ISO date or date-time; naive values are taken as Asia/Shanghai."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ConfigError(f"not an ISO date-time: {text!r}") from exc
    return moment.astimezone(TIMEZONE) if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ConfigError(f"not a date (YYYY-MM-DD): {text!r}") from exc


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_week(text: str) -> tuple[dt.date, dt.date]:
    """'2026-W03' -> (Monday, Sunday) of that ISO week."""
    match = _WEEK.match(text.strip())
    if not match:
        raise ConfigError(f"not an ISO week (YYYY-Www): {text!r}")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise ConfigError(f"no such ISO week: {text!r}") from exc
    return monday, monday + dt.timedelta(days=6)


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
