"""Due instants are counted by the engine's business-hours clock; kinds are registered."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core.calendars import BusinessCalendar
from accord.core.obligations import KINDS, due_at, kind_of, lapsed
from accord.core.units import Duration

#: Monday to Friday 09:00-17:00 in London.
LONDON = BusinessCalendar(
    id="london-support",
    timezone="Europe/London",
    hours=(((540, 1020),),) * 5 + ((), ()),
)


def test_business_minutes_run_across_a_weekend() -> None:
    friday = dt.datetime(2026, 11, 6, 16, 50, tzinfo=dt.UTC)  # 16:50 in London (GMT)
    due = due_at(friday, Duration.parse("30 business minutes"), LONDON)
    assert due == dt.datetime(2026, 11, 9, 9, 20, tzinfo=dt.UTC)


def test_wall_clock_time_on_the_24x7_calendar() -> None:
    start = dt.datetime(2026, 11, 7, 23, 0, tzinfo=dt.UTC)
    assert due_at(start, Duration.parse("15m"), BusinessCalendar.always()) == start + dt.timedelta(
        minutes=15
    )


def test_months_step_local_dates() -> None:
    start = dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC)
    assert due_at(start, Duration.parse("1 month"), BusinessCalendar.always()) == dt.datetime(
        2026, 2, 28, 12, tzinfo=dt.UTC
    )


def test_the_due_instant_itself_is_in_time() -> None:
    due = dt.datetime(2026, 11, 9, 9, 20, tzinfo=dt.UTC)
    assert not lapsed(due, due)
    assert lapsed(due, due + dt.timedelta(microseconds=1))


def test_kinds_are_registered_with_the_rate_they_feed() -> None:
    assert kind_of("update").feeds == "updates on time"
    assert {"acknowledge", "renewal_notice", "breach_notice", "action"} <= set(KINDS)
    with pytest.raises(KeyError, match="known: acknowledge"):
        kind_of("nonsense")
