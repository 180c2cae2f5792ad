"""Calendars (working hours, time zone, holidays) and peak periods, as written in an agreement.

The arithmetic over calendars (business time between two instants, deadlines) lives in
``accord.core.calendars.clock``; this module only describes and checks them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from typing import Annotated, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays as holiday_data
from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from accord.core.spec import Identifier, Spec, problem

__all__ = [
    "ALWAYS",
    "WEEKDAYS",
    "Calendar",
    "DateRange",
    "Holidays",
    "PeakPeriod",
    "TimeRange",
    "TimeRangeField",
    "TimeZoneField",
    "expand_days",
]

#: The built-in calendar id that means every minute of every day counts.
ALWAYS: Final = "24x7"

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_GROUPS: Final = {
    "daily": WEEKDAYS,
    "weekdays": WEEKDAYS[:5],
    "weekends": WEEKDAYS[5:],
}


def expand_days(key: str) -> tuple[str, ...]:
    """``mon-fri`` → the five weekday names; ``sat`` → one; ``weekdays``, ``daily`` too."""
    text = key.strip().lower()
    if text in _DAY_GROUPS:
        return _DAY_GROUPS[text]
    parts = [part.strip() for part in text.split(",")]
    days: list[str] = []
    for part in parts:
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(
                f"{key!r} is not a day or range of days (use mon..sun, 'mon-fri', 'weekdays')"
            )
        start = WEEKDAYS.index(first)
        end = WEEKDAYS.index(last) if last else start
        if end < start:
            raise ValueError(f"day range {key!r} is inverted")
        days.extend(WEEKDAYS[start : end + 1])
    return tuple(days)


_TIME_RANGE_RE: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class TimeRange:
    """A local time-of-day interval ``09:00-17:30``; ``24:00`` means the end of the day."""

    __slots__ = ("end_minute", "start_minute")

    def __init__(self, start_minute: int, end_minute: int) -> None:
        self.start_minute = start_minute
        self.end_minute = end_minute

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        match = _TIME_RANGE_RE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a time range like '09:00-17:30'")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
            raise ValueError(f"{text!r} has a time outside 00:00-24:00")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            raise ValueError(f"time range {text!r} ends before it starts")
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start_minute // 60:02d}:{self.start_minute % 60:02d}-" + (
            f"{self.end_minute // 60:02d}:{self.end_minute % 60:02d}"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimeRange):
            return NotImplemented
        return (self.start_minute, self.end_minute) == (other.start_minute, other.end_minute)

    def __hash__(self) -> int:
        return hash((self.start_minute, self.end_minute))

    def __repr__(self) -> str:
        return f"TimeRange({self})"


_RANGE_HINT: Final = "write 'HH:MM-HH:MM' in local time, e.g. '09:00-17:30'"
_INVERTED_HINT: Final = (
    "put the earlier time first; for hours past midnight, end the range at 24:00 and "
    "continue on the next day"
)


def _time_range(value: object, at: tuple[str | int, ...] = ()) -> TimeRange:
    if isinstance(value, TimeRange):
        return value
    if not isinstance(value, str):
        raise problem(
            "time_range",
            f"expected a time range like '09:00-17:30', got {value!r}",
            _RANGE_HINT,
            at,
        )
    try:
        return TimeRange.parse(value)
    except ValueError as exc:
        hint = _INVERTED_HINT if "ends before it starts" in str(exc) else _RANGE_HINT
        raise problem("time_range", str(exc), hint, at) from None


TimeRangeField = Annotated[
    TimeRange,
    PlainValidator(_time_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"}),
]


def _time_zone(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise problem(
            "time_zone", f"expected an IANA time zone such as 'Europe/Berlin', got {value!r}"
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        zones = sorted(available_timezones())
        close = [zone for zone in zones if zone.lower() == value.lower()]
        # Guess only among Area/City names: an abbreviation such as 'CEST' is close in
        # spelling to 'EST', seven hours away, so a guess there would mislead.
        regions = [zone for zone in zones if "/" in zone]
        close = close or difflib.get_close_matches(value, regions, n=1, cutoff=0.8)
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name, e.g. 'Europe/Berlin'"
        raise problem("time_zone", f"unknown time zone {value!r}", hint) from None
    return value


TimeZoneField = Annotated[
    str,
    PlainValidator(_time_zone),
    WithJsonSchema({"type": "string", "description": "IANA time zone, e.g. 'Europe/Berlin'."}),
]


_DAYS_HINT: Final = "name days mon … sun, ranges like 'mon-fri', or weekdays, weekends, daily"


def _working_hours(value: object) -> dict[str, list[TimeRange]]:
    if not isinstance(value, dict):
        raise problem(
            "hours",
            f"working hours are a mapping of days to time ranges, got {value!r}",
            "write e.g. hours: {mon-fri: ['09:00-17:00']}",
        )
    by_day: dict[str, list[tuple[TimeRange, tuple[str | int, ...]]]] = {}
    for key, ranges in value.items():
        try:
            days = expand_days(str(key))
        except ValueError as exc:
            raise problem("hours", str(exc), _DAYS_HINT, (str(key),)) from None
        parsed = _day_ranges(str(key), ranges)
        for day in days:
            if day in by_day:
                raise problem(
                    "hours",
                    f"{day} is given twice in the working hours (again in {key!r})",
                    "give each day once; list several windows of one day together",
                    (str(key),),
                )
            by_day[day] = sorted(parsed, key=lambda pair: pair[0].start_minute)
    for day, day_ranges in by_day.items():
        for (earlier, _), (later, at) in itertools.pairwise(day_ranges):
            if later.start_minute < earlier.end_minute:
                raise problem(
                    "hours",
                    f"working hours on {day} overlap: {earlier} and {later}",
                    "list separate windows that do not overlap, e.g. '09:00-12:30', '13:30-18:00'",
                    at,
                )
    return {day: [item for item, _ in by_day[day]] for day in WEEKDAYS if day in by_day}


def _day_ranges(key: str, ranges: object) -> list[tuple[TimeRange, tuple[str | int, ...]]]:
    """The time ranges written under one day key, each with where it is written."""
    if not isinstance(ranges, list):
        return [(_time_range(ranges, (key,)), (key,))]
    return [(_time_range(item, (key, index)), (key, index)) for index, item in enumerate(ranges)]


def _show_hours(hours: dict[str, list[TimeRange]]) -> dict[str, list[str]]:
    return {day: [str(item) for item in ranges] for day, ranges in hours.items()}


WorkingHours = Annotated[
    dict[str, list[TimeRange]],
    PlainValidator(_working_hours),
    PlainSerializer(_show_hours),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Days ('mon', 'mon-fri', 'weekdays', 'daily') to local time ranges.",
            "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
            },
        }
    ),
]


class Holidays(Spec):
    """Days that are not working days: a country's public holidays and explicit dates."""

    country: str | None = Field(
        default=None, description="ISO 3166 country code whose public holidays apply, e.g. 'DE'."
    )
    subdivision: str | None = Field(
        default=None, description="Region within the country, e.g. 'BY' for Bavaria."
    )
    dates: list[dt.date] = Field(default_factory=list, description="Additional closed dates.")

    @model_validator(mode="after")
    def _known_region(self) -> Holidays:
        if self.subdivision is not None and self.country is None:
            raise problem(
                "holidays",
                f"subdivision {self.subdivision!r} needs a country",
                "add e.g. country: DE",
                ("subdivision",),
            )
        if self.country is None:
            return self
        supported = holiday_data.list_supported_countries()
        if self.country not in supported:
            raise problem(
                "holidays",
                f"unknown holiday country {self.country!r}",
                _guess(self.country, list(supported))
                or "use an ISO 3166 alpha-2 code such as 'DE', 'US', 'GB'",
                ("country",),
            )
        subdivisions = list(supported[self.country])
        if self.subdivision is not None and self.subdivision not in subdivisions:
            known = ", ".join(subdivisions[:20]) + (" …" if len(subdivisions) > 20 else "")
            raise problem(
                "holidays",
                f"unknown subdivision {self.subdivision!r} of {self.country}",
                _guess(self.subdivision, subdivisions)
                or (f"subdivisions of {self.country}: {known}" if known else "remove it"),
                ("subdivision",),
            )
        return self


