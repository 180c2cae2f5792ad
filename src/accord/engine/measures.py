"""Measuring one objective over one window: run its query, read one row per scope.

Scopes that have no rows in the window are not forgotten: every scope value seen in the
rows the objective selects (at any time) appears, with no data, so that a silent region is
a finding and never a pass. Rows after ``as_of`` are not counted: the measured part of a
window ends there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import duckdb

from accord.core.budget import BURN_ALERTS, BurnCounts
from accord.core.calendars.clock import BusinessCalendar
from accord.core.model import Agreement
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    Indicator,
    Source,
    SourceKind,
    TimesliceIndicator,
)
from accord.core.model.objectives import Objective
from accord.core.periods import WindowSpan
from accord.core.validation import value_kind_of
from accord.core.verdicts import Coverage, show_value
from accord.engine.passes import plan_batch, slices_sql
from accord.engine.queries import (
    Interval,
    ObjectiveQuery,
    excluded_slices,
    literal_ts,
    peak_condition,
    slice_count,
    value_of,
)
from accord.engine.sources import quote, source_table
from accord.engine.tickets import TicketClock

__all__ = [
    "MeasureContext",
    "Measured",
    "ScopeCache",
    "batch_key",
    "measure_window",
    "measure_windows",
    "measured_span",
]

_DENSE = (SourceKind.EVENTS, SourceKind.PROBES)


#: Scope values found outside a window, per (source and conditions, scope, window).
ScopeCache = dict[tuple[str, tuple[str, ...], str, str], list[tuple[object, ...]]]


@dataclass(frozen=True)
class MeasureContext:
    agreement: Agreement
    objective: Objective
    indicator: Indicator
    source: Source
    query: ObjectiveQuery
    intervals: tuple[Interval, ...]
    as_of: dt.datetime
    #: Scope values per (source, scope columns), shared by all objectives of an evaluation.
    scope_cache: ScopeCache = field(default_factory=dict, compare=False)
    #: Ticket clocks per indicator, shared like the scope cache.
    clocks: dict[str, TicketClock] = field(default_factory=dict, compare=False)


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
    business_day_seconds: Callable[[], Decimal] | None = None


def _scopes(
    con: duckdb.DuckDBPyConnection,
    context: MeasureContext,
    span: WindowSpan,
    seen: Iterable[tuple[object, ...]],
) -> list[tuple[object, ...]]:
    """Every scope value combination among the rows the objective selects, at any time.

    ``seen`` are the scopes the window's own query found; the others are looked up among
    the rows before and after the measured window only (two range queries the files'
    time statistics can prune), so the window's rows are not read twice. Rows that the
    indicator's or the objective's condition leave out (say region 'test') do not make a
    scope: only a scope the objective is about can be silent. A peak period does not
    narrow the scopes (a region busy only off-peak is silent during the peak), so with one
    the window's off-peak rows are looked up too.
    """
    if not context.objective.scope:
        return [()]
    measured = measured_span(span, context.as_of)
    conditions = [
        f"coalesce(({condition.sql()}), false)"
        for condition in (context.indicator.where, context.objective.where)
        if condition is not None
    ]
    key = (
        " AND ".join([context.source.id, *conditions, str(context.query.peak is not None)]),
        tuple(context.objective.scope),
        measured.start_at.isoformat(),
        measured.end_at.isoformat(),
    )
    if key not in context.scope_cache:
        columns = ", ".join(quote(name) for name in context.objective.scope)
        ts = quote(context.source.timestamp)
        table = source_table(context.source.id)
        where = "".join(f" AND {condition}" for condition in conditions)
        sql = (
            f"SELECT DISTINCT {columns} FROM {table} "
            f"WHERE {ts} < {literal_ts(measured.start_at)}{where} "
            f"UNION SELECT DISTINCT {columns} FROM {table} "
            f"WHERE {ts} >= {literal_ts(measured.end_at)}{where}"
        )
        if context.query.peak is not None:
            off_peak = f"NOT ({peak_condition(context.query.peak, ts)})"
            sql += (
                f" UNION SELECT DISTINCT {columns} FROM {table} "
                f"WHERE {ts} >= {literal_ts(measured.start_at)} "
                f"AND {ts} < {literal_ts(measured.end_at)} AND {off_peak}{where}"
            )
        rows = con.execute(sql).fetchall()
        context.scope_cache[key] = [tuple(row) for row in rows]
    found = sorted({*seen, *context.scope_cache[key]}, key=_scope_order)
    # No scope value at all: one silent scope stands for them, so that an objective
    # without any data is reported as such rather than vanishing from the results.
    return found or [tuple(None for _ in context.objective.scope)]


def _scope_order(key: tuple[object, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(value)) for value in key)


def _rows(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    width: int,
    parameters: dict[str, object] | None = None,
) -> dict[tuple[object, ...], dict[str, object]]:
    cursor = con.execute(sql, parameters) if parameters else con.execute(sql)
    names = [str(column[0]) for column in cursor.description or ()]
    found: dict[tuple[object, ...], dict[str, object]] = {}
    for row in cursor.fetchall():
        found[tuple(row[:width])] = dict(zip(names[width:], row[width:], strict=True))
    return found


def _elapsed_dates(span: WindowSpan, as_of: dt.datetime, timezone: str) -> list[dt.date]:
    """Local dates the window has reached by ``as_of`` (a started date counts)."""
    end = min(span.end_at, max(as_of, span.start_at))
    if end <= span.start_at:
        return []
    zone = ZoneInfo(timezone)
    first = span.start_at.astimezone(zone).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


_EPOCH_DATE = dt.date(1970, 1, 1)


def _coverage(context: MeasureContext, span: WindowSpan, days: frozenset[int]) -> Coverage:
    """Dense sources: share of the elapsed local days (agreement time zone) that data is
    expected on with data. Data is expected on every day, or only on the working days of
    the source's ``expected_on`` calendar, and only on the days the objective's peak period
    touches. Sparse sources (tickets, incidents, surveys, figures) have no expected rhythm:
    every row counts. ``days`` are the local day numbers with rows (since 1970-01-01)."""
    elapsed = _elapsed_dates(span, context.as_of, context.agreement.timezone)
    if not elapsed:
        return Coverage(Decimal(0), "none of the window: it has not started")
    if context.source.kind not in _DENSE:
        return Coverage(Decimal(1), f"{len(elapsed)} days (sparse source: every row counts)")
    expected, reasons = elapsed, []
    if context.source.expected_on is not None:
        calendar_id = context.source.expected_on
        spec = next((c for c in context.agreement.calendars if c.id == calendar_id), None)
        calendar = BusinessCalendar.from_spec(spec)
        expected = [day for day in expected if calendar.works_on(day)]
        reasons.append(calendar_id)
    peak = context.query.peak
    if peak is not None:
        expected = [day for day in expected if peak.covers(day)]
        reasons.append(peak.id)
    on = f" ({', '.join(reasons)})" if reasons else ""
    if not expected:
        return Coverage(Decimal(1), f"no day data is expected on yet{on}")
    numbers = {(day - _EPOCH_DATE).days for day in expected}
    with_data = len(days & numbers)
    return Coverage(Decimal(with_data) / len(expected), f"{with_data} of {len(expected)} days{on}")


def _days(row: dict[str, object]) -> frozenset[int]:
    """The local day numbers of a scope's row (none for a silent scope)."""
    value = row.get("__days")
    if not isinstance(value, list):
        return frozenset()
    return frozenset(int(day) for day in value)


