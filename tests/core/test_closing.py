"""When a window closes: its end plus the data cutoff, in business days or wall-clock time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accord.core.closing import (
    DEFAULT_DATA_CUTOFF,
    PeriodState,
    check_cutoff,
    close_at,
    state_of,
)
from accord.core.units import Duration, UnitError

BERLIN = ZoneInfo("Europe/Berlin")
OCTOBER_END = dt.datetime(2026, 11, 1, tzinfo=BERLIN)  # a Sunday


def test_a_month_ending_on_a_sunday_closes_after_the_fifth_business_day() -> None:
    closes = close_at(OCTOBER_END, DEFAULT_DATA_CUTOFF, "Europe/Berlin")
    assert closes == dt.datetime(2026, 11, 7, tzinfo=BERLIN)  # after Friday 6 November


def test_business_days_skip_the_weekend() -> None:
    friday_end = dt.datetime(2026, 11, 7, tzinfo=BERLIN)  # midnight after Friday 6 November
    closes = close_at(friday_end, Duration.parse("1 business day"), "Europe/Berlin")
    assert closes == dt.datetime(2026, 11, 10, tzinfo=BERLIN)  # after Monday 9 November


def test_a_window_ending_mid_day_counts_from_the_next_whole_day() -> None:
    noon = dt.datetime(2026, 11, 2, 12, tzinfo=BERLIN)  # Monday noon
    closes = close_at(noon, Duration.parse("1 business day"), "Europe/Berlin")
    assert closes == dt.datetime(2026, 11, 4, tzinfo=BERLIN)  # after Tuesday


def test_a_wall_clock_cutoff_is_added_to_the_end() -> None:
    closes = close_at(OCTOBER_END, Duration.parse("48 hours"), "Europe/Berlin")
    assert closes == OCTOBER_END + dt.timedelta(hours=48)


@pytest.mark.parametrize("text", ["4 business hours", "1 month", "1.5 business days"])
def test_a_cutoff_needs_no_calendar(text: str) -> None:
    with pytest.raises(UnitError):
        check_cutoff(Duration.parse(text))


def test_a_window_is_open_then_in_grace_then_closed_or_restated() -> None:
    closes = close_at(OCTOBER_END, DEFAULT_DATA_CUTOFF, "Europe/Berlin")
    before = OCTOBER_END - dt.timedelta(seconds=1)
    assert state_of(OCTOBER_END, closes, before, restated=False) is PeriodState.OPEN
    assert state_of(OCTOBER_END, closes, OCTOBER_END, restated=False) is PeriodState.GRACE
    assert state_of(OCTOBER_END, closes, closes, restated=False) is PeriodState.CLOSED
    assert state_of(OCTOBER_END, closes, closes, restated=True) is PeriodState.RESTATED
