"""Periods and the windows objectives are judged over, cut in the agreement's time zone."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from accord.core.model.objectives import Window
from accord.core.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    PeriodError,
    WindowSpan,
    check_instant,
    parse_period,
    previous_windows,
    windows_in_period,
)

BERLIN = "Europe/Berlin"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def labels(window: str, period: str, timezone: str = BERLIN) -> list[str]:
    return [
        s.label for s in windows_in_period(Window.parse(window), parse_period(period, timezone))
    ]


# -- periods ----------------------------------------------------------------------------


def test_a_month_is_cut_at_local_midnight_and_lasts_745_hours_in_october() -> None:
    period = parse_period("2026-10", BERLIN)

    assert (period.label, period.timezone) == ("2026-10", BERLIN)
    assert (period.start_at, period.end_at) == (utc(2026, 9, 30, 22), utc(2026, 10, 31, 23))
    assert period.end_at - period.start_at == dt.timedelta(hours=745)


def test_the_same_month_in_utc_has_744_hours() -> None:
    period = parse_period("2026-10", "UTC")

    assert period.end_at - period.start_at == dt.timedelta(hours=744)


def test_february_of_a_leap_year_has_29_days() -> None:
    period = parse_period("2028-02", BERLIN)

    assert (period.start_at, period.end_at) == (utc(2028, 1, 31, 23), utc(2028, 2, 29, 23))


@pytest.mark.parametrize(
    ("label", "shown", "start", "end"),
    [
        ("2026-q4", "2026-Q4", utc(2026, 9, 30, 22), utc(2026, 12, 31, 23)),
        ("2026", "2026", utc(2025, 12, 31, 23), utc(2026, 12, 31, 23)),
        ("2026-10-25", "2026-10-25", utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)),
        ("2026-W44", "2026-W44", utc(2026, 10, 25, 23), utc(2026, 11, 1, 23)),
    ],
)
def test_quarters_years_days_and_weeks_are_periods(
    label: str, shown: str, start: dt.datetime, end: dt.datetime
) -> None:
    period = parse_period(label, BERLIN)

    assert (period.label, period.start_at, period.end_at) == (shown, start, end)


@pytest.mark.parametrize(
    ("label", "first_day"),
    [
        ("2026-W53", dt.date(2026, 12, 28)),  # 2026 has 53 ISO weeks, the last one in 2027
        ("2027-W01", dt.date(2027, 1, 4)),
        ("2025-W01", dt.date(2024, 12, 30)),  # week 1 of 2025 starts in 2024
        ("2020-W53", dt.date(2020, 12, 28)),
    ],
)
def test_iso_weeks_cross_the_year_boundary(label: str, first_day: dt.date) -> None:
    period = parse_period(label, "UTC")

    assert period.start_at.date() == first_day
    assert period.end_at - period.start_at == dt.timedelta(days=7)


@pytest.mark.parametrize(
    "label", ["2026-13", "October", "2025-W53", "2026-W00", "2026-02-30", "2026-Q5", ""]
)
def test_a_label_that_is_not_a_period_is_an_error_listing_the_forms(label: str) -> None:
    with pytest.raises(PeriodError, match="use 2026-10, 2026-Q4, 2026-W44, 2026 or 2026-10-15"):
        parse_period(label, BERLIN)


# -- windows in a period ----------------------------------------------------------------


def test_a_month_period_holds_its_own_month_window() -> None:
    (span,) = windows_in_period(Window.parse("month"), parse_period("2026-10", BERLIN))

    assert span.label == "2026-10"
    assert span.seconds == 745 * 3600


def test_weeks_of_a_month_include_those_it_shares_at_both_ends() -> None:
    spans = windows_in_period(Window.parse("week"), parse_period("2026-10", BERLIN))

    assert [s.label for s in spans] == [f"2026-W{week}" for week in range(40, 45)]
    assert spans[0].start_at == utc(2026, 9, 27, 22)  # Monday 28 September, local midnight
    assert spans[-1].end_at == utc(2026, 11, 1, 23)  # still open at the month's end


def test_weeks_across_the_year_boundary_keep_their_iso_year() -> None:
    assert labels("week", "2027-01", "UTC") == [
        "2026-W53",
        "2027-W01",
        "2027-W02",
        "2027-W03",
        "2027-W04",
    ]


def test_a_quarter_window_is_open_at_the_end_of_a_month_period() -> None:
    (span,) = windows_in_period(Window.parse("quarter"), parse_period("2026-11", BERLIN))

    assert span.label == "2026-Q4"
    assert (span.start_at, span.end_at) == (utc(2026, 9, 30, 22), utc(2026, 12, 31, 23))


def test_a_quarter_period_holds_three_month_windows() -> None:
    assert labels("month", "2026-Q4") == ["2026-10", "2026-11", "2026-12"]


def test_day_windows_follow_the_local_calendar_through_the_dst_change() -> None:
    spans = windows_in_period(Window.parse("day"), parse_period("2026-10", BERLIN))

    assert len(spans) == 31
    lengths = {s.label: s.end_at - s.start_at for s in spans}
    assert lengths["2026-10-25"] == dt.timedelta(hours=25)
    assert lengths["2026-10-24"] == dt.timedelta(hours=24)


def test_a_rolling_window_ends_with_the_period() -> None:
    period = parse_period("2026-10", BERLIN)
    (span,) = windows_in_period(Window.parse("rolling 28 days"), period)

    assert span.label == "2026-10-04..2026-10-31"
    assert span.start_at == utc(2026, 10, 3, 22)
    assert span.end_at == period.end_at
    assert span.end_at - span.start_at == dt.timedelta(days=28, hours=1)


# -- earlier windows --------------------------------------------------------------------


def window_of(unit: str, period: str, timezone: str = BERLIN) -> WindowSpan:
    return windows_in_period(Window.parse(unit), parse_period(period, timezone))[-1]


@pytest.mark.parametrize(
    ("unit", "period", "count", "expected"),
    [
        ("month", "2026-10", 3, ["2026-08", "2026-09", "2026-10"]),
        ("month", "2027-01", 3, ["2026-11", "2026-12", "2027-01"]),
        ("week", "2027-W01", 2, ["2026-W53", "2027-W01"]),
        ("quarter", "2026-Q1", 2, ["2025-Q4", "2026-Q1"]),
        ("month", "2026-10", 1, ["2026-10"]),
    ],
)
def test_previous_windows_are_consecutive_and_end_with_the_given_one(
    unit: str, period: str, count: int, expected: list[str]
) -> None:
    span = window_of(unit, period)
    spans = previous_windows(Window.parse(unit), span, count, BERLIN)

    assert [s.label for s in spans] == expected
    assert all(a.end_at == b.start_at for a, b in itertools.pairwise(spans))
    assert spans[-1] == span


def test_previous_windows_start_at_local_midnight() -> None:
    spans = previous_windows(Window.parse("month"), window_of("month", "2026-10"), 2, BERLIN)

    assert spans[0].start_at == utc(2026, 8, 31, 22)  # summer time


def test_a_rolling_window_has_no_earlier_windows() -> None:
    span = window_of("rolling 30 days", "2026-10")

    assert previous_windows(Window.parse("rolling 30 days"), span, 5, BERLIN) == [span]


@pytest.mark.parametrize("label", ["9999-12-31", "0001-01", "9999", "1969-Q4", "3000-W01"])
def test_a_period_outside_the_supported_years_is_a_period_error(label: str) -> None:
    with pytest.raises(PeriodError, match=f"outside the supported years {FIRST_YEAR}–{LAST_YEAR}"):
        parse_period(label, "Europe/Berlin")


def test_an_instant_outside_the_supported_years_is_a_period_error() -> None:
    check_instant(dt.datetime(2999, 12, 31, 23, tzinfo=dt.UTC))
    with pytest.raises(PeriodError, match="as_of 9999-12-31T00:00:00"):
        check_instant(dt.datetime(9999, 12, 31, tzinfo=dt.UTC), "as_of")
