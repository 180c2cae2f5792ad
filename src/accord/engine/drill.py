"""Drill-down: the items behind a verdict, one statement per objective and window.

- Ticket clocks (business-duration indicators): each ticket with its due instant on the
  business calendar (pauses applied), the business time it used and whether it was on
  time, late, open or overdue (open past its due instant).
- Occurrence kinds (good / valid events): the worst hours of the window, by bad events.

Everything is computed in DuckDB over the same rows the verdict counted; Python only
reads the result.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from sqlglot import exp

from accord.core.evaluation import HourItem, TicketItem
from accord.core.periods import WindowSpan
from accord.engine.business_time import business_durations, due_instants
from accord.engine.connection import Connection
from accord.engine.kinds.business_duration import TicketClock
from accord.engine.measure import Target, measured_span
from accord.engine.rows import INCLUDED
from accord.engine.sql import call, column, instant, number, render, typed

__all__ = ["WORST_HOURS", "ticket_items", "worst_hours"]

#: How many of the worst hours are listed per objective and window.
WORST_HOURS: Final = 10


def ticket_items(con: Connection, target: Target, span: WindowSpan) -> list[TicketItem]:
    """Every ticket of the window with its due instant, business time and status."""
    clock = target.plan.clock
    if not isinstance(clock, TicketClock):
        return []
    clock.prepare(con, target.as_of)
    as_of = instant(target.as_of)
    tickets = clock.tickets(target.rows.select(span))
    pauses = clock.pauses(tickets)
    durations = business_durations(tickets.copy(), clock.schedule, as_of.copy(), pauses)
    threshold = (
        dt.timedelta(seconds=clock.threshold_seconds())
        if clock.indicator.threshold is not None
        else None
    )
    due: exp.Expr = exp.Null()
    query = (
        exp.select()
        .from_(exp.alias_(tickets.copy(), "t", table=True))
        .join(durations.subquery("d"), on=_same_key("d"))
    )
    if threshold is not None:
        dues = due_instants(
            tickets.copy(), clock.schedule, as_of.copy(), threshold, clock.pauses(tickets.copy())
        )
        query = query.join(dues.subquery("u"), on=_same_key("u"))
        due = exp.column("due_at", table="u")
    seconds = exp.column("business_seconds", table="d")
    scope = [column(name, "t") for name in target.rows.scope]
    query = query.select(
        *scope,
        typed(exp.column("key", table="t"), "VARCHAR"),
        exp.column("start_at", table="t"),
        exp.column("end_at", table="t"),
        due,
        seconds,
        _status(seconds, threshold),
    ).order_by(exp.column("start_at", table="t"), exp.column("key", table="t"))
    query = query.where(column(INCLUDED, "t"))
    width = len(scope)
    items = []
    for row in con.execute(render(query)).fetchall():
        items.append(
            TicketItem(
                objective=target.objective.id,
                window=span.label,
                scope=_scope_label(target.rows.scope, row[:width]),
                key=str(row[width]),
                start_at=row[width + 1],
                end_at=row[width + 2],
                due_at=row[width + 3],
                business_seconds=Decimal(str(row[width + 4])).quantize(Decimal("0.000001")),
                status=str(row[width + 5]),
            )
        )
    return items


def _same_key(alias: str) -> exp.Expr:
    return exp.EQ(this=exp.column("key", table=alias), expression=exp.column("key", table="t"))


def _status(seconds: exp.Expr, threshold: dt.timedelta | None) -> exp.Expr:
    """on time | late | open | overdue (open past the threshold); without a threshold,
    done | open."""
    done = exp.Not(this=exp.Is(this=exp.column("end_at", table="t"), expression=exp.Null()))
    if threshold is None:
        return exp.If(this=done, true=exp.Literal.string("done"), false=exp.Literal.string("open"))
    within = exp.LTE(this=seconds.copy(), expression=number(threshold.total_seconds()))
    return exp.Case(
        ifs=[
            exp.If(this=exp.and_(done.copy(), within.copy()), true=exp.Literal.string("on time")),
            exp.If(this=done.copy(), true=exp.Literal.string("late")),
            exp.If(this=within.copy(), true=exp.Literal.string("open")),
        ],
        default=exp.Literal.string("overdue"),
    )


def worst_hours(con: Connection, target: Target, span: WindowSpan) -> list[HourItem]:
    """The hours of the window with the most bad events, worst first (ties: earliest)."""
    burn = target.plan.burn
    if burn is None or target.plan.clock is not None:
        return []
    rows = target.rows
    included = column(INCLUDED)
    hour = call("date_trunc", exp.Literal.string("hour"), rows.timestamp.copy())
    good = burn.good.over(included.copy())
    valid = burn.valid.over(included.copy())
    scope = [column(name) for name in rows.scope]
    bad = exp.Sub(this=valid.copy(), expression=good.copy())
    query = (
        exp.select(*scope, exp.alias_(hour, "hour"), good, valid)
        .from_(rows.select(measured_span(span, target.as_of)).subquery("events"))
        .group_by(*(c.copy() for c in scope), exp.column("hour"))
        .having(exp.GT(this=bad.copy(), expression=number(0)))
        .order_by(exp.Ordered(this=bad, desc=True), exp.column("hour"))
        .limit(WORST_HOURS)
    )
    width = len(scope)
    return [
        HourItem(
            objective=target.objective.id,
            window=span.label,
            scope=_scope_label(rows.scope, row[:width]),
            hour=row[width],
            good=int(row[width + 1]),
            valid=int(row[width + 2]),
        )
        for row in con.execute(render(query)).fetchall()
    ]


def _scope_label(names: object, values: tuple[object, ...]) -> str:
    pairs = zip(list(names) if isinstance(names, (list, tuple)) else [], values, strict=False)
    return ", ".join(f"{name}={value}" for name, value in pairs) or "all"
