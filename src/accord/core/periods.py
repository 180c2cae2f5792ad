"""Reporting periods and the windows an objective is judged over, cut in a time zone.

A *period* is what a user asks about (``2026-10``, ``2026-Q4``, ``2026-W44``, ``2026``,
``2026-10-15``). The windows of an objective inside a period are those of its own kind
(calendar month, week, quarter … or rolling N days) that end within the period; a window
still open at the period's end is included and marked open. Rolling windows are judged
once, ending at the period's end.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.model.objectives import Window, WindowKind

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "Period",
    "PeriodError",
    "WindowSpan",
    "check_instant",
    "parse_period",
    "previous_windows",
    "windows_in_period",
]


#: The years periods and evaluation instants may fall in: far enough from the ends of the
#: calendar that the windows around them (rolling, previous, chronic) stay inside it.
FIRST_YEAR: Final = 1970
LAST_YEAR: Final = 2999


class PeriodError(ValueError):
    """A period label that is not one of the accepted forms, or outside the supported years."""


def check_instant(at: dt.datetime, what: str = "the instant") -> None:
    """Raise ``PeriodError`` unless ``at`` falls in the supported years."""
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        raise PeriodError(
            f"{what} {at.isoformat()} is outside the supported years {FIRST_YEAR}–{LAST_YEAR}"
        )


@dataclass(frozen=True)
class WindowSpan:
    """One window: a label and its half-open UTC interval [start_at, end_at)."""

    label: str
    start_at: dt.datetime
    end_at: dt.datetime

    @property
    def seconds(self) -> float:
        return (self.end_at - self.start_at).total_seconds()


@dataclass(frozen=True)
class Period:
    """The span a report covers, with its label."""

    label: str
    start_at: dt.datetime
    end_at: dt.datetime
    timezone: str


_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER: Final = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_WEEK: Final = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_YEAR: Final = re.compile(r"^(\d{4})$")
_DAY: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _utc(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Local midnight of ``day`` in ``zone``, as UTC."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _local_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First local date of the period and the first date after it."""
    if match := _MONTH.match(label):
        first = dt.date(int(match[1]), int(match[2]), 1)
        return first, _add_months(first, 1)
    if match := _QUARTER.match(label):
        first = dt.date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
        return first, _add_months(first, 3)
    if match := _WEEK.match(label):
        first = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return first, first + dt.timedelta(days=7)
    if match := _YEAR.match(label):
        return dt.date(int(match[1]), 1, 1), dt.date(int(match[1]) + 1, 1, 1)
    if match := _DAY.match(label):
        first = dt.date(int(match[1]), int(match[2]), int(match[3]))
        return first, first + dt.timedelta(days=1)
    raise PeriodError(label)


def parse_period(label: str, timezone: str) -> Period:
    """``2026-10`` → the month of October 2026 in ``timezone``; also quarters, ISO weeks,
    years and single days."""
    text = label.strip()
    if text[:4].isdigit() and not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
        raise PeriodError(f"{label!r} is outside the supported years {FIRST_YEAR}–{LAST_YEAR}")
    try:
        first, after = _local_bounds(text)
    except (PeriodError, ValueError):
        raise PeriodError(
            f"{label!r} is not a period; use 2026-10, 2026-Q4, 2026-W44, 2026 or 2026-10-15"
        ) from None
    zone = ZoneInfo(timezone)
    return Period(text.upper(), _utc(first, zone), _utc(after, zone), timezone)


def _calendar_start(day: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return day
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def _calendar_next(day: dt.date, unit: str) -> dt.date:
    steps = {"day": 1, "week": 7}
    if unit in steps:
        return day + dt.timedelta(days=steps[unit])
    return _add_months(day, {"month": 1, "quarter": 3, "year": 12}[unit])


def _calendar_label(day: dt.date, unit: str) -> str:
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{day.year}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def windows_in_period(window: Window, period: Period) -> list[WindowSpan]:
    """The windows of ``window``'s kind that end within the period (or are open at its end)."""
    zone = ZoneInfo(period.timezone)
    if window.kind is WindowKind.ROLLING:
        assert window.days is not None
        end_local = period.end_at.astimezone(zone).date()
        start_local = end_local - dt.timedelta(days=window.days)
        label = f"{start_local.isoformat()}..{(end_local - dt.timedelta(days=1)).isoformat()}"
        return [WindowSpan(label, _utc(start_local, zone), period.end_at)]
    assert window.unit is not None
    first_local = period.start_at.astimezone(zone).date()
    last_local = (period.end_at - dt.timedelta(microseconds=1)).astimezone(zone).date()
    day = _calendar_start(first_local, window.unit)
    spans: list[WindowSpan] = []
    while day <= last_local:
        after = _calendar_next(day, window.unit)
        start_at, end_at = _utc(day, zone), _utc(after, zone)
        if end_at > period.start_at:
            spans.append(WindowSpan(_calendar_label(day, window.unit), start_at, end_at))
        day = after
    return [span for span in spans if span.end_at > period.start_at]


def previous_windows(
    window: Window, span: WindowSpan, count: int, timezone: str
) -> list[WindowSpan]:
    """``count`` consecutive calendar windows ending with ``span`` (oldest first)."""
    if window.kind is WindowKind.ROLLING or window.unit is None:
        return [span]
    zone = ZoneInfo(timezone)
    day = span.start_at.astimezone(zone).date()
    spans = [span]
    for _ in range(count - 1):
        previous = _calendar_start(day - dt.timedelta(days=1), window.unit)
        spans.insert(
            0,
            WindowSpan(
                _calendar_label(previous, window.unit), _utc(previous, zone), _utc(day, zone)
            ),
        )
        day = previous
    return spans
