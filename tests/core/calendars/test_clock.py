"""Business-hours clocks agree with a minute-by-minute walk and handle the named edge cases."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core.calendars.clock import BusinessCalendar, CalendarError, Interval
from accord.core.calendars.spec import WEEKDAYS, Calendar
from accord.core.units import Duration

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3600.0


def calendar(
    hours: dict[str, Any],
    timezone: str = "Europe/Berlin",
    country: str | None = None,
    dates: list[date] | None = None,
) -> Calendar:
    return Calendar.model_validate(
        {
            "id": "test",
            "timezone": timezone,
            "hours": hours,
            "holidays": {"country": country, "dates": dates or []},
        }
    )


def clock(hours: dict[str, Any], **kwargs: Any) -> BusinessCalendar:
    return BusinessCalendar.from_spec(calendar(hours, **kwargs))


def berlin(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BERLIN)


OFFICE = {"mon-fri": ["09:00-17:00"]}


# --- The oracle: walk every UTC minute and read the calendar's wall clock -----------------


def oracle_business_seconds(
    spec: Calendar, start: datetime, end: datetime, pauses: list[Interval]
) -> float:
    """Deliberately simple: a minute counts when the local wall clock shows working time.

    Instants must lie on whole UTC minutes (true for the zones and instants generated here).
    """
    zone = ZoneInfo(spec.timezone)
    public = holidays.country_holidays(spec.holidays.country) if spec.holidays.country else set()
    minutes = 0
    moment = start
    while moment < end:
        local = moment.astimezone(zone)
        minute_of_day = local.hour * 60 + local.minute
        windows = spec.hours.get(WEEKDAYS[local.weekday()], [])
        if (
            local.date() not in spec.holidays.dates
            and local.date() not in public
            and any(w.start_minute <= minute_of_day < w.end_minute for w in windows)
            and not any(pause_start <= moment < pause_end for pause_start, pause_end in pauses)
        ):
            minutes += 1
        moment += timedelta(minutes=1)
    return minutes * 60.0


# Instants where things happen, per zone: its DST changes (Lord Howe moves by 30 minutes)...
TRANSITIONS = {
    "Europe/Berlin": [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)],
    "America/New_York": [datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)],
    "Australia/Lord_Howe": [
        datetime(2026, 4, 4, 15, tzinfo=UTC),
        datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
    ],
    "Asia/Kolkata": [],
    "UTC": [],
}
# ... and everywhere: a holiday on a Saturday, a month boundary, a leap day, Christmas.
ANCHORS = [
    datetime(2026, 10, 3, 0, tzinfo=UTC),
    datetime(2026, 2, 1, 0, tzinfo=UTC),
    datetime(2028, 2, 29, 12, tzinfo=UTC),
    datetime(2026, 12, 25, 0, tzinfo=UTC),
]


def _as_windows(points: list[int]) -> list[str]:
    """Sorted quarter-hour points paired into windows: 2 points → 1 window, 6 → 3."""
    ordered = sorted(points)

    def show(quarter: int) -> str:
        return f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"

    return [show(a) + "-" + show(b) for a, b in zip(ordered[::2], ordered[1::2], strict=False)]


# Window edges on a quarter-hour grid, often in the small hours where DST changes happen.
quarter_hours = st.one_of(st.integers(0, 96), st.integers(4, 14), st.integers(6, 12))
day_windows = st.lists(quarter_hours, min_size=2, max_size=6, unique=True).map(_as_windows)

Case = tuple[Calendar, datetime, datetime, list[Interval]]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A calendar, and a span from near one of its interesting instants, with pauses."""
    zone = draw(st.sampled_from(sorted(TRANSITIONS)))
    if draw(st.booleans()):
        hours = {"daily": draw(day_windows)}
    else:
        hours = {day: draw(day_windows) for day in WEEKDAYS if draw(st.booleans())}
    anchor = draw(st.sampled_from(TRANSITIONS[zone] * 3 + ANCHORS))
    country = draw(st.sampled_from([None, "DE", "US", "IN"]))
    closed = draw(st.lists(st.integers(-3, 3).map(lambda n: anchor.date() + timedelta(n))))
    spec = calendar(hours, zone, country, closed)
    # Wide spans (that surely cover the anchor's local day) as often as narrow ones.
    before = draw(st.one_of(st.integers(0, 2 * 1440), st.sampled_from([360, 720, 1440])))
    length = draw(st.one_of(st.integers(-60, 3 * 1440), st.sampled_from([1440, 2 * 1440])))
    start = anchor - timedelta(minutes=before)
    end = start + timedelta(minutes=length)
    pauses = [
        (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
        for offset, length in draw(
            st.lists(st.tuples(st.integers(-600, 3 * 1440), st.integers(0, 2 * 1440)), max_size=3)
        )
    ]
    return spec, start, end, pauses


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_business_time_equals_the_minute_walk(case: Case) -> None:
    spec, start, end, pauses = case
    clock = BusinessCalendar.from_spec(spec)
    assert clock.business_seconds(start, end, pauses) == oracle_business_seconds(
        spec, start, end, pauses
    )


@st.composite
def dst_days(draw: st.DrawFn) -> Case:
    """A whole local day around a DST change, windows with edges inside the changed hour."""
    zone = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]))
    anchor = draw(st.sampled_from(TRANSITIONS[zone]))
    edges = st.one_of(st.integers(0, 96), st.integers(4, 12))
    windows = draw(st.lists(edges, min_size=2, max_size=6, unique=True).map(_as_windows))
    spec = calendar({"daily": windows}, zone)
    start = anchor - timedelta(minutes=draw(st.integers(0, 1440)))
    end = anchor + timedelta(minutes=draw(st.integers(0, 1440)))
    pause_start = start + timedelta(minutes=draw(st.integers(0, 2 * 1440)))
    pause = (pause_start, pause_start + timedelta(minutes=draw(st.integers(0, 180))))
    return spec, start, end, [pause]


