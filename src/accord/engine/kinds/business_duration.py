"""Business duration: ticket clocks on a business calendar (first response, resolution).

A ticket belongs to the window in which its clock starts (the source's timestamp). Its
business time runs from the indicator's ``start`` to ``end`` column on the indicator's
calendar, minus pauses from the status-change source; a ticket still open is measured up
to the evaluation instant. For ``within``, an open ticket already past the threshold is
late (``unfinished: count_as_late``) or left out (``exclude``); an open ticket still inside
the threshold is pending and not judged yet. The other statistics use finished tickets
only. All of it is one statement per objective and window (``accord.engine.business_time``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar, Final

from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar
from accord.core.model.measurement import BusinessDurationIndicator, Source
from accord.core.units import format_decimal
from accord.core.verdicts import WorkingTime
from accord.engine.business_time import business_durations, pause_intervals, register_schedule
from accord.engine.connection import Connection
from accord.engine.kinds.base import Aggregate, Count, Plan, Reading, Setting, Statistic, Values
from accord.engine.kinds.readings import elapsed_reading, share
from accord.engine.rows import INCLUDED, source_table
from accord.engine.sql import call, column, instant, microseconds, number, render

__all__ = ["KIND", "BusinessDuration", "TicketClock"]

_MARGIN: Final = dt.timedelta(days=2)
_TICKETS: Final = "t"


class TicketClock:
    """The calendar, working schedule and joined rows of one business-duration indicator."""

    rows_alias: ClassVar[str] = _TICKETS

    def __init__(self, indicator: BusinessDurationIndicator, setting: Setting) -> None:
        self.indicator = indicator
        self.source = setting.source
        agreement = setting.agreement
        spec = next((c for c in agreement.calendars if c.id == indicator.calendar), None)
        self.calendar = BusinessCalendar.from_spec(spec)
        self.schedule = f"schedule_{indicator.id}"
        pauses = indicator.pauses
        self.pause_source: Source | None = next(
            (s for s in agreement.sources if pauses and s.id == pauses.source), None
        )
        self._registered = False

    def working_time(self) -> WorkingTime:
        return WorkingTime(self.indicator.calendar, Decimal(self.calendar.business_day_seconds()))

    def threshold_seconds(self) -> float:
        assert self.indicator.threshold is not None
        return self.calendar.target_time(self.indicator.threshold).total_seconds()

    def threshold_micros(self) -> int:
        """The threshold in whole microseconds of business time, as ``business_us`` counts."""
        assert self.indicator.threshold is not None
        return microseconds(self.calendar.target_time(self.indicator.threshold))

    def prepare(self, con: Connection, as_of: dt.datetime) -> None:
        """Create the working schedule covering every ticket of the source, once."""
        if self._registered:
            return
        start, end = column(self.indicator.start), column(self.indicator.end)
        earliest = call("least", start, exp.Coalesce(this=end.copy(), expressions=[start.copy()]))
        bounds = exp.select(call("min", earliest), call("max", end)).from_(
            source_table(self.source.id)
        )
        row = con.execute(render(bounds)).fetchone()
        low = row[0] if row and row[0] is not None else as_of
        high = max(row[1], as_of) if row and row[1] is not None else as_of
        register_schedule(
            con, self.calendar, low - _MARGIN, high + _MARGIN + self._due_reach(), self.schedule
        )
        self._registered = True

    def _due_reach(self) -> dt.timedelta:
        """How far past the last instant the schedule must reach for an open ticket's due
        instant (drill-down): twice the threshold's working days in calendar days, plus two
        weeks for holidays."""
        if self.indicator.threshold is None:
            return dt.timedelta(0)
        days = self.threshold_seconds() / max(self.calendar.business_day_seconds(), 1)
        return dt.timedelta(days=2 * math.ceil(days) + 14)

    def tickets(self, rows: exp.Select) -> exp.Expr:
        """The window's tickets (key, start_at, end_at) with their columns and ``__in``."""
        key = column(self.source.key) if self.source.key else exp.Window(this=call("row_number"))
        return (
            exp.select(
                exp.alias_(key, "key"),
                exp.alias_(column(self.indicator.start), "start_at"),
                exp.alias_(column(self.indicator.end), "end_at"),
                exp.Star(),
            )
            .from_(rows.subquery("window_rows"))
            .subquery()
        )

    def pauses(self, tickets: exp.Expr) -> exp.Expr | None:
        pauses, source = self.indicator.pauses, self.pause_source
        if pauses is None or source is None or source.key is None:
            return None
        changes = exp.select(
            exp.alias_(column(source.key), "key"),
            exp.alias_(column(source.timestamp), "changed_at"),
            exp.alias_(column(pauses.status), "status"),
        ).from_(source_table(source.id))
        return pause_intervals(tickets, changes.subquery(), pauses.states).subquery()

    def joined(self, rows: exp.Select, as_of: dt.datetime) -> exp.Select:
        """The tickets ``t`` joined to their business durations ``d``."""
        tickets = self.tickets(rows)
        durations = business_durations(tickets, self.schedule, instant(as_of), self.pauses(tickets))
        return (
            exp.select()
            .from_(exp.alias_(tickets, _TICKETS, table=True))
            .join(
                durations.subquery("d"),
                on=exp.EQ(this=column("key", "d"), expression=column("key", _TICKETS)),
            )
        )