def _recent(
    con: duckdb.DuckDBPyConnection, context: MeasureContext, span: WindowSpan
) -> dict[tuple[object, ...], tuple[BurnCounts, ...]]:
    """Bad and valid events over the burn-rate look-back windows ending at ``as_of``.

    Only for a window still open at ``as_of``: alerts are about budget being spent now.
    The query reads only the rows of the longest look-back, not the whole window.
    """
    if not (span.start_at < context.as_of < span.end_at):
        return {}
    if isinstance(context.indicator, BusinessDurationIndicator):
        return {}
    if "good" not in context.query.aggregates():
        return {}
    lengths = sorted({a.long for a in BURN_ALERTS} | {a.short for a in BURN_ALERTS})
    ts = quote(context.source.timestamp)
    columns = []
    for index, length in enumerate(lengths):
        since = (
            f"{ts} >= {literal_ts(context.as_of - length)} AND {ts} < {literal_ts(context.as_of)}"
        )
        aggregates = context.query.aggregates(within=since)
        columns += [
            f"{aggregates['good']} AS good_{index}",
            f"{aggregates['valid']} AS valid_{index}",
        ]
    recent = WindowSpan(span.label, max(span.start_at, context.as_of - lengths[-1]), context.as_of)
    rows = _rows(con, context.query.grouped_sql(recent, columns), len(context.objective.scope))
    result = {}
    for key, row in rows.items():
        counts = []
        for index, length in enumerate(lengths):
            good, valid = _int(row, f"good_{index}"), _int(row, f"valid_{index}")
            counts.append(BurnCounts(length, valid - good, valid))
        result[key] = tuple(counts)
    return result


