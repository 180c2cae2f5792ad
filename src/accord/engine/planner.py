"""The statements that measure a batch: objectives reading the same rows over one window.

Objectives that read the same rows (same source, scope, conditions, peak period and
exclusions: ``Rows.key``) are measured together, and a scan of the rows is the expensive
part. So every aggregate that adds up (counts and sums) is taken per scope and *unit* and
then summed per scope:

- with a kind judged unit by unit among them (time slices), the unit is its unit, so its
  units, the other objectives' counts and the local days with data all come from one scan,
  provided the units nest in local days (otherwise a unit's day would not be its rows');
- otherwise the unit is the local day, which counts the days with data without a distinct
  count over every row.

Values that do not add up (a percentile, mean or median) need all of a scope's rows at
once. When a batch has such a value and no shared units, everything is one per-scope
statement; next to shared units, they have a statement of their own. Objectives judged by
units that cannot share (another unit, a peak period, slices that straddle local
midnight) are measured by a statement each, and so is an objective measured on a clock.

Every statement returns one row per scope: the scope columns, then one column per entry of
its ``outputs``, a typed reference saying what the column holds: a member's aggregate
(``Aggregated``), one of a member's unit figures (``UnitFigure``) or a figure the members
share (``Shared``: rows left out by exclusions, local days with rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from sqlglot import exp

from accord.core.periods import WindowSpan
from accord.engine.grids import Grid
from accord.engine.kinds.base import Aggregate, Plan, Units
from accord.engine.local_time import local_day
from accord.engine.rows import INCLUDED, Rows
from accord.engine.sql import all_of, any_of, call, column, count, filtered, number, render

__all__ = [
    "Aggregated",
    "BatchPlan",
    "Figure",
    "Member",
    "Output",
    "Shared",
    "Statement",
    "UnitFigure",
    "clock_statement",
    "dropped_unit",
    "plan_batch",
    "unit_judgements",
]


@dataclass(frozen=True)
class Member:
    """One objective of a batch: the rows it reads and its kind's plan."""

    rows: Rows
    plan: Plan


@dataclass(frozen=True)
class Aggregated:
    """Member ``member``'s aggregate of that name in its plan."""

    member: int
    name: str


class Figure(Enum):
    """What a kind judged unit by unit learns of a scope's units."""

    WITH_TRAFFIC = "units with counted events"
    GOOD = "units judged good"
    EVENTS = "counted events in the units kept"
    DAYS = "local days in which a unit kept starts"


@dataclass(frozen=True)
class UnitFigure:
    """One of member ``member``'s unit figures."""

    member: int
    figure: Figure


class Shared(Enum):
    """Figures of the rows every member of a batch reads."""

    EXCLUDED = "rows left out by exclusions"
    DAYS = "local days with rows, in order"


Output = Aggregated | UnitFigure | Shared


@dataclass(frozen=True)
class Statement:
    """A query returning one row per scope: the scope columns, then ``outputs``. The rows
    report the scopes of ``members`` (a member measured apart reads only its own)."""

    query: exp.Select
    outputs: tuple[Output, ...]
    members: tuple[int, ...]

    def sql(self) -> str:
        return render(self.query)


@dataclass(frozen=True)
class BatchPlan:
    """The statements measuring a batch in one window; ``apart`` are the members measured by
    a statement of their own."""

    statements: tuple[Statement, ...]
    apart: tuple[int, ...] = ()