@settings(max_examples=100, deadline=None)
@given(case=dst_days())
def test_business_time_equals_the_minute_walk_across_dst_changes(case: Case) -> None:
    spec, start, end, pauses = case
    clock = BusinessCalendar.from_spec(spec)
    assert clock.business_seconds(start, end, pauses) == oracle_business_seconds(
        spec, start, end, pauses
    )


@settings(max_examples=60, deadline=None)
@given(case=cases(), hours=st.integers(0, 40), quarter=st.integers(0, 3))
def test_deadline_is_the_first_instant_the_target_has_run(
    case: Case, hours: int, quarter: int
) -> None:
    spec, start, _, pauses = case
    clock = BusinessCalendar.from_spec(spec)
    target = Duration.parse(f"{hours * 60 + quarter * 15} business minutes")
    if target.amount and not any(clock.hours):
        # A calendar without working hours never reaches a positive target.
        with pytest.raises(CalendarError, match="no working hours"):
            clock.deadline(start, target, pauses)
        return
    due = clock.deadline(start, target, pauses)
    assert clock.business_time(start, due, pauses) == clock.target_time(target)
    if due > start:
        earlier = due - timedelta(microseconds=1)
        assert clock.business_time(start, earlier, pauses) < clock.target_time(target)


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_working_intervals_are_sorted_disjoint_utc_and_inside_the_range(case: Case) -> None:
    spec, start, end, _ = case
    intervals = BusinessCalendar.from_spec(spec).working_intervals(start, end)
    for low, high in intervals:
        assert low.tzinfo is UTC
        assert high.tzinfo is UTC
        assert start <= low < high <= end
    for (_, first_end), (second_start, _) in itertools.pairwise(intervals):
        assert first_end < second_start


# --- Named edge cases --------------------------------------------------------------------


def test_spring_forward_day_has_23_hours_around_the_clock() -> None:
    always = clock({"daily": ["00:00-24:00"]})
    assert always.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 23 * HOUR


def test_fall_back_day_has_25_hours_around_the_clock() -> None:
    always = clock({"daily": ["00:00-24:00"]})
    assert always.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 25 * HOUR


def test_night_window_loses_the_skipped_hour_when_clocks_spring_forward() -> None:
    night = clock({"daily": ["01:00-04:00"]})
    assert night.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 2 * HOUR
    assert night.working_intervals(berlin(2026, 3, 29), berlin(2026, 3, 30)) == [
        (datetime(2026, 3, 29, 0, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC))
    ]


def test_night_window_counts_the_repeated_hour_twice_when_clocks_fall_back() -> None:
    night = clock({"daily": ["01:00-04:00"]})
    assert night.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 4 * HOUR


