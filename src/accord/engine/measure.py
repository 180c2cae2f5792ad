"""Measuring objectives over one window: run their statements, read one row per scope.

Scopes that have no rows in the window are not forgotten: every scope value seen in the
rows the objective selects (at any time) appears, with no data, so that a silent region is
a finding and never a pass. Rows after ``as_of`` are not counted: the measured part of a
window ends there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlglot import exp

from accord.core.budget import BurnCounts, burn_alerts, look_backs
from accord.core.calendars.clock import BusinessCalendar
from accord.core.model import Agreement
from accord.core.model.measurement import Indicator, Source, SourceKind
from accord.core.model.objectives import Objective
from accord.core.periods import WindowSpan
from accord.core.validation import value_kind_of
from accord.core.verdicts import Coverage, WorkingTime, show_value
from accord.engine.connection import Connection
from accord.engine.kinds.base import Plan, Reading, UnitCounts, Values
from accord.engine.local_time import peak_condition
from accord.engine.planner import (
    Aggregated,
    Figure,
    Member,
    Output,
    Shared,
    Statement,
    UnitFigure,
    clock_statement,
    plan_batch,
)
from accord.engine.rows import INCLUDED, Restrictions, Rows, source_table
from accord.engine.sql import all_of, column, instant, render

__all__ = [
    "Measured",
    "ScopeCache",
    "Target",
    "measure_window",
    "measure_windows",
    "measured_span",
]

_DENSE = (SourceKind.EVENTS, SourceKind.PROBES)
_EPOCH_DATE = dt.date(1970, 1, 1)

#: Scope values found outside a window, per (source and conditions, scope, window).
ScopeCache = dict[tuple[object, ...], list[tuple[object, ...]]]
#: What a statement found for one scope: its outputs' values.
_Found = dict[Output, object]


@dataclass(frozen=True)
class Target:
    """One objective to measure, with what the whole evaluation shares."""

    agreement: Agreement
    objective: Objective
    indicator: Indicator
    source: Source
    rows: Rows
    plan: Plan
    as_of: dt.datetime
    #: Scope values per (source, scope columns), shared by all objectives of an evaluation.
    scope_cache: ScopeCache = field(default_factory=dict, compare=False)

    def member(self) -> Member:
        return Member(self.rows, self.plan)


@dataclass(frozen=True)
class Measured:
    """The numbers of one scope in one window."""

    scope: dict[str, str]
    value: Decimal | None
    counts: dict[str, int]
    computation: str
    coverage: Coverage
    excluded: dict[str, int]
    notes: tuple[str, ...] = ()
    recent: tuple[BurnCounts, ...] = ()
    working_time: WorkingTime | None = None


def measured_span(span: WindowSpan, as_of: dt.datetime) -> WindowSpan:
    """The part of the window measured as of ``as_of``: rows from later are not counted."""
    end = min(span.end_at, max(as_of, span.start_at))
    return WindowSpan(span.label, span.start_at, end)


def measure_window(con: Connection, target: Target, span: WindowSpan) -> list[Measured]:
    """The measurements of every scope of one objective in one window."""
    return measure_windows(con, [target], span)[0]


def measure_windows(
    con: Connection, targets: Sequence[Target], span: WindowSpan
) -> list[list[Measured]]:
    """Several objectives that read the same rows (``Rows.key``) measured together."""
    first = targets[0]
    if first.plan.clock is not None:
        return [_on_clock(con, target, span) for target in targets]
    plan = plan_batch(measured_span(span, first.as_of), [t.member() for t in targets])
    found = _run(con, plan.statements, len(targets), len(first.objective.scope))
    return [_read(con, target, span, index, found[index]) for index, target in enumerate(targets)]


def _run(
    con: Connection, statements: Sequence[Statement], members: int, width: int
) -> list[dict[tuple[object, ...], _Found]]:
    """Each member's outputs per scope, from the statements that report its scopes."""
    found: list[dict[tuple[object, ...], _Found]] = [{} for _ in range(members)]
    for statement in statements:
        for row in con.execute(statement.sql()).fetchall():
            key = tuple(row[:width])
            values = dict(zip(statement.outputs, row[width:], strict=True))
            for member in statement.members:
                found[member].setdefault(key, {}).update(values)
    return found


def _on_clock(con: Connection, target: Target, span: WindowSpan) -> list[Measured]:
    """An objective measured on a clock (ticket clocks on the indicator's calendar)."""
    clock = target.plan.clock
    assert clock is not None
    clock.prepare(con, target.as_of)
    statement = clock_statement(span, target.member(), target.as_of)
    found = _run(con, [statement], 1, len(target.objective.scope))[0]
    return _read(con, target, span, 0, found)