def plan_batch(span: WindowSpan, members: Sequence[Member]) -> BatchPlan:
    """The statements for the members of a batch (in member order) over the measured part
    of a window. Members measured on a clock have ``clock_statement`` instead."""
    judged = [i for i, member in enumerate(members) if member.plan.units is not None]
    others = [i for i in range(len(members)) if i not in judged]
    if not others:
        return BatchPlan(tuple(_units_apart(span, i, members[i]) for i in judged), tuple(judged))
    # A member with a value that does not add up has all its aggregates in the per-scope
    # statement: it reads that member's columns anyway, and the units need not.
    additive: dict[Output, Aggregate] = {}
    holistic: dict[Output, Aggregate] = {}
    for i in others:
        aggregates = members[i].plan.aggregates
        target = additive if all(a.additive for a in aggregates.values()) else holistic
        target.update({Aggregated(i, name): a for name, a in aggregates.items()})
    grid = _shared_grid(span, [members[i] for i in judged])
    joined = [i for i in judged if _units(members[i]).grid == grid]
    apart = tuple(i for i in judged if i not in joined)
    base = members[others[0]].rows
    sharing = tuple(i for i in range(len(members)) if i not in apart)
    if joined:
        statements = [_per_unit(span, [(i, members[i]) for i in joined], additive, sharing)]
        if holistic:
            statements.append(_per_scope(span, base, holistic, sharing, days=False))
    elif holistic:
        statements = [_per_scope(span, base, {**additive, **holistic}, sharing, days=True)]
    else:
        statements = [_per_day(span, base, additive, sharing)]
    statements += [_units_apart(span, i, members[i]) for i in apart]
    return BatchPlan(tuple(statements), apart)


def clock_statement(span: WindowSpan, member: Member, as_of: dt.datetime) -> Statement:
    """An objective measured on a clock: its rows joined to their clock times, per scope."""
    clock = member.plan.clock
    assert clock is not None
    table = clock.rows_alias
    scope = [column(name, table) for name in member.rows.scope]
    aggregates = member.plan.aggregates
    outputs: list[Output] = [Aggregated(0, name) for name in aggregates]
    excluded = count(exp.Not(this=column(INCLUDED, table)))
    query = clock.joined(member.rows.select(span), as_of).select(
        *scope, *(a.over() for a in aggregates.values()), excluded
    )
    if scope:
        query = query.group_by(*(c.copy() for c in scope))
    return Statement(query, (*outputs, Shared.EXCLUDED), (0,))


def _units(member: Member) -> Units:
    assert member.plan.units is not None
    return member.plan.units


def _shared_grid(span: WindowSpan, judged: Sequence[Member]) -> Grid | None:
    """The grid the batch's other objectives can ride on, if any: the first judged member's,
    when there is no peak period (peak units are chosen by their start, peak rows by their
    own instant) and its units nest in the agreement's local days."""
    for member in judged:
        grid = _units(member).grid
        if member.rows.peak is None and grid.nests_in_days(span, member.rows.timezone):
            return grid
    return None


def _scope(rows: Rows) -> list[exp.Expr]:
    return [column(name) for name in rows.scope]


def _grouped(
    query: exp.Select, relation: exp.Expr, alias: str, by: Sequence[exp.Expr]
) -> exp.Select:
    """``query`` over ``relation`` (a subquery named ``alias``), grouped by ``by``."""
    query = query.from_(
        exp.Subquery(this=relation, alias=exp.TableAlias(this=exp.to_identifier(alias)))
    )
    return query.group_by(*(c.copy() for c in by)) if by else query


def _day_list(day: exp.Expr, *, distinct: bool = True) -> exp.Expr:
    """The (distinct) local day numbers of a group, in order (coverage intersects them with
    the days data is expected on)."""
    values: exp.Expr = exp.Distinct(expressions=[day.copy()]) if distinct else day.copy()
    ordered = exp.Order(this=values, expressions=[exp.Ordered(this=day.copy(), nulls_first=False)])
    return exp.ArrayAgg(this=ordered)


class _Partials:
    """Aggregates taken per unit, each distinct expression once (``__p0``, ``__p1`` …)."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[str, exp.Expr]] = {}

    def of(self, aggregate: exp.Expr) -> exp.Column:
        """The inner column holding ``aggregate`` per unit."""
        key = render(aggregate)
        if key not in self._found:
            self._found[key] = (f"__p{len(self._found)}", aggregate)
        return exp.column(self._found[key][0])

    def summed(self, aggregate: exp.Expr) -> exp.Expr:
        """The outer sum of an aggregate's partials."""
        return call("sum", self.of(aggregate))

    def columns(self) -> list[exp.Expr]:
        return [exp.alias_(aggregate, alias) for alias, aggregate in self._found.values()]