def _of_tickets(name: str) -> exp.Column:
    return exp.column(name, table=_TICKETS)


class BusinessDuration:
    def plan(self, indicator: BusinessDurationIndicator, setting: Setting) -> Plan:
        clock = TicketClock(indicator, setting)
        aggregates = (
            _within(indicator, clock) if indicator.statistic == "within" else _statistic(indicator)
        )
        return Plan(
            aggregates=aggregates,
            read=_reader(indicator),
            clock=clock,
            reads=(clock.pause_source,) if clock.pause_source else (),
        )


def _counted(*conditions: exp.Expr) -> Count:
    """Tickets meeting the conditions among those that count (``t.__in``)."""
    return Count(exp.and_(_of_tickets(INCLUDED), *conditions))


def _within(indicator: BusinessDurationIndicator, clock: TicketClock) -> dict[str, Aggregate]:
    done = exp.Not(this=exp.Is(this=_of_tickets("end_at"), expression=exp.Null()))
    seconds = exp.column("business_us", table="d")
    limit = number(clock.threshold_micros())
    overdue = exp.and_(
        exp.Not(this=exp.Paren(this=done.copy())),
        exp.GT(this=seconds.copy(), expression=limit.copy()),
    )
    counted = (
        exp.Paren(this=exp.or_(done.copy(), exp.Paren(this=overdue.copy())))
        if indicator.unfinished == "count_as_late"
        else done.copy()
    )
    return {
        "valid": _counted(counted),
        "good": _counted(done.copy(), exp.LTE(this=seconds.copy(), expression=limit.copy())),
        "open": _counted(
            exp.Not(this=exp.Paren(this=done.copy())),
            exp.Not(this=exp.Paren(this=overdue.copy())),
        ),
        "overdue": _counted(overdue),
    }


def _statistic(indicator: BusinessDurationIndicator) -> dict[str, Aggregate]:
    """The finished tickets' business time in whole microseconds (``d.business_us``): their
    sum for the mean, their median, or the percentile (``quantile_disc``: one ticket's own
    time, an integer); ``elapsed_reading`` divides once, in decimal. An average of seconds
    as DOUBLE is off in the last digits."""
    done = exp.Not(this=exp.Is(this=_of_tickets("end_at"), expression=exp.Null()))
    micros = exp.column("business_us", table="d")
    if indicator.statistic == "mean":
        function = call("sum", micros)
    elif indicator.statistic == "median":
        function = call("median", micros)
    else:
        fraction = number((indicator.percentile or Decimal(50)) / 100)
        function = call("quantile_disc", micros, fraction)
    return {
        "valid": _counted(done.copy()),
        "micros": Statistic(function, exp.and_(_of_tickets(INCLUDED), done.copy())),
        "open": _counted(exp.Not(this=exp.Paren(this=done.copy()))),
    }


def _reader(indicator: BusinessDurationIndicator) -> ReadTickets:
    if indicator.statistic == "within":
        return ReadTickets(indicator, share)
    label: str = indicator.statistic
    if indicator.statistic == "percentile" and indicator.percentile is not None:
        label = f"p{format_decimal(indicator.percentile)}"
    read = elapsed_reading(indicator.statistic, f"{label} of {{:,}} values", "no values")
    return ReadTickets(indicator, read)


class ReadTickets:
    """The reading of the tickets' value, with their open and overdue counts and notes."""

    def __init__(
        self, indicator: BusinessDurationIndicator, value: Callable[[Values], Reading]
    ) -> None:
        self.indicator = indicator
        self.value = value

    def __call__(self, values: Values) -> Reading:
        reading = self.value(values)
        counts = dict(reading.counts)
        counts["open"] = values.count("open")
        if self.indicator.statistic == "within":
            counts["overdue"] = values.count("overdue")
        return Reading(reading.value, counts, reading.computation, notes=self._notes(counts))

    def _notes(self, counts: dict[str, int]) -> tuple[str, ...]:
        notes = []
        if counts.get("overdue"):
            late = self.indicator.unfinished == "count_as_late"
            rule = "counted as late" if late else "left out"
            notes.append(f"{counts['overdue']:,} open ticket(s) already past the threshold, {rule}")
        if counts.get("open"):
            notes.append(f"{counts['open']:,} ticket(s) still open and not yet judged")
        return tuple(notes)


KIND = BusinessDuration()