def test_window_inside_the_skipped_hour_never_happens() -> None:
    gap = clock({"daily": ["02:15-02:45"]})
    assert gap.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 0


def test_window_inside_the_repeated_hour_happens_twice() -> None:
    fold = clock({"daily": ["02:00-02:30"]})
    assert fold.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == HOUR


def test_lord_howe_springs_forward_by_half_an_hour() -> None:
    zone = ZoneInfo("Australia/Lord_Howe")
    always = clock({"daily": ["00:00-24:00"]}, timezone="Australia/Lord_Howe")
    day = datetime(2026, 10, 4, tzinfo=zone)
    assert always.business_seconds(day, day + timedelta(days=1)) == 23.5 * HOUR


def test_holiday_on_a_weekend_removes_nothing_extra() -> None:
    # 2026-10-03, German Unity Day, is a Saturday.
    with_holidays = clock(OFFICE, country="DE")
    without = clock(OFFICE)
    week = (berlin(2026, 9, 28), berlin(2026, 10, 5))
    assert with_holidays.business_seconds(*week) == without.business_seconds(*week) == 40 * HOUR


def test_public_holiday_closes_a_working_day() -> None:
    saturdays_too = clock({"mon-sat": ["09:00-17:00"]}, country="DE")
    day = (berlin(2026, 10, 3), berlin(2026, 10, 4))
    assert saturdays_too.business_seconds(*day) == 0
    assert saturdays_too.is_holiday(date(2026, 10, 3))


def test_ticket_spanning_a_month_boundary_counts_both_months() -> None:
    office = clock(OFFICE)
    opened, resolved = berlin(2026, 1, 30, 16), berlin(2026, 2, 2, 10)
    assert office.business_seconds(opened, resolved) == 2 * HOUR
    boundary = berlin(2026, 2, 1)
    parts = office.business_seconds(opened, boundary) + office.business_seconds(boundary, resolved)
    assert parts == 2 * HOUR


def test_pause_over_a_weekend_removes_no_business_time() -> None:
    office = clock(OFFICE)
    opened, resolved = berlin(2026, 3, 6, 12), berlin(2026, 3, 9, 12)
    weekend = [(berlin(2026, 3, 6, 18), berlin(2026, 3, 9, 8))]
    assert office.business_seconds(opened, resolved, weekend) == 8 * HOUR
    assert office.business_seconds(opened, resolved) == 8 * HOUR


def test_weekend_pause_does_not_move_the_deadline() -> None:
    office = clock(OFFICE)
    opened = berlin(2026, 3, 6, 12)
    weekend = [(berlin(2026, 3, 6, 18), berlin(2026, 3, 9, 8))]
    target = Duration.parse("8 business hours")
    assert office.deadline(opened, target, weekend) == office.deadline(opened, target)
    assert office.deadline(opened, target) == berlin(2026, 3, 9, 12)


def test_overlapping_pauses_count_once() -> None:
    office = clock(OFFICE)
    pauses = [
        (berlin(2026, 3, 2, 10), berlin(2026, 3, 2, 12)),
        (berlin(2026, 3, 2, 11), berlin(2026, 3, 2, 13)),
    ]
    day = (berlin(2026, 3, 2, 9), berlin(2026, 3, 2, 17))
    assert office.business_seconds(*day, pauses) == 5 * HOUR


def test_leap_day_is_an_ordinary_working_day() -> None:
    office = clock(OFFICE)
    span = (berlin(2028, 2, 28, 12), berlin(2028, 3, 1, 12))
    assert office.business_seconds(*span) == (5 + 8 + 3) * HOUR
    closed = clock(OFFICE, dates=[date(2028, 2, 29)])
    assert closed.business_seconds(*span) == (5 + 3) * HOUR


def test_start_after_end_measures_zero() -> None:
    office = clock(OFFICE)
    assert office.business_seconds(berlin(2026, 3, 3, 12), berlin(2026, 3, 2, 12)) == 0


def test_zero_length_span_measures_zero() -> None:
    office = clock(OFFICE)
    assert office.business_seconds(berlin(2026, 3, 2, 12), berlin(2026, 3, 2, 12)) == 0
    assert office.working_intervals(berlin(2026, 3, 2, 12), berlin(2026, 3, 2, 12)) == []