def _excluded(span: WindowSpan, rows: Rows, partials: _Partials) -> exp.Expr:
    """The outer column counting rows left out by exclusions (0 when none can be)."""
    included = rows.included(span)
    if included is None:
        return number(0)
    summed = partials.summed(count(exp.Not(this=included)))
    return exp.Coalesce(this=summed, expressions=[number(0)])


def _per_scope(
    span: WindowSpan,
    rows: Rows,
    aggregates: Mapping[Output, Aggregate],
    members: tuple[int, ...],
    *,
    days: bool,
) -> Statement:
    """Every aggregate over a scope's rows at once (needed for values that do not add up)."""
    included = rows.included(span)
    columns = [aggregate.over(included) for aggregate in aggregates.values()]
    outputs: list[Output] = list(aggregates)
    if days:
        columns += [
            rows.excluded_rows(span),
            _day_list(local_day(rows.timestamp, rows.timezone, span)),
        ]
        outputs += [Shared.EXCLUDED, Shared.DAYS]
    query = _grouped(exp.select(*_scope(rows), *columns), rows.select(span), "events", _scope(rows))
    return Statement(query, tuple(outputs), members)


def _per_day(
    span: WindowSpan, rows: Rows, additive: Mapping[Output, Aggregate], members: tuple[int, ...]
) -> Statement:
    """Additive aggregates per scope and local day, summed per scope; the days with rows
    are the day groups."""
    included = rows.included(span)
    scope = _scope(rows)
    partials = _Partials()
    outer = [partials.summed(a.over(included)) for a in additive.values()]
    outer += [_excluded(span, rows, partials), _day_list(exp.column("__day"), distinct=False)]
    day = exp.alias_(local_day(rows.timestamp, rows.timezone, span), "__day")
    inner = _grouped(
        exp.select(*scope, day, *partials.columns()),
        rows.select(span),
        "events",
        [*scope, exp.column("__day")],
    )
    query = _grouped(exp.select(*_scope(rows), *outer), inner, "days", _scope(rows))
    return Statement(query, (*additive, Shared.EXCLUDED, Shared.DAYS), members)


def _units_apart(span: WindowSpan, index: int, member: Member) -> Statement:
    """One member judged unit by unit, on its own."""
    return _per_unit(span, [(index, member)], {}, (index,), shared=False)


def _per_unit(
    span: WindowSpan,
    judged: Sequence[tuple[int, Member]],
    additive: Mapping[Output, Aggregate],
    members: tuple[int, ...],
    *,
    shared: bool = True,
) -> Statement:
    """Members judged by units of one grid, and the additive aggregates of the other
    members, from one scan grouped per scope and unit; with ``shared``, also the figures
    the other members share (excluded rows, days with data)."""
    rows = judged[0][1].rows
    grid = _units(judged[0][1]).grid
    included = rows.included(span)
    unit = exp.column("__unit")
    partials = _Partials()
    day = grid.day(unit, span, rows.timezone)
    outer: list[exp.Expr] = []
    outputs: list[Output] = []
    for i, member in judged:
        kept = _kept(span, member, partials, unit)
        good = _units(member).good(_unit_columns(member, partials, included))
        events = partials.of(_units(member).events.over(included))
        outer += [
            count(*kept),
            count(*kept, good),
            exp.Coalesce(this=filtered(call("sum", events), *kept), expressions=[number(0)]),
            filtered(_day_list(day), *kept),
        ]
        outputs += [UnitFigure(i, figure) for figure in Figure]
    if shared:
        # The units nest in local days (``_shared_grid``), so a unit's day is its rows' day.
        outer += [partials.summed(a.over(included)) for a in additive.values()]
        outer += [_excluded(span, rows, partials), _day_list(day)]
        outputs += [*additive, Shared.EXCLUDED, Shared.DAYS]
    scope = _scope(rows)
    number_of = exp.alias_(grid.number(rows.timestamp, span, rows.timezone), "__unit")
    inner = _grouped(
        exp.select(*scope, number_of, *partials.columns()),
        rows.select(span, peak=grid.rows_at_peak),
        "events",
        [*scope, unit],
    )
    query = _grouped(exp.select(*_scope(rows), *outer), inner, "units", _scope(rows))
    return Statement(query, tuple(outputs), members)


