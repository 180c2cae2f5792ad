"""The statements that measure a batch: objectives reading the same rows over one window.

Objectives that read the same rows (same source, scope, conditions, peak period and
exclusions) are measured together, and a scan of the rows is the expensive part. So every
aggregate that adds up (counts and sums, ``ADDITIVE``) is taken per scope and *unit* and
then summed per scope:

- with a time-slice objective among them, the unit is its slice, so the slices, the other
  objectives' counts and the local days with data all come from one scan, provided the
  slices nest in local days (otherwise a slice's day would not be the day of its rows);
- otherwise the unit is the local day, which counts the days with data without a distinct
  count over every row.

Values that do not add up (a percentile, mean or median) need all of a scope's rows at
once. When a batch has such a value and no shared slices, everything is one per-scope
statement; next to shared slices, they have a statement of their own. Time-slice
objectives that cannot share (another slice length, a peak period, slices that straddle
local midnight) are measured by a statement each.

Every statement returns one row per scope: the scope columns, then the columns of member
``i`` prefixed ``o{i}_``, then the shared ``__excluded`` (rows left out by exclusions) and
``__days`` (the local days with rows, as day numbers: days since 1970-01-01 in the
agreement's zone, in order). A time-slice member has its own ``o{i}___days``: the local days
of its kept slices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.core.model.measurement import TimesliceIndicator
from accord.core.periods import WindowSpan
from accord.engine.queries import ADDITIVE, ObjectiveQuery, local_day, slices_nest_in_days
from accord.engine.sources import quote

__all__ = ["BatchPlan", "plan_batch", "slices_sql"]


@dataclass(frozen=True)
class BatchPlan:
    """The statements measuring a batch in one window, and the time-slice members left to a
    statement of their own (``slices_sql``)."""

    statements: tuple[str, ...]
    apart: tuple[int, ...]


def plan_batch(span: WindowSpan, queries: Sequence[ObjectiveQuery]) -> BatchPlan:
    """The statements for the members of a batch (``queries``, in member order) over the
    measured part of a window."""
    slicers = [i for i, q in enumerate(queries) if isinstance(q.indicator, TimesliceIndicator)]
    others = [i for i in range(len(queries)) if i not in slicers]
    if not others:
        return BatchPlan((), tuple(slicers))
    # A member with a value that does not add up has all its aggregates in the per-scope
    # statement: it reads that member's columns anyway, and the slices need not.
    additive: dict[str, str] = {}
    holistic: dict[str, str] = {}
    for i in others:
        aggregates = queries[i].aggregates(span=span)
        target = additive if set(aggregates) <= ADDITIVE else holistic
        target.update({f"o{i}_{name}": expression for name, expression in aggregates.items()})
    unit = _shared_slice(span, [queries[i] for i in slicers])
    joined = [i for i in slicers if queries[i].slice_seconds() == unit]
    apart = tuple(i for i in slicers if i not in joined)
    base = queries[others[0]]
    if joined:
        members = [(i, queries[i]) for i in joined]
        statements = [_sliced(span, members, additive, shared=True)]
        if holistic:
            statements.append(_per_scope(span, base, holistic, days=False))
        return BatchPlan(tuple(statements), apart)
    if holistic:
        return BatchPlan((_per_scope(span, base, {**additive, **holistic}, days=True),), apart)
    return BatchPlan((_per_day(span, base, additive),), apart)


def slices_sql(span: WindowSpan, index: int, query: ObjectiveQuery) -> str:
    """One time-slice objective on its own (member ``index`` of its batch)."""
    return _sliced(span, [(index, query)], {}, shared=False)


def _shared_slice(span: WindowSpan, slicers: Sequence[ObjectiveQuery]) -> int | None:
    """The slice length the batch's other objectives can ride on, if any: the first time-slice
    member's, when there is no peak period (peak slices are chosen by their start, peak rows
    by their own instant) and its slices nest in the agreement's local days."""
    for query in slicers:
        if query.peak is None and slices_nest_in_days(span, query.slice_seconds(), query.timezone):
            return query.slice_seconds()
    return None


def _scope_columns(query: ObjectiveQuery) -> list[str]:
    return [quote(name) for name in query.objective.scope]


def _group(columns: Sequence[str]) -> str:
    return f" GROUP BY {', '.join(columns)}" if columns else ""


def _day_list(day: str, *, distinct: bool = True) -> str:
    """The distinct local day numbers of a group, in order (coverage intersects them with
    the days data is expected on)."""
    return f"list({'DISTINCT ' if distinct else ''}{day} ORDER BY {day})"