def test_naive_datetimes_are_rejected_with_a_clear_error() -> None:
    office = clock(OFFICE)
    with pytest.raises(CalendarError, match="start 2026-03-02T12:00:00 has no time zone"):
        office.business_seconds(datetime(2026, 3, 2, 12), berlin(2026, 3, 3))
    with pytest.raises(CalendarError, match="pause_end"):
        office.business_seconds(
            berlin(2026, 3, 2), berlin(2026, 3, 3), [(berlin(2026, 3, 2), datetime(2026, 3, 3))]
        )
    with pytest.raises(CalendarError, match="no time zone"):
        office.deadline(datetime(2026, 3, 2, 12), Duration.parse("1 business hour"))


def test_business_time_is_exact_to_the_microsecond() -> None:
    office = clock(OFFICE)
    start = berlin(2026, 3, 2, 9) + timedelta(microseconds=1)
    assert office.business_time(start, berlin(2026, 3, 2, 10)) == timedelta(
        hours=1, microseconds=-1
    )


def test_no_calendar_means_around_the_clock() -> None:
    always = BusinessCalendar.from_spec(None)
    start = datetime(2026, 3, 28, 22, tzinfo=UTC)
    assert always.business_seconds(start, start + timedelta(days=3)) == 72 * HOUR
    assert always.business_day_seconds() == 86400


def test_several_windows_per_day_leave_the_lunch_break_out() -> None:
    split = clock({"mon-fri": ["09:00-12:30", "13:30-18:00"]})
    assert split.business_seconds(berlin(2026, 3, 2), berlin(2026, 3, 3)) == 8 * HOUR
    assert split.deadline(berlin(2026, 3, 2, 12), Duration.parse("1 business hour")) == berlin(
        2026, 3, 2, 14
    )


@pytest.mark.parametrize(
    ("hours", "day_hours"),
    [
        ({"mon-fri": ["09:00-17:00"]}, 8),
        ({"mon-thu": ["08:00-16:00"], "fri": ["08:00-14:00"]}, 8),
        ({"mon-fri": ["09:00-17:00"], "sat": ["10:00-14:00"]}, 8),
        ({"mon": ["09:00-17:00"], "tue": ["09:00-15:00"]}, 8),
        ({}, 0),
    ],
)
def test_a_business_day_is_the_most_common_working_day(
    hours: dict[str, Any], day_hours: int
) -> None:
    assert clock(hours).business_day_seconds() == day_hours * 3600


def test_business_days_count_in_typical_working_days() -> None:
    office = clock(OFFICE)
    assert office.target_time(Duration.parse("2 business days")) == timedelta(hours=16)
    # Friday 16:00 + 1 business day: 1 hour on Friday, 7 on Monday.
    assert office.deadline(berlin(2026, 3, 6, 16), Duration.parse("1 business day")) == berlin(
        2026, 3, 9, 16
    )


def test_deadline_reached_at_a_window_end_is_that_end() -> None:
    office = clock(OFFICE)
    due = office.deadline(berlin(2026, 3, 2, 9), Duration.parse("8 business hours"))
    assert due == berlin(2026, 3, 2, 17)


def test_zero_target_is_due_at_once() -> None:
    office = clock(OFFICE)
    start = berlin(2026, 3, 7, 12)
    assert office.deadline(start, Duration.parse("0 business minutes")) == start


def test_calendar_units_and_empty_calendars_have_no_deadline() -> None:
    with pytest.raises(CalendarError, match="no fixed length"):
        clock(OFFICE).target_time(Duration.parse("1 month"))
    with pytest.raises(CalendarError, match="no working hours"):
        clock({}).deadline(berlin(2026, 3, 2), Duration.parse("1 business hour"))


def test_a_calendar_works_on_days_with_hours_that_are_no_holiday() -> None:
    delivery = clock({"mon-sat": ["00:00-24:00"]}, country="DE", dates=[date(2026, 12, 24)])

    assert delivery.works_on(date(2026, 10, 17))  # a Saturday
    assert not delivery.works_on(date(2026, 10, 18))  # a Sunday
    assert not delivery.works_on(date(2026, 10, 3))  # German Unity Day, on a Saturday
    assert not delivery.works_on(date(2026, 12, 24))  # a date closed explicitly
