import datetime as dt

import pytest

from digest.errors import ConfigError
from digest.period import Kind, Period


def test_a_day_and_the_week_that_holds_it():
    day = Period.day(dt.date(2026, 1, 1))
    week = Period.week_of(dt.date(2026, 1, 1))  # a Thursday: ISO week 2026-W01 starts on 2025-12-29
    assert (day.label, day.days, day.is_daily) == ("2026-01-01", [dt.date(2026, 1, 1)], True)
    assert (week.label, week.start, week.end, week.is_daily) == ("2026-W01", dt.date(2025, 12, 29),
                                                                dt.date(2026, 1, 4), False)
    assert week.contains(dt.date(2025, 12, 31)) and not week.contains(dt.date(2026, 1, 5))
    assert Period.holding("weekly", dt.date(2026, 1, 1)) == week


def test_the_period_before_crosses_months_and_years():
    assert Period.day(dt.date(2026, 3, 1)).previous() == Period.day(dt.date(2026, 2, 28))
    assert Period.week_of(dt.date(2026, 1, 1)).previous().label == "2025-W52"


@pytest.mark.parametrize("kind, text, label", [
    (Kind.DAILY, "2026-01-19", "2026-01-19"), (Kind.WEEKLY, "2026-W03", "2026-W03"), ("weekly", "2026w3", "2026-W03"),
])
def test_parse(kind, text, label):
    assert Period.parse(kind, text).label == label


@pytest.mark.parametrize("kind, text", [(Kind.DAILY, "2026-13-45"), (Kind.WEEKLY, "2026-03"), (Kind.WEEKLY, "2026-W54")])
def test_parse_refuses_what_is_not_a_period(kind, text):
    with pytest.raises(ConfigError):
        Period.parse(kind, text)


def test_kind_reads_as_its_name():
    assert f"{Kind.WEEKLY}-x" == "weekly-x" and Kind.DAILY.title == "每日简报"
