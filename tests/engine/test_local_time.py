"""Local time in SQL agrees with Python's zoneinfo: local days and hours of instants across
clock changes, in zones whole, half and three quarters of an hour off UTC, and peak periods
at their edges."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
from sqlglot import exp

from accord.core.calendars.spec import PeakPeriod
from accord.core.periods import WindowSpan
from accord.engine import sql
from accord.engine.local_time import (
    local_day,
    local_hour_start,
    peak_condition,
    slices_nest_in_days,
    utc_offsets,
)

UTC = dt.UTC
#: A year around both clock changes, in UTC.
YEAR = WindowSpan("2026", dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC))
ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # daylight saving of half an hour
    "Asia/Kathmandu",  # 5:45 ahead
    "Pacific/Chatham",  # 12:45 ahead, 13:45 in summer
    "America/St_Johns",  # 3:30 behind
    "UTC",
]
EPOCH = dt.date(1970, 1, 1)

_con = duckdb.connect()
_con.execute("SET TimeZone = 'UTC'")


@pytest.fixture(scope="module", autouse=True)
def _close() -> Iterator[None]:
    yield
    _con.close()


def evaluate(expression: exp.Expr, instants: Sequence[dt.datetime]) -> list[Any]:
    """The expression of column ``t`` for each instant, in order."""
    micros = [round(moment.timestamp() * 1_000_000) for moment in instants]
    _con.execute(
        "CREATE OR REPLACE TEMP TABLE instants AS SELECT n, make_timestamptz(us) AS t "
        "FROM (SELECT unnest(range(len($1))) AS n, unnest($1::BIGINT[]) AS us)",
        [micros],
    )
    statement = exp.select(expression).from_("instants").order_by("n")
    return [row[0] for row in _con.execute(sql.render(statement)).fetchall()]


def around_the_changes(zone: str) -> list[dt.datetime]:
    """Instants at and around each of the zone's clock changes in the year, at local
    midnights, and spread at random (seeded by the zone) through the year."""
    near = [dt.timedelta(seconds=s) for s in (-3600, -1, 0, 1, 1799, 1800, 3599, 3600, 86399)]
    changes = [start for start, _ in utc_offsets(YEAR, zone)]
    found = [start + delta for start in changes for delta in near]
    found = [moment for moment in found if YEAR.start_at <= moment < YEAR.end_at]
    midnights = [
        dt.datetime.combine(EPOCH + dt.timedelta(days=day), dt.time(), ZoneInfo(zone))
        for day in range((YEAR.start_at.date() - EPOCH).days, (YEAR.end_at.date() - EPOCH).days, 7)
    ]
    found += [m.astimezone(UTC) + d for m in midnights for d in near[:3]]
    draw = random.Random(zone)
    first, last = int(YEAR.start_at.timestamp()), int(YEAR.end_at.timestamp()) - 1
    found += [dt.datetime.fromtimestamp(draw.randint(first, last), UTC) for _ in range(400)]
    return found


@pytest.mark.parametrize("zone", ZONES)
def test_the_local_day_is_the_date_on_the_local_wall_clock(zone: str) -> None:
    at = around_the_changes(zone)

    days = evaluate(local_day(exp.column("t"), zone, YEAR), at)

    assert days == [(moment.astimezone(ZoneInfo(zone)).date() - EPOCH).days for moment in at]


def _hour_start_oracle(moment: dt.datetime, zone: str) -> int:
    """The local wall-clock hour of an instant, back in epoch seconds under the offset in
    force at the instant."""
    local = moment.astimezone(ZoneInfo(zone))
    offset = local.utcoffset() or dt.timedelta()
    wall = local.replace(minute=0, second=0, microsecond=0, tzinfo=None)
    return int((wall - dt.datetime(1970, 1, 1)).total_seconds() - offset.total_seconds())


@pytest.mark.parametrize("zone", ZONES)
def test_the_local_hour_starts_on_the_local_wall_clocks_hour(zone: str) -> None:
    at = around_the_changes(zone)

    starts = evaluate(local_hour_start(exp.column("t"), zone, YEAR), at)

    assert [int(start) for start in starts] == [_hour_start_oracle(m, zone) for m in at]


def test_the_two_2_am_hours_of_the_autumn_change_are_two_hours() -> None:
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET

    starts = evaluate(local_hour_start(exp.column("t"), "Europe/Berlin", YEAR), [first, second])

    assert [int(start) for start in starts] == [
        int(dt.datetime(2026, 10, 25, 0, tzinfo=UTC).timestamp()),
        int(dt.datetime(2026, 10, 25, 1, tzinfo=UTC).timestamp()),
    ]


def test_a_local_hour_in_kathmandu_starts_at_a_quarter_to() -> None:
    (start,) = evaluate(
        local_hour_start(exp.column("t"), "Asia/Kathmandu", YEAR),
        [dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)],  # 17:45 local
    )

    assert dt.datetime.fromtimestamp(int(start), UTC) == dt.datetime(2026, 6, 1, 11, 15, tzinfo=UTC)


def test_an_instant_a_microsecond_before_local_midnight_is_on_the_day_before() -> None:
    midnight = dt.datetime(2026, 3, 29, 22, tzinfo=UTC)  # 00:00 CEST on 30 March
    before = midnight - dt.timedelta(microseconds=1)

    days = evaluate(local_day(exp.column("t"), "Europe/Berlin", YEAR), [before, midnight])

    assert days == [(dt.date(2026, 3, 29) - EPOCH).days, (dt.date(2026, 3, 30) - EPOCH).days]


# -- offsets -----------------------------------------------------------------------------


def test_the_offsets_of_a_year_start_at_each_clock_change() -> None:
    assert utc_offsets(YEAR, "Europe/Berlin") == [
        (YEAR.start_at, 3600),
        (dt.datetime(2026, 3, 29, 1, tzinfo=UTC), 7200),
        (dt.datetime(2026, 10, 25, 1, tzinfo=UTC), 3600),
    ]


def test_a_span_without_a_clock_change_has_one_offset() -> None:
    july = WindowSpan(
        "2026-07", dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2026, 8, 1, tzinfo=UTC)
    )

    assert utc_offsets(july, "Australia/Lord_Howe") == [(july.start_at, 37800)]  # 10:30


def test_a_half_hour_change_is_found() -> None:
    offsets = utc_offsets(YEAR, "Australia/Lord_Howe")

    assert [offset for _, offset in offsets] == [39600, 37800, 39600]  # 11:00, 10:30, 11:00


# -- slices within days ------------------------------------------------------------------


def test_slices_nest_in_days_only_when_they_start_on_local_midnight() -> None:
    start = dt.datetime(2026, 9, 30, 22, tzinfo=UTC)  # midnight in Berlin
    berlin_october = WindowSpan("2026-10", start, dt.datetime(2026, 10, 31, 23, tzinfo=UTC))
    late = WindowSpan("late", start + dt.timedelta(microseconds=5), berlin_october.end_at)

    assert slices_nest_in_days(berlin_october, 3600, "Europe/Berlin")
    assert not slices_nest_in_days(berlin_october, 3600, "Asia/Kolkata")  # midnight at :30
    assert not slices_nest_in_days(berlin_october, 7 * 60, "Europe/Berlin")
    assert not slices_nest_in_days(late, 60, "Europe/Berlin")


def test_in_kathmandu_hours_from_local_midnight_nest_and_hours_from_utc_midnight_do_not() -> None:
    local_midnight = dt.datetime(2026, 5, 31, 18, 15, tzinfo=UTC)
    utc_midnight = dt.datetime(2026, 6, 1, tzinfo=UTC)  # 05:45 in Kathmandu
    from_local = WindowSpan("local", local_midnight, local_midnight + dt.timedelta(days=30))
    from_utc = WindowSpan("utc", utc_midnight, utc_midnight + dt.timedelta(days=30))

    assert slices_nest_in_days(from_local, 3600, "Asia/Kathmandu")
    assert not slices_nest_in_days(from_utc, 3600, "Asia/Kathmandu")
    assert slices_nest_in_days(from_utc, 15 * 60, "Asia/Kathmandu")


def test_two_hour_slices_stop_nesting_when_the_clock_changes_by_one_hour() -> None:
    # Midnight before the change is 22:00 UTC, after it 23:00 UTC: a grid of two hours
    # from the first midnight straddles every local midnight after the change.
    start = dt.datetime(2026, 10, 1, 22, tzinfo=UTC)
    october = WindowSpan("late-2026-10", start, dt.datetime(2026, 10, 31, 23, tzinfo=UTC))

    assert not slices_nest_in_days(october, 7200, "Europe/Berlin")
    assert slices_nest_in_days(october, 3600, "Europe/Berlin")


# -- peak periods ------------------------------------------------------------------------


def peak(**fields: Any) -> PeakPeriod:
    return PeakPeriod.model_validate({"id": "peak", "timezone": "Europe/Berlin", **fields})


def inside(period: PeakPeriod, *at: dt.datetime) -> list[bool]:
    return [bool(found) for found in evaluate(peak_condition(period, exp.column("t")), at)]


def test_peak_hours_include_their_start_and_exclude_their_end() -> None:
    office = peak(hours={"mon-fri": ["09:00-17:00"]})
    friday = dt.datetime(2026, 10, 16, 7, tzinfo=UTC)  # 09:00 CEST
    second = dt.timedelta(seconds=1)

    assert inside(office, friday - second, friday, friday + 8 * dt.timedelta(hours=1) - second) == [
        False,
        True,
        True,
    ]
    assert inside(office, friday + dt.timedelta(hours=8)) == [False]  # 17:00


def test_peak_hours_follow_the_local_clock_after_it_changes() -> None:
    office = peak(hours={"mon-fri": ["09:00-17:00"]})
    monday_after = dt.datetime(2026, 10, 26, 8, tzinfo=UTC)  # 09:00 CET

    assert inside(office, monday_after - dt.timedelta(minutes=30), monday_after) == [False, True]


def test_peak_dates_are_local_dates_inclusive_at_both_ends() -> None:
    season = peak(dates=[{"from": "2026-11-27", "to": "2026-11-30"}])

    assert inside(
        season,
        dt.datetime(2026, 11, 26, 22, 59, tzinfo=UTC),  # 23:59 on the 26th in Berlin
        dt.datetime(2026, 11, 26, 23, 0, tzinfo=UTC),  # midnight starting the 27th
        dt.datetime(2026, 11, 30, 22, 59, tzinfo=UTC),  # 23:59 on the 30th
        dt.datetime(2026, 11, 30, 23, 0, tzinfo=UTC),  # 1 December
    ) == [False, True, True, False]


def test_peak_dates_and_hours_must_both_hold() -> None:
    black_friday = peak(
        dates=[{"from": "2026-11-27", "to": "2026-11-30"}], hours={"fri": ["18:00-24:00"]}
    )

    assert inside(
        black_friday,
        dt.datetime(2026, 11, 27, 22, 59, tzinfo=UTC),  # Friday 23:59
        dt.datetime(2026, 11, 27, 16, 0, tzinfo=UTC),  # Friday 17:00
        dt.datetime(2026, 11, 20, 20, 0, tzinfo=UTC),  # a Friday evening before the dates
    ) == [True, False, False]