def _int(row: dict[str, object], name: str) -> int:
    value = row.get(name)
    return int(value) if isinstance(value, (int, float, Decimal)) else 0


def batch_key(context: MeasureContext) -> tuple[object, ...] | None:
    """Objectives with equal keys read the same rows and can share one pass over them."""
    if isinstance(context.indicator, BusinessDurationIndicator):
        return None
    query = context.query
    return (
        context.source.id,
        tuple(context.objective.scope),
        str(context.indicator.where or ""),
        str(context.objective.where or ""),
        context.objective.during,
        query.row_exclusion,
        tuple(query.intervals),
    )


def measure_window(
    con: duckdb.DuckDBPyConnection, context: MeasureContext, span: WindowSpan
) -> list[Measured]:
    """The measurements of every scope of one objective in one window."""
    return measure_windows(con, [context], span)[0]


def measure_windows(
    con: duckdb.DuckDBPyConnection, contexts: Sequence[MeasureContext], span: WindowSpan
) -> list[list[Measured]]:
    """Several objectives with the same ``batch_key`` measured together (``passes``)."""
    first = contexts[0]
    if isinstance(first.indicator, BusinessDurationIndicator):
        return [_tickets(con, context, span) for context in contexts]
    measured_part = measured_span(span, first.as_of)
    plan = plan_batch(measured_part, [context.query for context in contexts])
    width = len(first.objective.scope)
    rows: dict[tuple[object, ...], dict[str, object]] = {}
    for sql in plan.statements:
        for key, row in _rows(con, sql, width).items():
            rows.setdefault(key, {}).update(row)
    results = []
    for index, context in enumerate(contexts):
        if index in plan.apart:
            sql = slices_sql(measured_part, index, context.query)
            own = _member(_rows(con, sql, width), index)
        else:
            own = _member(rows, index)
        if isinstance(context.indicator, TimesliceIndicator):
            results.append(_timeslices(con, context, span, own))
        else:
            results.append(_read_rows(con, context, span, own))
    return results


def _member(
    rows: dict[tuple[object, ...], dict[str, object]], index: int
) -> dict[tuple[object, ...], dict[str, object]]:
    """Member ``index``'s columns of a batch's rows, unprefixed, over the shared ones."""
    prefix = f"o{index}_"
    return {
        key: {
            **{name: value for name, value in row.items() if name.startswith("__")},
            **{
                name.removeprefix(prefix): value
                for name, value in row.items()
                if name.startswith(prefix)
            },
        }
        for key, row in rows.items()
    }


def _tickets(
    con: duckdb.DuckDBPyConnection, context: MeasureContext, span: WindowSpan
) -> list[Measured]:
    """Business-duration objectives: ticket clocks on the indicator's calendar."""
    indicator = context.indicator
    assert isinstance(indicator, BusinessDurationIndicator)
    clock = context.clocks.get(indicator.id)
    if clock is None:
        clock = TicketClock(context.agreement, indicator, context.source)
        context.clocks[indicator.id] = clock
    clock.register(con, context.as_of)
    sql = clock.sql(context.query.rows_sql(span), list(context.objective.scope))
    rows = _rows(con, sql, len(context.objective.scope), {"as_of": context.as_of})
    return [
        replace(
            measured,
            business_day_seconds=clock.business_day_seconds,
            notes=_open_note(measured.counts, indicator),
        )
        for measured in _read_rows(con, context, span, rows)
    ]


def _open_note(counts: dict[str, int], indicator: BusinessDurationIndicator) -> tuple[str, ...]:
    notes = []
    if counts.get("overdue"):
        rule = "counted as late" if indicator.unfinished == "count_as_late" else "left out"
        notes.append(f"{counts['overdue']:,} open ticket(s) already past the threshold, {rule}")
    if counts.get("open"):
        notes.append(f"{counts['open']:,} ticket(s) still open and not yet judged")
    return tuple(notes)


