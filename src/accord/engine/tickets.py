"""Business-duration indicators: ticket clocks on a business calendar, per scope.

A ticket belongs to the window in which its clock starts (the source's timestamp). Its
business time runs from the indicator's ``start`` to ``end`` column on the indicator's
calendar, minus pauses from the status-change source; a ticket still open is measured up
to the evaluation instant. For ``within``, an open ticket already past the threshold is
late (``unfinished: count_as_late``) or left out (``exclude``); an open ticket still inside
the threshold is pending and not judged yet. The other statistics use finished tickets
only. All of it is one DuckDB query per objective and window.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from accord.core.calendars.clock import BusinessCalendar
from accord.core.model import Agreement
from accord.core.model.measurement import BusinessDurationIndicator, Source
from accord.core.periods import WindowSpan
from accord.engine.business_time import (
    business_durations_sql,
    pause_intervals_sql,
    register_schedule,
)
from accord.engine.sources import quote, source_table

__all__ = ["TicketClock"]

_MARGIN = dt.timedelta(days=2)


class TicketClock:
    """The calendar, schedule and SQL of one business-duration indicator."""

    def __init__(
        self, agreement: Agreement, indicator: BusinessDurationIndicator, source: Source
    ) -> None:
        self.indicator = indicator
        self.source = source
        spec = next((c for c in agreement.calendars if c.id == indicator.calendar), None)
        self.calendar = BusinessCalendar.from_spec(spec)
        self.schedule = f"schedule_{indicator.id.replace('-', '_')}"
        self.pause_source = next(
            (s for s in agreement.sources if indicator.pauses and s.id == indicator.pauses.source),
            None,
        )
        self._registered = False

    def business_day_seconds(self) -> Decimal:
        return Decimal(self.calendar.business_day_seconds())

    def threshold_seconds(self) -> float:
        assert self.indicator.threshold is not None
        return self.calendar.target_time(self.indicator.threshold).total_seconds()

    def register(self, con: duckdb.DuckDBPyConnection, as_of: dt.datetime) -> None:
        """Create the working schedule covering every ticket of the source, once."""
        if self._registered:
            return
        start, end = quote(self.indicator.start), quote(self.indicator.end)
        row = con.execute(
            f"SELECT min(least({start}, coalesce({end}, {start}))), max({end}) "
            f"FROM {source_table(self.source.id)}"
        ).fetchone()
        low = row[0] if row and row[0] is not None else as_of
        high = max(row[1], as_of) if row and row[1] is not None else as_of
        register_schedule(con, self.calendar, low - _MARGIN, high + _MARGIN, self.schedule)
        self._registered = True

    def tickets_sql(self, rows_sql: str) -> str:
        """Tickets of the window (key, start_at, end_at) plus scope columns and ``__in``."""
        key = quote(self.source.key) if self.source.key else "row_number() OVER ()"
        return (
            f"(SELECT {key} AS key, {quote(self.indicator.start)} AS start_at, "
            f"{quote(self.indicator.end)} AS end_at, * FROM ({rows_sql}) AS window_rows)"
        )

    def pauses_sql(self, tickets: str) -> str | None:
        pauses, source = self.indicator.pauses, self.pause_source
        if pauses is None or source is None or source.key is None:
            return None
        changes = (
            f"(SELECT {quote(source.key)} AS key, {quote(source.timestamp)} AS changed_at, "
            f"{quote(pauses.status)} AS status FROM {source_table(source.id)})"
        )
        return f"({pause_intervals_sql(tickets, changes, pauses.states)})"

    def aggregates(self) -> dict[str, str]:
        """Per-scope aggregates over ticket rows ``t`` joined to their durations ``d``."""
        ind = self.indicator
        done = "t.end_at IS NOT NULL"
        seconds = "d.business_seconds"
        if ind.statistic == "within":
            limit = self.threshold_seconds()
            overdue = f"NOT ({done}) AND {seconds} > {limit}"
            counted = f"({done} OR ({overdue}))" if ind.unfinished == "count_as_late" else done
            return {
                "valid": f"count(*) FILTER (WHERE t.__in AND {counted})",
                "good": f"count(*) FILTER (WHERE t.__in AND {done} AND {seconds} <= {limit})",
                "open": f"count(*) FILTER (WHERE t.__in AND NOT ({done}) AND NOT ({overdue}))",
                "overdue": f"count(*) FILTER (WHERE t.__in AND {overdue})",
            }
        function = {"mean": f"avg({seconds})", "median": f"median({seconds})"}.get(
            ind.statistic, f"quantile_disc({seconds}, {(ind.percentile or Decimal(50)) / 100})"
        )
        return {
            "valid": f"count(*) FILTER (WHERE t.__in AND {done})",
            "value": f"{function} FILTER (WHERE t.__in AND {done})",
            "open": f"count(*) FILTER (WHERE t.__in AND NOT ({done}))",
        }

    def sql(self, rows_sql: str, scope: list[str]) -> str:
        tickets = self.tickets_sql(rows_sql)
        durations = business_durations_sql(tickets, self.schedule, self.pauses_sql(tickets))
        columns = [f"t.{quote(name)}" for name in scope]
        select = [
            *columns,
            *(f"{expression} AS {quote(name)}" for name, expression in self.aggregates().items()),
            "count(*) FILTER (WHERE NOT t.__in) AS __excluded",
        ]
        group = f" GROUP BY {', '.join(columns)}" if columns else ""
        return (
            f"SELECT {', '.join(select)} FROM {tickets} AS t "
            f"JOIN ({durations}) AS d ON d.key = t.key{group}"
        )

    def describe(self, span: WindowSpan) -> str:
        del span
        return self.indicator.formula()