def unit_judgements(span: WindowSpan, member: Member) -> exp.Select:
    """Per scope and unit of a member judged unit by unit (the drill-down's bad units): the
    scope columns, ``__unit`` (its number), ``__events`` and each partial of its plan
    (``__<name>``), ``__is_good`` and ``__kept`` (it counts: it has counted events and is
    not left out whole), from the same grouping the member's verdict is taken over."""
    rows, units = member.rows, _units(member)
    included = rows.included(span)
    unit = exp.column("__unit")
    partials = _Partials()
    columns = _unit_columns(member, partials, included)
    kept = all_of(*_kept(span, member, partials, unit)) or exp.true()
    outer = [
        unit.copy(),
        *(exp.alias_(value, f"__{name}") for name, value in columns.items()),
        exp.alias_(units.good(columns), "__is_good"),
        exp.alias_(kept, "__kept"),
    ]
    number_of = exp.alias_(units.grid.number(rows.timestamp, span, rows.timezone), "__unit")
    inner = _grouped(
        exp.select(*_scope(rows), number_of, *partials.columns()),
        rows.select(span, peak=units.grid.rows_at_peak),
        "events",
        [*_scope(rows), unit],
    )
    return exp.select(*_scope(rows), *outer).from_(
        exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("units")))
    )


def _unit_columns(
    member: Member, partials: _Partials, included: exp.Expr | None
) -> dict[str, exp.Expr]:
    """The columns a unit's judgement reads: its events and each partial, by name."""
    units = _units(member)
    columns: dict[str, exp.Expr] = {"events": partials.of(units.events.over(included))}
    for name, partial in units.partials.items():
        columns[name] = partials.of(partial.over(included))
    return columns


def _kept(span: WindowSpan, member: Member, partials: _Partials, unit: exp.Expr) -> list[exp.Expr]:
    """Conditions for a unit that counts: it has counted events and is not dropped. Without
    exclusions (or a condition on the events) every unit group has events, so only the
    dropped ones need a condition."""
    rows, units = member.rows, _units(member)
    included = rows.included(span)
    kept: list[exp.Expr] = []
    if included is not None or units.events.where is not None:
        events = partials.of(units.events.over(included))
        kept.append(exp.GT(this=events, expression=number(0)))
    dropped = dropped_unit(span, member, unit)
    if dropped is not None:
        kept.append(exp.Not(this=exp.Paren(this=dropped)))
    return kept


def dropped_unit(span: WindowSpan, member: Member, unit: exp.Expr) -> exp.Expr | None:
    """True for a unit left out whole: it overlaps an excluded period (events and all), or,
    during a peak period, it does not count in the peak."""
    rows, grid = member.rows, _units(member).grid
    dropped: list[exp.Expr] = []
    for interval in rows.intervals:
        for first, last in grid.excluded_ranges([interval], span, rows.timezone):
            within = all_of(
                exp.GTE(this=unit.copy(), expression=number(first)),
                exp.LT(this=unit.copy(), expression=number(last)),
                *interval.matching(rows.scope),
            )
            dropped.append(exp.Paren(this=within))
    if rows.peak is not None:
        dropped.append(grid.outside_peak(unit, span, rows.peak, rows.timezone))
    return any_of(dropped)
