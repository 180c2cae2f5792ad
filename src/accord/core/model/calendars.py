"""Calendars (working hours, time zone, holidays) and peak periods, as written in an agreement.

The arithmetic over calendars (business time between two instants, deadlines) lives in
``accord.core.calendar``; this module only describes and checks them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays as holiday_data
from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from accord.core.model.fields import Identifier, Spec, problem

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


def _time_range(value: object) -> TimeRange:
    if isinstance(value, TimeRange):
        return value
    if not isinstance(value, str):
        raise problem("time_range", f"expected a time range like '09:00-17:30', got {value!r}")
    try:
        return TimeRange.parse(value)
    except ValueError as exc:
        raise problem("time_range", str(exc), "write 'HH:MM-HH:MM' in local time") from None


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
        close = sorted(zone for zone in available_timezones() if zone.lower() == value.lower())
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name, e.g. 'Europe/Berlin'"
        raise problem("time_zone", f"unknown time zone {value!r}", hint) from None
    return value


TimeZoneField = Annotated[
    str,
    PlainValidator(_time_zone),
    WithJsonSchema({"type": "string", "description": "IANA time zone, e.g. 'Europe/Berlin'."}),
]


def _working_hours(value: object) -> dict[str, list[TimeRange]]:
    if not isinstance(value, dict):
        raise problem("hours", "working hours are a mapping of days to time ranges")
    by_day: dict[str, list[TimeRange]] = {}
    for key, ranges in value.items():
        try:
            days = expand_days(str(key))
        except ValueError as exc:
            raise problem("hours", str(exc)) from None
        items = ranges if isinstance(ranges, list) else [ranges]
        parsed = [_time_range(item) for item in items]
        for day in days:
            if day in by_day:
                raise problem("hours", f"{day} is given twice in the working hours")
            by_day[day] = sorted(parsed, key=lambda r: r.start_minute)
    for day, day_ranges in by_day.items():
        for earlier, later in itertools.pairwise(day_ranges):
            if later.start_minute < earlier.end_minute:
                raise problem(
                    "hours",
                    f"working hours on {day} overlap: {earlier} and {later}",
                    "list separate windows that do not overlap, e.g. '09:00-12:30', '13:30-18:00'",
                )
    return {day: by_day[day] for day in WEEKDAYS if day in by_day}


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
            raise problem("holidays", "a subdivision needs a country", "add e.g. country: DE")
        if self.country is None:
            return self
        supported = holiday_data.list_supported_countries()
        if self.country not in supported:
            raise problem(
                "holidays",
                f"unknown holiday country {self.country!r}",
                "use an ISO 3166 alpha-2 code such as 'DE', 'US', 'GB'",
            )
        if self.subdivision is not None and self.subdivision not in supported[self.country]:
            known = ", ".join(supported[self.country][:12])
            raise problem(
                "holidays",
                f"unknown subdivision {self.subdivision!r} of {self.country}",
                f"known subdivisions include {known}",
            )
        return self


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
                "date_range", f"the range ends ({self.end}) before it starts ({self.start})"
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

    @model_validator(mode="after")
    def _not_empty(self) -> PeakPeriod:
        if not self.dates and self.hours is None:
            raise problem("peak_period", "a peak period needs 'dates', 'hours' or both")
        ordered = sorted(self.dates, key=lambda r: r.start)
        for earlier, later in itertools.pairwise(ordered):
            if later.start <= earlier.end:
                raise problem(
                    "peak_period",
                    f"date ranges overlap: {earlier.start}..{earlier.end} and "
                    f"{later.start}..{later.end}",
                )
        return self
