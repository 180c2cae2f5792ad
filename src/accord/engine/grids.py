"""How a window is cut into units for kinds judged unit by unit.

Two grids exist. ``Slices`` cuts the window into slices of a fixed length from its start
(time slices of a minute, hours of throughput); the last slice may be shorter, and during a
peak period a slice counts when it starts inside the peak (all its rows then count).
``LocalDays`` cuts it into the local days of the agreement's time zone, 23 or 25 hours long
on a daylight-saving change; during a peak period a day counts when the peak touches it, and
only its rows at peak instants count.

Either way a unit that overlaps an excluded period is left out whole (events and all), and
units are numbered from 0 at the window's start, so a statement groups rows by ``number``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlglot import exp

from accord.core.calendars.spec import PeakPeriod
from accord.core.periods import WindowSpan
from accord.engine.connection import Connection
from accord.engine.local_time import (
    local_day,
    local_day_of_epoch,
    peak_condition,
    slices_nest_in_days,
)
from accord.engine.rows import Interval, Restrictions
from accord.engine.sql import (
    any_of,
    call,
    count,
    epoch_micros,
    instant,
    microseconds,
    number,
    render,
    typed,
)

__all__ = ["Grid", "LocalDays", "Slices"]


class Grid(Protocol):
    """A way of cutting a window into numbered units."""

    #: Whether the units' rows are those at peak instants (True) or every row of a unit
    #: that counts during the peak (False: the unit is chosen by its start).
    rows_at_peak: bool

    def number(self, timestamp: exp.Expr, span: WindowSpan, timezone: str) -> exp.Expr:
        """The number of the unit a row's instant falls in (0 for the window's first)."""
        ...

    def day(self, unit: exp.Expr, span: WindowSpan, timezone: str) -> exp.Expr:
        """The local day number (days since 1970-01-01 in ``timezone``) a unit starts in."""
        ...

    def nests_in_days(self, span: WindowSpan, timezone: str) -> bool:
        """Whether every unit lies within one local day (so a unit's day is its rows')."""
        ...

    def excluded_ranges(
        self, intervals: Sequence[Interval], span: WindowSpan, timezone: str
    ) -> list[tuple[int, int]]:
        """Half-open ranges of unit numbers whose unit overlaps an excluded interval."""
        ...

    def outside_peak(
        self, unit: exp.Expr, span: WindowSpan, peak: PeakPeriod, timezone: str
    ) -> exp.Expr:
        """True for units that do not count during the peak period."""
        ...

    def totals(
        self,
        con: Connection,
        span: WindowSpan,
        intervals: Sequence[Interval],
        restrictions: Restrictions,
    ) -> tuple[int, int]:
        """The units counted in the span (during a peak: those counting in it), and how
        many of them an interval leaves out."""
        ...

    def units_in(self, span: WindowSpan, timezone: str) -> int:
        """How many units the span is cut into (numbered 0 to this, exclusive)."""
        ...

    def bounds(self, unit: exp.Expr, span: WindowSpan, timezone: str) -> tuple[exp.Expr, exp.Expr]:
        """The instants (``TIMESTAMPTZ``) a unit starts and ends at (the last one ends with
        the span)."""
        ...


@dataclass(frozen=True)
class Slices:
    """Slices of ``seconds`` from the window's start; a last, shorter slice counts as one."""

    seconds: int
    rows_at_peak = False

    def number(self, timestamp: exp.Expr, span: WindowSpan, timezone: str) -> exp.Expr:
        del timezone
        offset = exp.Sub(
            this=epoch_micros(timestamp.copy()), expression=epoch_micros(span.start_at)
        )
        return exp.Paren(
            this=exp.IntDiv(this=exp.Paren(this=offset), expression=number(self._micros()))
        )

    def day(self, unit: exp.Expr, span: WindowSpan, timezone: str) -> exp.Expr:
        start = self._start_seconds(unit, span)
        return local_day_of_epoch(start, timezone, span)

    def nests_in_days(self, span: WindowSpan, timezone: str) -> bool:
        return slices_nest_in_days(span, self.seconds, timezone)

    def count(self, span: WindowSpan) -> int:
        """Slices that start before the span's end."""
        return -(-microseconds(span.end_at - span.start_at) // self._micros())

    def units_in(self, span: WindowSpan, timezone: str) -> int:
        del timezone
        return self.count(span)

    def bounds(self, unit: exp.Expr, span: WindowSpan, timezone: str) -> tuple[exp.Expr, exp.Expr]:
        del timezone
        start = self._start_seconds(unit, span)
        end = exp.Add(this=start.copy(), expression=number(self.seconds))
        ends = call("least", call("to_timestamp", end), instant(span.end_at))
        return call("to_timestamp", start), ends

    def excluded_ranges(
        self, intervals: Sequence[Interval], span: WindowSpan, timezone: str
    ) -> list[tuple[int, int]]:
        del timezone
        size = self._micros()
        total = self.count(span)
        ranges = []
        for interval in intervals:
            first = max(microseconds(interval.start_at - span.start_at) // size, 0)
            last = min(-(-microseconds(interval.end_at - span.start_at) // size), total)
            if first < last:
                ranges.append((first, last))
        return ranges

    def outside_peak(
        self, unit: exp.Expr, span: WindowSpan, peak: PeakPeriod, timezone: str
    ) -> exp.Expr:
        del timezone
        starts = call("to_timestamp", self._start_seconds(unit, span))
        return exp.Not(this=exp.Paren(this=peak_condition(peak, starts)))

    def totals(
        self,
        con: Connection,
        span: WindowSpan,
        intervals: Sequence[Interval],
        restrictions: Restrictions,
    ) -> tuple[int, int]:
        ranges = self.excluded_ranges(intervals, span, restrictions.timezone)
        peak = restrictions.peak
        if peak is None:
            covered: set[int] = set()
            for first, last in ranges:
                covered.update(range(first, last))
            return self.count(span), len(covered)
        # Slices whose start lies in the peak period: outside it there is no slice to count.
        k = exp.column("k")
        excluded = any_of(
            exp.Paren(
                this=exp.and_(
                    exp.GTE(this=k.copy(), expression=number(first)),
                    exp.LT(this=k.copy(), expression=number(last)),
                )
            )
            for first, last in ranges
        )
        starts = call("to_timestamp", self._start_seconds(k, span))
        query = (
            exp.select(count(), count(excluded if excluded is not None else exp.false()))
            .from_(
                exp.Table(
                    this=exp.Anonymous(this="range", expressions=[number(self.count(span))]),
                    alias=exp.TableAlias(
                        this=exp.to_identifier("slices"), columns=[exp.to_identifier("k")]
                    ),
                )
            )
            .where(peak_condition(peak, starts))
        )
        found = con.execute(render(query)).fetchone()
        assert found is not None
        return int(found[0]), int(found[1])

    def _micros(self) -> int:
        return self.seconds * 1_000_000

    def _start_seconds(self, unit: exp.Expr, span: WindowSpan) -> exp.Expr:
        """The epoch second a unit starts at."""
        return exp.Paren(
            this=exp.Add(
                this=number(int(span.start_at.timestamp())),
                expression=exp.Mul(this=unit.copy(), expression=number(self.seconds)),
            )
        )


@dataclass(frozen=True)
class LocalDays:
    """The local days of the agreement's time zone, whatever their length."""

    rows_at_peak = True

    def number(self, timestamp: exp.Expr, span: WindowSpan, timezone: str) -> exp.Expr:
        first = self._first(span, timezone)
        return exp.Sub(this=local_day(timestamp, timezone, span), expression=number(first))

    def day(self, unit: exp.Expr, span: WindowSpan, timezone: str) -> exp.Expr:
        return exp.Add(this=unit.copy(), expression=number(self._first(span, timezone)))

    def nests_in_days(self, span: WindowSpan, timezone: str) -> bool:
        return True

    def dates(self, span: WindowSpan, timezone: str) -> list[dt.date]:
        """The local dates the span touches, in order."""
        if span.end_at <= span.start_at:
            return []
        zone = ZoneInfo(timezone)
        first = span.start_at.astimezone(zone).date()
        last = (span.end_at - dt.timedelta(microseconds=1)).astimezone(zone).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def units_in(self, span: WindowSpan, timezone: str) -> int:
        return len(self.dates(span, timezone))

    def bounds(self, unit: exp.Expr, span: WindowSpan, timezone: str) -> tuple[exp.Expr, exp.Expr]:
        """Local midnights, looked up by the unit's number in the list of the span's (a day
        is 23 or 25 hours long on a daylight-saving change), clipped to the span."""
        zone = ZoneInfo(timezone)
        dates = self.dates(span, timezone)
        nights = [dt.datetime.combine(d, dt.time(), zone) for d in dates]
        nights.append(dt.datetime.combine(dates[-1] + dt.timedelta(days=1), dt.time(), zone))
        epochs = exp.Array(expressions=[number(int(at.timestamp())) for at in nights])

        def night(offset: int) -> exp.Expr:
            index = typed(exp.Add(this=unit.copy(), expression=number(offset)), "BIGINT")
            return call("to_timestamp", call("list_extract", epochs.copy(), index))

        start = call("greatest", night(1), instant(span.start_at))
        return start, call("least", night(2), instant(span.end_at))

    def excluded_ranges(
        self, intervals: Sequence[Interval], span: WindowSpan, timezone: str
    ) -> list[tuple[int, int]]:
        zone = ZoneInfo(timezone)
        dates = self.dates(span, timezone)
        if not dates:
            return []
        ranges = []
        for interval in intervals:
            start = max(interval.start_at, span.start_at)
            end = min(interval.end_at, span.end_at)
            if start < end:
                first = (start.astimezone(zone).date() - dates[0]).days
                last = (
                    (end - dt.timedelta(microseconds=1)).astimezone(zone).date() - dates[0]
                ).days
                ranges.append((first, last + 1))
        return ranges

    def outside_peak(
        self, unit: exp.Expr, span: WindowSpan, peak: PeakPeriod, timezone: str
    ) -> exp.Expr:
        touched = [
            number(index)
            for index, date in enumerate(self.dates(span, timezone))
            if peak.covers(date)
        ]
        if not touched:
            return exp.true()
        return exp.Not(this=exp.In(this=unit.copy(), expressions=touched))

    def totals(
        self,
        con: Connection,
        span: WindowSpan,
        intervals: Sequence[Interval],
        restrictions: Restrictions,
    ) -> tuple[int, int]:
        del con  # the days are known in Python
        dates = self.dates(span, restrictions.timezone)
        covered: set[int] = set()
        for first, last in self.excluded_ranges(intervals, span, restrictions.timezone):
            covered.update(range(first, last))
        peak = restrictions.peak
        counted = [i for i, date in enumerate(dates) if peak is None or peak.covers(date)]
        return len(counted), len(covered.intersection(counted))

    def _first(self, span: WindowSpan, timezone: str) -> int:
        zone = ZoneInfo(timezone)
        return (span.start_at.astimezone(zone).date() - dt.date(1970, 1, 1)).days