def _guess(value: str, known: list[str]) -> str:
    """'did you mean …?' for a code written in the wrong case."""
    close = [code for code in known if code.lower() == value.lower()]
    return f"did you mean {close[0]!r}?" if close else ""


class Calendar(Spec):
    """Business hours in a time zone, minus holidays: the clock of duration objectives."""

    id: Identifier = Field(description=f"Identifier; '{ALWAYS}' is built in and always open.")
    name: str | None = Field(default=None, description="Human name, e.g. 'Berlin office hours'.")
    timezone: TimeZoneField = Field(description="IANA time zone of the working hours.")
    hours: WorkingHours = Field(
        description="Working windows per day; several per day are allowed (e.g. a lunch break)."
    )
    holidays: Holidays = Field(default_factory=Holidays, description="Closed days.")


class DateRange(Spec):
    """A closed range of local dates."""

    start: dt.date = Field(alias="from", description="First date, inclusive.")
    end: dt.date = Field(alias="to", description="Last date, inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise problem(
                "date_range",
                f"the range ends ({self.end}) before it starts ({self.start})",
                "swap 'from' and 'to', or correct the date",
                ("to",),
            )
        return self


class PeakPeriod(Spec):
    """Times of higher load when an objective may be measured separately or more strictly."""

    id: Identifier = Field(description="Identifier used by objectives ('during').")
    name: str | None = Field(default=None, description="Human name, e.g. 'Black Friday week'.")
    timezone: TimeZoneField = Field(description="Time zone of the dates and hours.")
    dates: list[DateRange] = Field(
        default_factory=list, description="Date ranges of the period; empty means every day."
    )
    hours: WorkingHours | None = Field(
        default=None, description="Daily hours of the period; absent means all day."
    )

    def covers(self, day: dt.date) -> bool:
        """Whether the period touches a local date: one of its dates, on a day with hours."""
        in_dates = not self.dates or any(r.start <= day <= r.end for r in self.dates)
        return in_dates and (self.hours is None or bool(self.hours.get(WEEKDAYS[day.weekday()])))

    @model_validator(mode="after")
    def _not_empty(self) -> PeakPeriod:
        if not self.dates and self.hours is None:
            raise problem(
                "peak_period",
                f"peak period {self.id!r} needs 'dates', 'hours' or both",
                "add e.g. dates: [{from: 2026-11-27, to: 2026-11-30}]",
            )
        ordered = sorted(enumerate(self.dates), key=lambda pair: pair[1].start)
        for (_, earlier), (index, later) in itertools.pairwise(ordered):
            if later.start <= earlier.end:
                raise problem(
                    "peak_period",
                    f"date range {later.start}..{later.end} overlaps "
                    f"{earlier.start}..{earlier.end}",
                    "merge overlapping ranges into one, or make them end before the next starts",
                    ("dates", index),
                )
        return self