def _read(
    con: Connection,
    target: Target,
    span: WindowSpan,
    member: int,
    found: dict[tuple[object, ...], _Found],
) -> list[Measured]:
    recent = _recent(con, target, span)
    clock = target.plan.clock
    measured = []
    for key in _scopes(con, target, span, found):
        scope = _scope_dict(target.objective.scope, key)
        outputs = found.get(key, {})
        values = _values(outputs, member, _unit_counts(con, target, span, scope))
        reading = target.plan.read(values)
        days = outputs.get(UnitFigure(member, Figure.DAYS) if values.units else Shared.DAYS)
        measured.append(
            Measured(
                scope=scope,
                value=reading.value,
                counts={**reading.counts, "valid": reading.counts.get("valid", 0)},
                computation=_filled(reading, target),
                coverage=_coverage(target, span, _days(days)),
                excluded=_excluded(reading, outputs),
                notes=reading.notes,
                recent=recent.get(key, ()),
                working_time=clock.working_time() if clock else None,
            )
        )
    return measured


def _unit_counts(
    con: Connection, target: Target, span: WindowSpan, scope: dict[str, str]
) -> tuple[int, int] | None:
    """A judged-by-units objective's units of one scope: how many count and how many of
    them exclusions leave out (the grid knows; None for other objectives)."""
    units = target.plan.units
    if units is None:
        return None
    rows = target.rows
    intervals = [interval for interval in rows.intervals if interval.applies_to(scope)]
    part = measured_span(span, target.as_of)
    return units.grid.totals(con, part, intervals, Restrictions(rows.timezone, rows.peak))


def _values(outputs: _Found, member: int, totals: tuple[int, int] | None) -> Values:
    """A member's values of one scope: its aggregates by name, and its units' figures."""
    aggregates = {
        output.name: value
        for output, value in outputs.items()
        if isinstance(output, Aggregated) and output.member == member
    }
    if totals is None:
        return Values(aggregates)

    def figure(which: Figure) -> int:
        value = outputs.get(UnitFigure(member, which))
        return int(value) if isinstance(value, (int, float, Decimal)) else 0

    units = UnitCounts(
        total=totals[0],
        excluded=totals[1],
        with_traffic=figure(Figure.WITH_TRAFFIC),
        good=figure(Figure.GOOD),
        events=figure(Figure.EVENTS),
    )
    return Values(aggregates, units)


def _excluded(reading: Reading, outputs: _Found) -> dict[str, int]:
    if reading.excluded is not None:
        return reading.excluded
    value = outputs.get(Shared.EXCLUDED)
    rows = int(value) if isinstance(value, (int, float, Decimal)) else 0
    return {"events": rows} if rows else {}


def _filled(reading: Reading, target: Target) -> str:
    """The computation with its value: ``… = 99.95%``."""
    if reading.value is None:
        return reading.computation
    kind = value_kind_of(target.indicator, target.source)
    clock = target.plan.clock
    business = clock is not None and clock.working_time().is_business
    return f"{reading.computation} = {show_value(reading.value, kind, business=business)}"


def _scope_dict(names: Sequence[str], key: tuple[object, ...]) -> dict[str, str]:
    return {
        name: "(none seen)" if value is None else str(value)
        for name, value in zip(names, key, strict=True)
    }


def _scopes(
    con: Connection,
    target: Target,
    span: WindowSpan,
    seen: Iterable[tuple[object, ...]],
) -> list[tuple[object, ...]]:
    """Every scope value combination among the rows the objective selects, at any time.

    ``seen`` are the scopes the window's own statement found; the others are looked up
    among the rows before and after the measured window only (two range queries the files'
    time statistics can prune), so the window's rows are not read twice. Rows that the
    indicator's or the objective's condition leave out (say region 'test') do not make a
    scope: only a scope the objective is about can be silent. A peak period does not
    narrow the scopes (a region busy only off-peak is silent during the peak), so with one
    the window's off-peak rows are looked up too.
    """
    rows = target.rows
    if not rows.scope:
        return [()]
    measured = measured_span(span, target.as_of)
    conditions = rows.conditions()
    key = (
        target.source.id,
        tuple(render(condition) for condition in conditions),
        rows.peak is not None,
        tuple(rows.scope),
        measured.start_at,
        measured.end_at,
    )
    if key not in target.scope_cache:
        query = _scope_query(rows, measured, conditions)
        target.scope_cache[key] = [tuple(row) for row in con.execute(render(query)).fetchall()]
    found = sorted({*seen, *target.scope_cache[key]}, key=_scope_order)
    # No scope value at all: one silent scope stands for them, so that an objective
    # without any data is reported as such rather than vanishing from the results.
    return found or [tuple(None for _ in rows.scope)]


