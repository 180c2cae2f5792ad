"""What a sample-data run is asked for, the months it covers, and what it wrote."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import duckdb

from accord.core.model import Agreement
from accord.core.model.measurement import Source

__all__ = [
    "Context",
    "Month",
    "Monthly",
    "SampleDataError",
    "SampleOptions",
    "Span",
    "WrittenFile",
    "monthly_value",
    "span_of",
]

#: One value per month, oldest first: May, June, July, August, September, October by default.
Monthly = tuple[float, ...]

_MONTH_LABEL: Final = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class SampleDataError(ValueError):
    """A request the generator cannot honour (bad month, unknown agreement, unwritable folder)."""


@dataclass(frozen=True)
class SampleOptions:
    """How much data to write, and which randomness.

    ``end`` is the last calendar month generated (``YYYY-MM``), in each agreement's time zone;
    ``months`` how many calendar months end with it. ``volume`` scales the number of events
    (requests, parcels, tickets); fixed-cadence data such as probes keeps its cadence.
    ``bad_rows`` adds the few deliberately malformed rows that show the quarantine.
    """

    seed: int = 1
    months: int = 6
    end: str = "2026-10"
    volume: float = 1.0
    bad_rows: bool = True

    def __post_init__(self) -> None:
        if not _MONTH_LABEL.match(self.end):
            raise SampleDataError(f"end month {self.end!r} is not of the form YYYY-MM")
        if not 1 <= self.months <= 36:
            raise SampleDataError(f"months must be 1 to 36, not {self.months}")
        if not 0 < self.volume <= 10:
            raise SampleDataError(f"volume must be above 0 and at most 10, not {self.volume}")


@dataclass(frozen=True)
class Month:
    """One generated calendar month; ``back`` counts months before the last (0 = the last)."""

    label: str
    back: int
    first_day: dt.date
    start_at: dt.datetime
    end_at: dt.datetime


@dataclass(frozen=True)
class Span:
    """The generated months of one agreement, cut in its time zone (UTC instants)."""

    timezone: str
    months: tuple[Month, ...]

    @property
    def start_at(self) -> dt.datetime:
        return self.months[0].start_at

    @property
    def end_at(self) -> dt.datetime:
        return self.months[-1].end_at

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def month(self, back: int) -> Month | None:
        """The month ``back`` months before the last, if it is generated."""
        index = len(self.months) - 1 - back
        return self.months[index] if 0 <= index < len(self.months) else None


def _shift(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def span_of(options: SampleOptions, timezone: str) -> Span:
    """The ``options.months`` calendar months ending with ``options.end``, in ``timezone``."""
    match = _MONTH_LABEL.match(options.end)
    assert match is not None
    last = dt.date(int(match[1]), int(match[2]), 1)
    zone = ZoneInfo(timezone)
    months = []
    for back in range(options.months - 1, -1, -1):
        first = _shift(last, -back)
        months.append(
            Month(
                label=f"{first.year:04d}-{first.month:02d}",
                back=back,
                first_day=first,
                start_at=_midnight(first, zone),
                end_at=_midnight(_shift(first, 1), zone),
            )
        )
    return Span(timezone, tuple(months))


def monthly_value(values: Monthly, back: int) -> float:
    """The value for the month ``back`` months before the last one."""
    return values[max(len(values) - 1 - back, 0)]


@dataclass(frozen=True)
class WrittenFile:
    """One file written for a source, relative to the output folder, with its row count."""

    agreement: str
    source: str
    path: Path
    rows: int


@dataclass(frozen=True)
class Context:
    """What a generator works with: a DuckDB session, the agreement, its months, the options."""

    con: duckdb.DuckDBPyConnection
    agreement: Agreement
    span: Span
    options: SampleOptions

    def source(self, source_id: str) -> Source:
        """The agreement's source ``source_id``; generators name the sources they fill."""
        for source in self.agreement.sources:
            if source.id == source_id:
                return source
        raise SampleDataError(
            f"agreement {self.agreement.metadata.id!r} has no source {source_id!r}"
        )
