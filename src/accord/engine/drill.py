"""Drill-down: the items behind a verdict, one statement per objective and window.

- Ticket clocks (business-duration indicators): each ticket with its due instant on the
  business calendar (pauses applied), the business time it used and whether it was on
  time, late, open or overdue (open past its due instant).
- Kinds judged unit by unit (time slices, throughput periods): every bad unit, with its
  events; a unit without traffic when it counts as bad.
- Occurrence kinds (good / valid events): the worst hours of the window, by bad events,
  as hours of the agreement's time zone (a daylight-saving change has a 23- or 25-hour day).

Everything is computed in DuckDB over the same rows the verdict counted; Python only
reads the result.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from sqlglot import exp

from accord.core.evaluation import HourItem, SliceItem, TicketItem
from accord.core.periods import WindowSpan
from accord.engine.business_time import business_durations, due_instants
from accord.engine.connection import Connection
from accord.engine.kinds.business_duration import TicketClock
from accord.engine.local_time import local_hour_start
from accord.engine.measure import Target, measured_span
from accord.engine.planner import dropped_unit, unit_judgements
from accord.engine.rows import INCLUDED
from accord.engine.sql import all_of, column, instant, number, render, table, typed

__all__ = ["WORST_HOURS", "bad_units", "ticket_items", "worst_hours"]

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
    """The hours of the window with the most bad events, worst first (ties: earliest), as
    local hours of the agreement's time zone."""
    burn = target.plan.burn
    if burn is None or target.plan.clock is not None:
        return []
    rows = target.rows
    measured = measured_span(span, target.as_of)
    included = column(INCLUDED)
    hour = local_hour_start(rows.timestamp, target.agreement.timezone, measured)
    good = burn.good.over(included.copy())
    valid = burn.valid.over(included.copy())
    scope = [column(name) for name in rows.scope]
    bad = exp.Sub(this=valid.copy(), expression=good.copy())
    query = (
        exp.select(*scope, exp.alias_(hour, "hour"), good, valid)
        .from_(rows.select(measured).subquery("events"))
        .group_by(*(c.copy() for c in scope), exp.column("hour"))
        .having(exp.GT(this=bad.copy(), expression=number(0)))
        .order_by(exp.Ordered(this=bad, desc=True), exp.column("hour"))
        .limit(WORST_HOURS)
    )
    zone = ZoneInfo(target.agreement.timezone)
    width = len(scope)
    return [
        HourItem(
            objective=target.objective.id,
            window=span.label,
            scope=_scope_label(rows.scope, row[:width]),
            hour=dt.datetime.fromtimestamp(int(row[width]), zone),
            good=int(row[width + 1]),
            valid=int(row[width + 2]),
        )
        for row in con.execute(render(query)).fetchall()
    ]


def bad_units(con: Connection, target: Target, span: WindowSpan) -> list[SliceItem]:
    """Every bad unit of an objective judged unit by unit, in order: those with events that
    are not good and, when a unit without traffic counts as bad, every unit without counted
    events of a scope that has traffic in the window (units left out whole are not bad).
    The units are grouped exactly as for the verdict, so their number is its bad count."""
    units = target.plan.units
    if units is None:
        return []
    measured = measured_span(span, target.as_of)
    member = target.member()
    names = list(target.rows.scope)
    scope = [column(name) for name in names]
    judged = table("__judged")
    good = exp.column("__good") if "good" in units.partials else exp.Null()
    busy = (
        exp.select(*scope, exp.column("__unit"), exp.column("__events"), good)
        .select(exp.Literal.string("below target"))
        .from_(judged.copy())
        .where(exp.and_(exp.column("__kept"), exp.Not(this=exp.column("__is_good"))))
    )
    found: exp.Query = busy
    if units.quiet == "bad":
        found = exp.union(busy, _quiet(target, measured, judged), distinct=False)
    unit = exp.column("__unit")
    start, end = units.grid.bounds(unit, measured, target.rows.timezone)
    query = (
        exp.select(exp.Star(), exp.alias_(start, "__start"), exp.alias_(end, "__end"))
        .from_(exp.Subquery(this=found, alias=exp.TableAlias(this=exp.to_identifier("bad"))))
        .order_by(*(c.copy() for c in scope), unit.copy())
        .with_("__judged", as_=unit_judgements(measured, member))
    )
    width = len(scope)
    return [
        SliceItem(
            objective=target.objective.id,
            window=span.label,
            scope=_scope_label(names, row[:width]),
            start_at=row[width + 4],
            end_at=row[width + 5],
            events=int(row[width + 1] or 0),
            good=None if row[width + 2] is None else int(row[width + 2]),
            reason=str(row[width + 3]),
        )
        for row in con.execute(render(query)).fetchall()
    ]


def _quiet(target: Target, measured: WindowSpan, judged: exp.Table) -> exp.Select:
    """The units without counted events of every scope that has some traffic (a unit
    counted), except those left out whole."""
    names = list(target.rows.scope)
    scope = [column(name) for name in names]
    k = exp.column("__unit", table="r")
    units = target.plan.units
    assert units is not None
    count_of = units.grid.units_in(measured, target.rows.timezone)
    numbers = exp.Table(
        this=exp.Anonymous(this="range", expressions=[number(count_of)]),
        alias=exp.TableAlias(this=exp.to_identifier("r"), columns=[exp.to_identifier("__unit")]),
    )
    busy_scopes = exp.select(*scope).distinct().from_(judged.copy()).where(exp.column("__kept"))
    same = [exp.NullSafeEQ(this=column(name, "j"), expression=column(name, "s")) for name in names]
    counted = (
        exp.select(exp.Literal.number(1))
        .from_(exp.alias_(judged.copy(), "j", table=True))
        .where(
            all_of(
                column("__kept", "j"),
                exp.EQ(this=column("__unit", "j"), expression=k.copy()),
                *same,
            )
        )
    )
    dropped = dropped_unit(measured, target.member(), k.copy())
    condition = all_of(
        exp.Not(this=exp.Exists(this=counted)),
        exp.Not(this=exp.Paren(this=dropped)) if dropped is not None else None,
    )
    return (
        exp.select(*(column(name, "s") for name in names), k.copy())
        .select(exp.Literal.number(0), exp.Null(), exp.Literal.string("no traffic"))
        .from_(exp.Subquery(this=busy_scopes, alias=exp.TableAlias(this=exp.to_identifier("s"))))
        .join(numbers, join_type="cross")
        .where(condition)
    )


def _scope_label(names: object, values: tuple[object, ...]) -> str:
    pairs = zip(list(names) if isinstance(names, (list, tuple)) else [], values, strict=False)
    return ", ".join(f"{name}={value}" for name, value in pairs) or "all"