def _scope_query(rows: Rows, measured: WindowSpan, conditions: list[exp.Expr]) -> exp.Expr:
    """The scope values of the selected rows before and after the measured window (and,
    with a peak period, of its off-peak rows)."""
    ts = rows.timestamp

    def distinct(where: exp.Expr) -> exp.Select:
        condition = all_of(where, *(c.copy() for c in conditions))
        scope = [column(name) for name in rows.scope]
        return exp.select(*scope).distinct().from_(source_table(rows.source.id)).where(condition)

    query: exp.Expr = exp.union(
        distinct(exp.LT(this=ts.copy(), expression=instant(measured.start_at))),
        distinct(exp.GTE(this=ts.copy(), expression=instant(measured.end_at))),
        distinct=True,
    )
    if rows.peak is not None:
        off_peak = exp.Not(this=exp.Paren(this=peak_condition(rows.peak, ts)))
        inside = all_of(rows.within(measured.start_at, measured.end_at), off_peak)
        assert inside is not None
        query = exp.union(query, distinct(inside), distinct=True)
    return query


def _scope_order(key: tuple[object, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(value)) for value in key)


def _elapsed_dates(span: WindowSpan, as_of: dt.datetime, timezone: str) -> list[dt.date]:
    """Local dates the window has reached by ``as_of`` (a started date counts)."""
    end = min(span.end_at, max(as_of, span.start_at))
    if end <= span.start_at:
        return []
    zone = ZoneInfo(timezone)
    first = span.start_at.astimezone(zone).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _coverage(target: Target, span: WindowSpan, days: frozenset[int]) -> Coverage:
    """Dense sources: share of the elapsed local days (agreement time zone) that data is
    expected on with data. Data is expected on every day, or only on the working days of
    the source's ``expected_on`` calendar, and only on the days the objective's peak period
    touches. Sparse sources (tickets, incidents, surveys, figures) have no expected rhythm:
    every row counts. ``days`` are the local day numbers with rows (since 1970-01-01)."""
    elapsed = _elapsed_dates(span, target.as_of, target.agreement.timezone)
    if not elapsed:
        return Coverage(Decimal(0), "none of the window: it has not started")
    if target.source.kind not in _DENSE:
        return Coverage(Decimal(1), f"{len(elapsed)} days (sparse source: every row counts)")
    expected, reasons = elapsed, []
    if target.source.expected_on is not None:
        calendar_id = target.source.expected_on
        spec = next((c for c in target.agreement.calendars if c.id == calendar_id), None)
        calendar = BusinessCalendar.from_spec(spec)
        expected = [day for day in expected if calendar.works_on(day)]
        reasons.append(calendar_id)
    peak = target.rows.peak
    if peak is not None:
        expected = [day for day in expected if peak.covers(day)]
        reasons.append(peak.id)
    on = f" ({', '.join(reasons)})" if reasons else ""
    if not expected:
        return Coverage(Decimal(1), f"no day data is expected on yet{on}")
    numbers = {(day - _EPOCH_DATE).days for day in expected}
    with_data = len(days & numbers)
    return Coverage(Decimal(with_data) / len(expected), f"{with_data} of {len(expected)} days{on}")


def _days(value: object) -> frozenset[int]:
    """The local day numbers of a scope (none for a silent scope)."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(int(day) for day in value)


def _recent(
    con: Connection, target: Target, span: WindowSpan
) -> dict[tuple[object, ...], tuple[BurnCounts, ...]]:
    """Bad and valid events over the burn-rate look-back windows ending at ``as_of``.

    Only for a window still open at ``as_of``: alerts are about budget being spent now.
    The query reads only the rows of the longest look-back, not the whole window.
    """
    burn = target.plan.burn
    as_of = target.as_of
    if burn is None or not (span.start_at < as_of < span.end_at):
        return {}
    rows = target.rows
    lengths = look_backs(burn_alerts(target.objective.burn_alerts))
    if not lengths:
        return {}
    included = column(INCLUDED)
    columns: list[exp.Expr] = []
    for length in lengths:
        since = rows.within(as_of - length, as_of)
        columns += [burn.good.over(included, since), burn.valid.over(included, since)]
    recent = WindowSpan(span.label, max(span.start_at, as_of - lengths[-1]), as_of)
    scope = [column(name) for name in rows.scope]
    query = exp.select(*scope, *columns).from_(rows.select(recent).subquery("events"))
    if scope:
        query = query.group_by(*(c.copy() for c in scope))
    width = len(scope)
    result = {}
    for row in con.execute(render(query)).fetchall():
        numbers = [int(value) if value is not None else 0 for value in row[width:]]
        result[tuple(row[:width])] = tuple(
            BurnCounts(length, numbers[2 * i + 1] - numbers[2 * i], numbers[2 * i + 1])
            for i, length in enumerate(lengths)
        )
    return result
