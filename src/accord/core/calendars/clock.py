"""Business-hours clocks: working time between two instants, and deadlines, on a calendar.

A calendar (``accord.core.calendars.spec.Calendar``) names working windows per weekday in
local time, a time zone and holidays. This module turns it into instants, all tz-aware UTC.

The rules, stated once (explanations quote them):

- **Wall-clock rule.** An instant is working time when the calendar's local wall clock, at
  that instant, shows a time inside a working window of a working day. Instants are turned
  into local time (always unambiguous), never local times into instants, so no ``fold``
  choice arises. On a daylight-saving change this means: the skipped local hour never
  happens (a window 01:00-04:00 lasts 2 hours on Europe/Berlin's spring-forward day, and a
  window inside the skipped hour lasts nothing), and the repeated hour counts each time the
  clock shows it (01:00-04:00 lasts 4 hours on the fall-back day; a window 02:00-02:30 lasts
  an hour). A local day therefore has 23, 24 or 25 hours (23.5 or 24.5 on Lord Howe Island).
- **Holidays** are local dates in the calendar's zone: explicit dates plus the public holidays
  of the country (and subdivision) as the ``holidays`` package lists them, observed days
  included. A holiday on a day without working hours removes nothing.
- **Pauses** are removed in business time, never as wall-clock time: a pause over a weekend
  removes nothing from a Monday-to-Friday clock. Overlapping pauses count once.
- **Start after end** measures zero business time (the data checks report such rows).
- **N business days** are N times the calendar's typical working day (``business_day_seconds``):
  the most common non-zero daily total of working hours over the seven weekdays, the longer
  one on a tie (Mon-Fri 09:00-17:00 → 8 hours; 24x7 → 24 hours). The SQL engine compares with
  the same number, via ``target_time``.
- Any other fixed duration (``4 business hours``, ``90m``) is that much time on this calendar's
  clock; on ``24x7`` business time equals wall-clock time.

Naive datetimes are rejected with ``CalendarError``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final
from zoneinfo import ZoneInfo

import holidays as holiday_data

from accord.core.calendars.spec import ALWAYS, WEEKDAYS, Calendar
from accord.core.units import Duration, DurationUnit, UnitError

__all__ = ["BusinessCalendar", "CalendarError", "Interval"]

#: A half-open span of time ``[start, end)`` between two tz-aware instants.
Interval = tuple[datetime, datetime]

_ZERO: Final = timedelta(0)
_MICROSECOND: Final = timedelta(microseconds=1)
_DAY_MINUTES: Final = 24 * 60
#: Offset changes are found by probing this often and bisecting to the microsecond; the time
#: zone database has no two changes of a zone's UTC offset less than this apart since 1970.
_OFFSET_PROBE: Final = timedelta(hours=12)
#: Deadlines are searched for this much wall-clock time at a go.
_DEADLINE_STEP: Final = timedelta(days=31)


class CalendarError(ValueError):
    """A clock asked something it cannot answer: a naive datetime, an open-ended target."""


@functools.lru_cache(maxsize=512)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holiday_data.country_holidays(country, subdiv=subdivision, years=year))


def _require_aware(**instants: datetime) -> None:
    for name, value in instants.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise CalendarError(
                f"{name} {value.isoformat()} has no time zone; business time needs aware "
                "datetimes (for example datetime(..., tzinfo=UTC))"
            )


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, non-touching intervals covering the same instants."""
    merged: list[Interval] = []
    for start, end in sorted(item for item in intervals if item[0] < item[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(span: Interval, holes: list[Interval]) -> Iterator[Interval]:
    """The parts of ``span`` outside ``holes`` (sorted and merged)."""
    cursor, end = span
    for hole_start, hole_end in holes:
        if hole_end <= cursor or hole_start >= end:
            continue
        if hole_start > cursor:
            yield cursor, hole_start
        cursor = max(cursor, hole_end)
    if cursor < end:
        yield cursor, end


def _length(intervals: Iterable[Interval]) -> timedelta:
    return sum((end - start for start, end in intervals), _ZERO)


def _pause_list(pauses: Iterable[Interval]) -> list[Interval]:
    checked = list(pauses)
    for pause_start, pause_end in checked:
        _require_aware(pause_start=pause_start, pause_end=pause_end)
    return _merge(checked)


@dataclass(frozen=True)
class BusinessCalendar:
    """A calendar ready for arithmetic: working windows per weekday, a zone and holidays.

    ``hours`` has seven entries, Monday first; each is a sorted tuple of non-overlapping
    ``(start_minute, end_minute)`` windows in local minutes, the end up to 1440.
    """

    id: str
    timezone: str
    hours: tuple[tuple[tuple[int, int], ...], ...]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    holiday_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)
        if len(self.hours) != len(WEEKDAYS):
            raise CalendarError(f"calendar {self.id!r} needs hours for 7 weekdays")
        for windows in self.hours:
            bounds = [minute for window in windows for minute in window]
            if bounds != sorted(bounds) or any(s >= e for s, e in windows):
                raise CalendarError(f"calendar {self.id!r} has unordered windows {windows}")
            if bounds and (bounds[0] < 0 or bounds[-1] > _DAY_MINUTES):
                raise CalendarError(f"calendar {self.id!r} has a window outside the day")

    @classmethod
    def always(cls) -> BusinessCalendar:
        """The built-in ``24x7`` calendar: every instant is working time."""
        return cls(id=ALWAYS, timezone="UTC", hours=(((0, _DAY_MINUTES),),) * len(WEEKDAYS))

    @classmethod
    def from_spec(cls, calendar: Calendar | None) -> BusinessCalendar:
        """The clock of an agreement's calendar; ``None`` means ``24x7``."""
        if calendar is None:
            return cls.always()
        hours = tuple(
            tuple((item.start_minute, item.end_minute) for item in calendar.hours.get(day, []))
            for day in WEEKDAYS
        )
        return cls(
            id=calendar.id,
            timezone=calendar.timezone,
            hours=hours,
            holiday_country=calendar.holidays.country,
            holiday_subdivision=calendar.holidays.subdivision,
            holiday_dates=frozenset(calendar.holidays.dates),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_holiday(self, day: date) -> bool:
        """Whether a local date is closed: an explicit date or a public holiday."""
        if day in self.holiday_dates:
            return True
        if self.holiday_country is None:
            return False
        return day in _public_holidays(self.holiday_country, self.holiday_subdivision, day.year)

    def works_on(self, day: date) -> bool:
        """Whether a local date has working hours: its weekday has some and it is no holiday."""
        return bool(self.hours[day.weekday()]) and not self.is_holiday(day)

    def business_day_seconds(self) -> int:
        """Length of one business day: the most common non-zero daily working time.

        A tie goes to the longer day; a calendar without working hours has 0.
        """
        totals = Counter(sum(end - start for start, end in day) for day in self.hours)
        totals.pop(0, None)
        if not totals:
            return 0
        minutes = max(totals, key=lambda total: (totals[total], total))
        return minutes * 60

    def target_time(self, target: Duration) -> timedelta:
        """The business time a target allows on this calendar (see the module's rules)."""
        if target.business and target.unit is DurationUnit.DAY:
            seconds = target.amount * self.business_day_seconds()
        else:
            try:
                seconds = target.seconds
            except UnitError:
                raise CalendarError(
                    f"{target} has no fixed length, so it cannot be counted on a calendar"
                ) from None
        micros = (seconds * Decimal(1_000_000)).to_integral_value(ROUND_HALF_EVEN)
        return timedelta(microseconds=int(micros))

    def working_intervals(self, start: datetime, end: datetime) -> list[Interval]:
        """Working time in ``[start, end)`` as sorted, disjoint UTC intervals.

        Each local working window of each local date overlapping the range is converted with
        the UTC offset in force (split where the offset changes), then clipped to the range;
        windows that touch (a 24:00 end and a 00:00 start) are joined.
        """
        _require_aware(start=start, end=end)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        pieces: list[Interval] = []
        for span_start, span_end, offset in self._constant_offset_spans(start, end):
            pieces.extend(self._windows_in_span(span_start, span_end, offset))
        return _merge(pieces)

    def business_time(
        self, start: datetime, end: datetime, pauses: Iterable[Interval] = ()
    ) -> timedelta:
        """Working time in ``[start, end)`` minus the working time inside the pauses."""
        _require_aware(start=start, end=end)
        paused = _pause_list(pauses)
        if end <= start:
            return _ZERO
        return sum(
            (
                _length(self.working_intervals(open_start, open_end))
                for open_start, open_end in _subtract((start, end), paused)
            ),
            _ZERO,
        )

    def business_seconds(
        self, start: datetime, end: datetime, pauses: Iterable[Interval] = ()
    ) -> float:
        """``business_time`` in seconds (exact to the microsecond, as a float)."""
        return self.business_time(start, end, pauses).total_seconds()

    def deadline(
        self, start: datetime, target: Duration, pauses: Iterable[Interval] = ()
    ) -> datetime:
        """The first instant at which ``target`` business time has run since ``start``.

        Pauses stop the clock in business time; the deadline is recomputed from the original
        start, so ``business_time(start, deadline(start, t, p), p) == target_time(t)``.
        """
        _require_aware(start=start)
        start = start.astimezone(UTC)
        needed = self.target_time(target)
        if needed <= _ZERO:
            return start
        if not any(self.hours):
            raise CalendarError(f"calendar {self.id!r} has no working hours; {target} never runs")
        paused = _pause_list(pauses)
        cursor = start
        while True:
            upto = cursor + _DEADLINE_STEP
            for window in self.working_intervals(cursor, upto):
                for open_start, open_end in _subtract(window, paused):
                    if open_end - open_start >= needed:
                        return open_start + needed
                    needed -= open_end - open_start
            cursor = upto

    def _offset_at(self, instant: datetime) -> timedelta:
        offset = instant.astimezone(self.zone).utcoffset()
        assert offset is not None  # a ZoneInfo always has an offset
        return offset

    def _constant_offset_spans(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime, timedelta]]:
        """Split ``[start, end)`` where the zone's UTC offset changes."""
        span_start, offset, probe = start, self._offset_at(start), start
        while probe < end:
            following = min(probe + _OFFSET_PROBE, end)
            if self._offset_at(following) == offset:
                probe = following
                continue
            change = self._first_change(probe, following, offset)
            if span_start < change:
                yield span_start, change, offset
            span_start, offset, probe = change, self._offset_at(change), change
        if span_start < end:
            yield span_start, end, offset

    def _first_change(self, low: datetime, high: datetime, offset: timedelta) -> datetime:
        """The first instant in ``(low, high]`` whose offset is not ``offset`` (bisection)."""
        while high - low > _MICROSECOND:
            middle = low + (high - low) // 2
            if self._offset_at(middle) == offset:
                low = middle
            else:
                high = middle
        return high

    def _windows_in_span(
        self, start: datetime, end: datetime, offset: timedelta
    ) -> Iterator[Interval]:
        """Working windows inside a span of constant UTC offset, as UTC intervals."""
        local_start = (start + offset).replace(tzinfo=None)
        local_end = (end + offset).replace(tzinfo=None)
        day = local_start.date()
        while day <= local_end.date():
            if not self.is_holiday(day):
                midnight = datetime.combine(day, time())
                for first, last in self.hours[day.weekday()]:
                    low = max(midnight + timedelta(minutes=first), local_start)
                    high = min(midnight + timedelta(minutes=last), local_end)
                    if low < high:
                        yield (
                            (low - offset).replace(tzinfo=UTC),
                            (high - offset).replace(tzinfo=UTC),
                        )
            day += timedelta(days=1)
