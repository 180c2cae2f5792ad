"""Calendars: how business hours, holidays and peak periods are written (``spec``), and the
business-hours clock that measures time and deadlines on them (``clock``)."""

from accord.core.calendars.clock import BusinessCalendar, CalendarError, Interval
from accord.core.calendars.spec import (
    ALWAYS,
    WEEKDAYS,
    Calendar,
    DateRange,
    Holidays,
    PeakPeriod,
    TimeRange,
    TimeRangeField,
    TimeZoneField,
    expand_days,
)

__all__ = [
    "ALWAYS",
    "WEEKDAYS",
    "BusinessCalendar",
    "Calendar",
    "CalendarError",
    "DateRange",
    "Holidays",
    "Interval",
    "PeakPeriod",
    "TimeRange",
    "TimeRangeField",
    "TimeZoneField",
    "expand_days",
]
