"""Cutting a window into units: fixed slices from the window's start (the last one shorter),
or local days of 23, 24 or 25 hours; units touching an excluded period are left out whole,
and during a peak only the units that count in it are counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
from sqlglot import exp

from accord.core.calendars.spec import PeakPeriod
from accord.core.periods import WindowSpan
from accord.engine.grids import Grid, LocalDays, Slices
from accord.engine.rows import Interval, Restrictions
from accord.engine.sql import render

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
ZONE = "Europe/Berlin"
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def berlin(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=BERLIN).astimezone(UTC)


#: One hour from 10:00 UTC; the whole of October in Berlin (UTC+2 then UTC+1 from the 25th).
HOUR_SPAN = WindowSpan("hour", utc(2026, 10, 6, 10), utc(2026, 10, 6, 11))
OCTOBER = WindowSpan("2026-10", berlin(2026, 10, 1), berlin(2026, 11, 1))


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        yield connection


def numbers(
    con: duckdb.DuckDBPyConnection, grid: Grid, span: WindowSpan, at: Sequence[dt.datetime]
) -> list[int]:
    """The unit number of each instant."""
    values = exp.Values(
        expressions=[exp.Tuple(expressions=[exp.Literal.string(m.isoformat())]) for m in at],
        alias=exp.TableAlias(this=exp.to_identifier("v"), columns=[exp.to_identifier("t")]),
    )
    moment = exp.Cast(this=exp.column("t"), to=exp.DataType.build("TIMESTAMPTZ"))
    statement = exp.select(grid.number(moment, span, ZONE)).from_(values)
    return [int(row[0]) for row in con.execute(render(statement)).fetchall()]


def bounds(con: duckdb.DuckDBPyConnection, grid: Grid, span: WindowSpan, unit: int) -> Any:
    start, end = grid.bounds(exp.Literal.number(unit), span, ZONE)
    return con.execute(render(exp.select(start, end))).fetchone()


def excluded(*intervals: tuple[dt.datetime, dt.datetime]) -> list[Interval]:
    return [Interval("maintenance", start, end) for start, end in intervals]


def peak(**fields: Any) -> PeakPeriod:
    return PeakPeriod.model_validate({"id": "peak", "timezone": ZONE, **fields})


# -- slices -------------------------------------------------------------------------------


def test_a_window_that_slices_do_not_divide_ends_with_a_shorter_slice(
    con: duckdb.DuckDBPyConnection,
) -> None:
    seven_minutes = Slices(7 * 60)

    assert seven_minutes.count(HOUR_SPAN) == 9
    assert bounds(con, seven_minutes, HOUR_SPAN, 8) == (
        utc(2026, 10, 6, 10, 56),
        utc(2026, 10, 6, 11),  # four minutes, clipped to the window's end
    )


def test_an_instant_on_a_slice_boundary_opens_the_next_slice(
    con: duckdb.DuckDBPyConnection,
) -> None:
    start = HOUR_SPAN.start_at
    at = [start, start + MINUTE - dt.timedelta(microseconds=1), start + MINUTE, start + 59 * MINUTE]

    assert numbers(con, Slices(60), HOUR_SPAN, at) == [0, 0, 1, 59]


def test_an_excluded_period_leaves_out_every_slice_it_touches_and_no_other() -> None:
    minutes = Slices(60)
    start = HOUR_SPAN.start_at

    ranges = minutes.excluded_ranges(
        excluded(
            (
                start + 10 * MINUTE + dt.timedelta(seconds=30),
                start + 12 * MINUTE,
            ),  # ends on a boundary
            (start - HOUR, start + 2 * MINUTE),  # begins before the window
            (start + 58 * MINUTE, start + 2 * HOUR),  # ends after it
            (start + 30 * MINUTE, start + 30 * MINUTE),  # no time at all
        ),
        HOUR_SPAN,
        ZONE,
    )

    assert ranges == [(10, 12), (0, 2), (58, 60)]


def test_slices_left_out_by_overlapping_periods_are_counted_once(
    con: duckdb.DuckDBPyConnection,
) -> None:
    start = HOUR_SPAN.start_at
    periods = excluded((start, start + 10 * MINUTE), (start + 5 * MINUTE, start + 15 * MINUTE))

    assert Slices(60).totals(con, HOUR_SPAN, periods, Restrictions(ZONE)) == (60, 15)


def test_during_a_peak_a_slice_counts_when_it_starts_inside_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Hours of a Friday in Berlin (summer time) against a peak of 09:30-17:00: the 09:00
    # hour starts outside it, the 16:00 hour inside, 17:00 outside.
    friday = WindowSpan("friday", berlin(2026, 10, 16), berlin(2026, 10, 17))
    office = peak(hours={"fri": ["09:30-17:00"]})
    ten_oclock = excluded((berlin(2026, 10, 16, 10, 15), berlin(2026, 10, 16, 10, 45)))

    counted = Slices(3600).totals(con, friday, ten_oclock, Restrictions(ZONE, peak=office))

    assert counted == (7, 1)  # 10:00 … 16:00, one left out


# -- local days ----------------------------------------------------------------------------


def test_a_month_of_local_days_has_one_day_of_25_hours_in_october(
    con: duckdb.DuckDBPyConnection,
) -> None:
    days = LocalDays()
    lengths = []
    for unit in range(days.units_in(OCTOBER, ZONE)):
        start, end = bounds(con, days, OCTOBER, unit)
        lengths.append((end - start) / HOUR)

    assert len(lengths) == 31
    assert lengths.count(24) == 30
    assert lengths[24] == 25  # 25 October


def test_a_window_in_utc_touches_one_more_local_day() -> None:
    utc_october = WindowSpan("utc", utc(2026, 10, 1), utc(2026, 11, 1))

    dates = LocalDays().dates(utc_october, ZONE)

    assert (dates[0], dates[-1], len(dates)) == (dt.date(2026, 10, 1), dt.date(2026, 11, 1), 32)


def test_an_empty_window_has_no_days() -> None:
    empty = WindowSpan("empty", OCTOBER.start_at, OCTOBER.start_at)

    assert LocalDays().dates(empty, ZONE) == []
    assert (
        LocalDays().excluded_ranges(excluded((utc(2026, 1, 1), utc(2027, 1, 1))), empty, ZONE) == []
    )


def test_rows_are_numbered_by_their_local_day_across_the_clock_change(
    con: duckdb.DuckDBPyConnection,
) -> None:
    at = [
        berlin(2026, 10, 1),  # the first local midnight
        berlin(2026, 10, 24, 23, 59),
        berlin(2026, 10, 25),  # a day of 25 hours begins
        berlin(2026, 10, 25, 23, 59),  # 24 h 59 min later
        berlin(2026, 10, 26),
    ]

    assert numbers(con, LocalDays(), OCTOBER, at) == [0, 23, 24, 24, 25]


def test_maintenance_across_local_midnight_leaves_out_both_days() -> None:
    days = LocalDays()
    across = excluded((berlin(2026, 10, 6, 23, 30), berlin(2026, 10, 7, 0, 30)))
    until_midnight = excluded((berlin(2026, 10, 6, 22), berlin(2026, 10, 7)))

    assert days.excluded_ranges(across, OCTOBER, ZONE) == [(5, 7)]
    assert days.excluded_ranges(until_midnight, OCTOBER, ZONE) == [(5, 6)]


def test_during_a_peak_only_the_days_it_touches_count(con: duckdb.DuckDBPyConnection) -> None:
    weekends = peak(hours={"weekends": ["10:00-18:00"]})
    saturday = excluded((berlin(2026, 10, 3, 12), berlin(2026, 10, 3, 13)))
    wednesday = excluded((berlin(2026, 10, 7, 12), berlin(2026, 10, 7, 13)))

    counted = LocalDays().totals(
        con, OCTOBER, [*saturday, *wednesday], Restrictions(ZONE, peak=weekends)
    )

    assert counted == (9, 1)  # nine weekend days in October 2026; Wednesday does not count