def _only(aggregate: str, *conditions: str) -> str:
    """``aggregate`` over the rows meeting every condition (all rows without any)."""
    return f"{aggregate} FILTER (WHERE {' AND '.join(conditions)})" if conditions else aggregate


def _aliased(columns: Mapping[str, str]) -> list[str]:
    return [f"{expression} AS {quote(alias)}" for alias, expression in columns.items()]


class _Partials:
    """Aggregates taken per unit, each distinct expression once (``__p0``, ``__p1`` …)."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}

    def of(self, expression: str) -> str:
        """The inner column holding ``expression`` per unit."""
        return self._aliases.setdefault(expression, f"__p{len(self._aliases)}")

    def summed(self, columns: Mapping[str, str]) -> list[str]:
        """Outer columns summing, under each alias, its aggregate's partials."""
        return [
            f"sum({self.of(expression)}) AS {quote(alias)}" for alias, expression in columns.items()
        ]

    def columns(self) -> list[str]:
        return [f"{expression} AS {alias}" for expression, alias in self._aliases.items()]


def _excluded(span: WindowSpan, query: ObjectiveQuery, partials: _Partials) -> str:
    """The outer column counting rows left out by exclusions (0 when none can be)."""
    if not query.excludes_in(span):
        return "0 AS __excluded"
    return f"coalesce(sum({partials.of('count(*) FILTER (WHERE NOT __in)')}), 0) AS __excluded"


def _per_scope(
    span: WindowSpan, query: ObjectiveQuery, columns: Mapping[str, str], *, days: bool
) -> str:
    """Every aggregate over a scope's rows at once (needed for values that do not add up)."""
    selected = _aliased(columns)
    if days:
        day = local_day(query.ts, query.timezone, span)
        selected += [query.excluded_count(span), f"{_day_list(day)} AS __days"]
    return query.grouped_sql(span, selected)


def _per_day(span: WindowSpan, query: ObjectiveQuery, additive: Mapping[str, str]) -> str:
    """Additive aggregates per scope and local day, summed per scope; the days with rows
    are the day groups."""
    scope = _scope_columns(query)
    partials = _Partials()
    outer = [*scope, *partials.summed(additive), _excluded(span, query, partials)]
    outer.append(f"{_day_list('__day', distinct=False)} AS __days")  # one group per day
    day = f"{local_day(query.ts, query.timezone, span)} AS __day"
    inner = [*scope, day, *partials.columns()]
    return (
        f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} "
        f"FROM ({query.rows_sql(span)}) AS events{_group([*scope, '__day'])}) AS days"
        f"{_group(scope)}"
    )


def _sliced(
    span: WindowSpan,
    members: Sequence[tuple[int, ObjectiveQuery]],
    additive: Mapping[str, str],
    *,
    shared: bool,
) -> str:
    """Time-slice members of one slice length, and the additive aggregates of the other
    members, from one scan grouped per scope and slice; with ``shared``, also the columns
    the other members share (excluded rows, days with data)."""
    base = members[0][1]
    scope = _scope_columns(base)
    partials = _Partials()
    counted = base.counted(span)
    events = partials.of("count(*)" if counted == "true" else f"count(*) FILTER (WHERE {counted})")
    day = base.slice_day(span)
    outer = list(scope)
    for i, query in members:
        indicator = query.indicator
        assert isinstance(indicator, TimesliceIndicator)
        good = partials.of(query.slice_good(span))
        dropped = query.dropped_slices(span)
        # A slice counts when it has counted events and is not dropped; without exclusions
        # every slice group has events, so only the dropped ones need a condition.
        kept = [] if counted == "true" else [f"{events} > 0"]
        kept += [] if dropped == "false" else [f"NOT ({dropped})"]
        good_slice = f"{good} >= {indicator.slice_target.ratio} * {events}"
        outer += [
            f"{_only('count(*)', *kept)} AS o{i}_slices_with_traffic",
            f"{_only('count(*)', *kept, good_slice)} AS o{i}_good_slices",
            f"coalesce({_only(f'sum({events})', *kept)}, 0) AS o{i}_valid",
            f"{_only(_day_list(day), *kept)} AS o{i}___days",
        ]
    if shared:
        # The slices nest in local days (``_shared_slice``), so a slice's day is its rows' day.
        outer += [*partials.summed(additive), _excluded(span, base, partials)]
        outer.append(f"{_day_list(day)} AS __days")
    inner = [*scope, f"{base.slice_number(span)} AS __slice", *partials.columns()]
    return (
        f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} "
        f"FROM ({base.rows_sql(span, peak=False)}) AS events{_group([*scope, '__slice'])})"
        f" AS slices{_group(scope)}"
    )
