"""The rows an objective reads in a window, and which of them its exclusions leave out.

An objective reads the rows of its indicator's source that lie in the window (by the
source's timestamp), that its indicator's and its own conditions select and, with a peak
period, that lie inside the peak. Exclusions do not remove rows from that selection: each
row carries ``__in``, false when an excluded period (maintenance, force majeure) covers it
or an exclusion leaves it out one by one (consumer-caused rows), so that excluded rows are
counted, still make their scope known, and count for nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlglot import exp

from accord.core.calendars.spec import PeakPeriod
from accord.core.expressions import Predicate
from accord.core.model.measurement import Indicator, Source
from accord.core.model.objectives import Objective
from accord.core.periods import WindowSpan
from accord.engine.local_time import peak_condition
from accord.engine.sql import all_of, any_of, column, count, holds, instant, table, text, typed

__all__ = ["INCLUDED", "Interval", "Restrictions", "Rows", "RowsKey", "source_table"]

#: The flag every selected row carries: false for rows an exclusion leaves out.
INCLUDED = "__in"


def source_table(source_id: str) -> exp.Table:
    """The table (or view) a loaded source lives in."""
    return table(f"src_{source_id}")


@dataclass(frozen=True)
class Interval:
    """An excluded period of an exclusion, already judged under the contract's rules."""

    exclusion: str
    start_at: dt.datetime
    end_at: dt.datetime
    #: Column values the period is limited to (the exclusion's ``match``).
    match: tuple[tuple[str, str], ...] = ()

    def applies_to(self, scope: Mapping[str, str]) -> bool:
        """Whether the period can touch a scope: its matched values agree with the scope's."""
        return all(scope.get(column, value) == value for column, value in self.match)

    def overlaps(self, span: WindowSpan) -> bool:
        return self.end_at > span.start_at and self.start_at < span.end_at

    def matching(self, columns: Iterable[str]) -> list[exp.Expr]:
        """Conditions limiting the period to rows with its matched values (of the columns
        given: a row or slice without such a column is not limited by it)."""
        known = set(columns)
        return [
            exp.EQ(this=typed(column(name), "VARCHAR"), expression=text(value))
            for name, value in self.match
            if name in known
        ]


@dataclass(frozen=True)
class Restrictions:
    """What narrows an objective's rows: its peak period and exclusions, and the zone its
    local days are counted in."""

    timezone: str
    peak: PeakPeriod | None = None
    #: Conditions of the exclusions that leave rows out one by one.
    row_exclusions: tuple[Predicate, ...] = ()
    intervals: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class RowsKey:
    """Objectives with equal keys read the same rows, so they can share a scan of them."""

    source: str
    scope: tuple[str, ...]
    indicator_where: str
    objective_where: str
    during: str | None
    row_exclusions: tuple[str, ...]
    intervals: tuple[Interval, ...]


class Rows:
    """The rows of one objective: the selection and the inclusion flag, per window."""

    def __init__(
        self,
        objective: Objective,
        indicator: Indicator,
        source: Source,
        restrictions: Restrictions,
    ) -> None:
        self.objective = objective
        self.indicator = indicator
        self.source = source
        self.timezone = restrictions.timezone
        self.peak = restrictions.peak
        self.row_exclusions = restrictions.row_exclusions
        self.intervals = restrictions.intervals
        self.timestamp = column(source.timestamp)

    @property
    def scope(self) -> Sequence[str]:
        return self.objective.scope

    def key(self) -> RowsKey:
        return RowsKey(
            source=self.source.id,
            scope=tuple(self.scope),
            indicator_where=str(self.indicator.where or ""),
            objective_where=str(self.objective.where or ""),
            during=self.objective.during,
            row_exclusions=tuple(str(condition) for condition in self.row_exclusions),
            intervals=self.intervals,
        )

    def conditions(self) -> list[exp.Expr]:
        """The indicator's and the objective's conditions (where they hold)."""
        return [
            holds(condition)
            for condition in (self.indicator.where, self.objective.where)
            if condition is not None
        ]

    def within(self, start_at: dt.datetime, end_at: dt.datetime) -> exp.Expr:
        """Rows placed in ``[start_at, end_at)``."""
        return exp.and_(
            exp.GTE(this=self.timestamp.copy(), expression=instant(start_at)),
            exp.LT(this=self.timestamp.copy(), expression=instant(end_at)),
        )

    def selected(self, span: WindowSpan, *, peak: bool = True) -> exp.Expr:
        """The window's rows that the conditions (and, unless ``peak`` is False, the peak
        period) select."""
        at_peak = peak_condition(self.peak, self.timestamp) if self.peak and peak else None
        selected = all_of(self.within(span.start_at, span.end_at), *self.conditions(), at_peak)
        assert selected is not None
        return selected

    def excluded(self, span: WindowSpan) -> exp.Expr | None:
        """True for rows an applicable exclusion leaves out in this window; None when no
        exclusion can remove any of its rows."""
        periods = [
            exp.Paren(
                this=all_of(
                    self.within(interval.start_at, interval.end_at),
                    *interval.matching(self.source.columns),
                )
            )
            for interval in self.intervals
            if interval.overlaps(span)
        ]
        one_by_one = [holds(condition) for condition in self.row_exclusions]
        return any_of([*periods, *one_by_one])

    def excludes_in(self, span: WindowSpan | None) -> bool:
        """Whether any exclusion can remove rows of this window (always, without a window)."""
        return span is None or self.excluded(span) is not None

    def included(self, span: WindowSpan | None) -> exp.Expr | None:
        """The condition for rows that count (the ``__in`` flag), None when all rows count."""
        return column(INCLUDED) if self.excludes_in(span) else None

    def select(self, span: WindowSpan, *, peak: bool = True) -> exp.Select:
        """The window's selected rows with the inclusion flag ``__in``; ``peak=False`` keeps
        rows outside the peak period (time slices select by slice)."""
        excluded = self.excluded(span)
        flag = exp.Not(this=exp.Paren(this=excluded) if excluded is not None else exp.false())
        return (
            exp.select(exp.Star(), exp.alias_(flag, INCLUDED, quoted=False))
            .from_(source_table(self.source.id))
            .where(self.selected(span, peak=peak))
        )

    def excluded_rows(self, span: WindowSpan) -> exp.Expr:
        """The count of excluded rows of the window (a constant 0 when none can be)."""
        included = self.included(span)
        if included is None:
            return exp.Literal.number(0)
        return count(exp.Not(this=included))