def _aggregate_names(context: MeasureContext) -> list[str]:
    """The aggregates a scope's row has, so a silent scope reads like an empty one."""
    indicator = context.indicator
    if isinstance(indicator, BusinessDurationIndicator):
        if indicator.statistic == "within":
            return ["valid", "good", "open", "overdue"]
        return ["valid", "value", "open"]
    return list(context.query.aggregates())


def _read_rows(
    con: duckdb.DuckDBPyConnection,
    context: MeasureContext,
    span: WindowSpan,
    rows: dict[tuple[object, ...], dict[str, object]],
) -> list[Measured]:
    recent = _recent(con, context, span)
    measured = []
    silent = dict.fromkeys(_aggregate_names(context))
    for key in _scopes(con, context, span, rows):
        row = rows.get(key, silent)
        value, computation = value_of(context.indicator, row)
        counts: dict[str, int] = {
            name: _int(row, name)
            for name in ("good", "valid", "open", "overdue", "promoters", "detractors")
            if name in row
        }
        counts.setdefault("valid", 0)
        excluded = _int(row, "__excluded")
        measured.append(
            Measured(
                scope=_scope_dict(context.objective.scope, key),
                value=value,
                counts=counts,
                computation=_filled(computation, value, context),
                coverage=_coverage(context, span, _days(row)),
                excluded={"events": excluded} if excluded else {},
                recent=recent.get(key, ()),
            )
        )
    return measured


def _scope_dict(names: Sequence[str], key: tuple[object, ...]) -> dict[str, str]:
    return {
        name: "(none seen)" if value is None else str(value)
        for name, value in zip(names, key, strict=True)
    }


def _filled(computation: str, value: Decimal | None, context: MeasureContext) -> str:
    if value is None:
        return computation
    kind = value_kind_of(context.indicator, context.source)
    return f"{computation} = {show_value(value, kind)}"


def measured_span(span: WindowSpan, as_of: dt.datetime) -> WindowSpan:
    """The part of the window measured as of ``as_of``: rows from later are not counted."""
    end = min(span.end_at, max(as_of, span.start_at))
    return WindowSpan(span.label, span.start_at, end)


def _timeslices(
    con: duckdb.DuckDBPyConnection,
    context: MeasureContext,
    span: WindowSpan,
    rows: dict[tuple[object, ...], dict[str, object]],
) -> list[Measured]:
    seconds = context.query.slice_seconds()
    measured_part = measured_span(span, context.as_of)
    measured = []
    for key in _scopes(con, context, span, rows):
        scope = _scope_dict(context.objective.scope, key)
        intervals = tuple(i for i in context.intervals if i.applies_to(scope))
        total = slice_count(measured_part, seconds)
        excluded = excluded_slices(intervals, measured_part, seconds)
        if context.query.peak is not None:
            found = con.execute(context.query.peak_slices_sql(measured_part, intervals)).fetchone()
            assert found is not None
            total, excluded = int(found[0]), int(found[1])
        measured.append(_slice_measure(context, span, rows.get(key, {}), key, (total, excluded)))
    return measured


def _slice_measure(
    context: MeasureContext,
    span: WindowSpan,
    row: dict[str, object],
    key: tuple[object, ...],
    slices: tuple[int, int],
) -> Measured:
    """One scope's slices: quiet slices count as the rule says, unless no slice had traffic."""
    indicator = context.indicator
    assert isinstance(indicator, TimesliceIndicator)
    total, excluded = slices
    with_traffic = _int(row, "slices_with_traffic")
    quiet = max(total - excluded - with_traffic, 0)
    counted = total - excluded - (quiet if indicator.no_traffic == "excluded" else 0)
    good = _int(row, "good_slices") + (quiet if indicator.no_traffic == "good" else 0)
    value = Decimal(good) / counted if counted > 0 and with_traffic > 0 else None
    computation = (
        f"{good:,} good slices / {counted:,} counted {indicator.slice} slices "
        f"({quiet:,} without traffic counted as {indicator.no_traffic}, "
        f"{excluded:,} excluded)"
    )
    if with_traffic == 0:
        computation = (
            f"no {indicator.slice} slice with traffic among {total - excluded:,} counted "
            "slices: no data (the no-traffic rule applies only within a window that has data)"
        )
    return Measured(
        scope=_scope_dict(context.objective.scope, key),
        value=value,
        counts={"good": good, "valid": counted, "events": _int(row, "valid")},
        computation=_filled(computation, value, context),
        coverage=_coverage(context, span, _days(row)),
        excluded={"slices": excluded} if excluded else {},
    )
