"""Verdicts with their history: a changed verdict is a new row that supersedes the old one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple, TypeVar

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import Session

from accord.store.tables import VerdictRow

__all__ = [
    "VerdictFilter",
    "VerdictKey",
    "VerdictSummaryRow",
    "Verdicts",
    "WindowOutcomesRow",
    "evidence_figures",
]

#: objective, canonical scope, window label: what one verdict is about.
VerdictKey = tuple[str, str, str]


@dataclass(frozen=True, kw_only=True)
class VerdictFilter:
    """Which verdicts to list; ``None`` matches everything. Superseded rows only on request."""

    objective: str | None = None
    scope_key: str | None = None
    window_label: str | None = None
    outcome: str | None = None
    include_superseded: bool = False


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])
#: The plain table, not the mapped class: the tenancy criteria would otherwise be added
#: inside the correlated subquery of ``_current_only``, which SQLite then runs again for
#: every outer row; the outer row's agreement is the tenant's already, and this one must
#: share it. Built once: an alias copies every column (a portfolio page built it anew per
#: query, which cost more than the query).
_LATER: Final = VerdictRow.__table__.alias("later")


def _current_only(query: _Query) -> _Query:
    """Verdicts no later verdict supersedes. A verdict is only ever superseded within its
    agreement; saying so lets the database look at that agreement's rows alone instead of
    every verdict the tenant sees (PostgreSQL otherwise may hash them all)."""
    return query.where(
        ~exists().where(
            _LATER.c.supersedes_id == VerdictRow.id,
            _LATER.c.agreement_id == VerdictRow.agreement_id,
        )
    )


class VerdictSummaryRow(NamedTuple):
    """What a list reads of a verdict, without its evidence."""

    id: int
    agreement_id: int
    objective: str
    scope_label: str
    window_label: str
    window_start: dt.datetime
    window_end: dt.datetime
    outcome: str


class WindowOutcomesRow(NamedTuple):
    """The current verdicts of one agreement's window, summed up."""

    agreement_id: int
    window_label: str
    window_start: dt.datetime
    window_end: dt.datetime
    #: How many verdicts have each outcome asked for, in the order asked.
    outcomes: tuple[int, ...]
    #: The least error budget left among them (below zero when overspent), if any has one.
    least_budget_left_ratio: float | None
    #: How many of them have an error budget, and how many of those spent it all.
    budgets: int
    exhausted: int
    least_coverage_ratio: float | None


def evidence_figures(evidence: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """Error budget left (1 − consumed) and coverage, as a verdict row keeps copies of them."""
    consumed = (evidence.get("budget") or {}).get("consumed_ratio")
    coverage = (evidence.get("coverage") or {}).get("ratio")
    return (
        None if consumed is None else 1 - float(consumed),
        None if coverage is None else float(coverage),
    )


class Verdicts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: VerdictRow) -> VerdictRow:
        self._session.add(row)
        self._session.flush()
        return row

    def by_ids(self, ids: Sequence[int]) -> dict[int, VerdictRow]:
        """The verdict rows with these ids that the tenant sees."""
        found: dict[int, VerdictRow] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = select(VerdictRow).where(VerdictRow.id.in_(chunk))
            found.update({row.id: row for row in self._session.scalars(query)})
        return found

    def current(self, agreement_id: int, windows: Sequence[str]) -> dict[VerdictKey, VerdictRow]:
        """The latest verdict of each objective × scope in the given windows."""
        query = _current_only(
            select(VerdictRow).where(
                VerdictRow.agreement_id == agreement_id, VerdictRow.window_label.in_(windows)
            )
        )
        return {
            (row.objective, row.scope_key, row.window_label): row
            for row in self._session.scalars(query)
        }

    def window_outcomes_since(
        self, since: dt.datetime, outcomes: Sequence[str]
    ) -> Sequence[WindowOutcomesRow]:
        """The current verdicts of every window ending at or after ``since``, over every
        agreement the tenant sees, summed up per agreement and window (how many have each
        of ``outcomes``, the least budget left and coverage): the portfolio in one grouped
        query, a row per window."""
        left = VerdictRow.budget_left_ratio
        counts = [func.count(case((VerdictRow.outcome == o, 1))) for o in outcomes]
        query = _current_only(
            select(
                VerdictRow.agreement_id,
                VerdictRow.window_label,
                VerdictRow.window_start,
                VerdictRow.window_end,
                *counts,
                func.min(left),
                func.count(left),
                func.count(case((left <= 0, 1))),
                func.min(VerdictRow.coverage_ratio),
            ).where(VerdictRow.window_end >= since)
        ).group_by(
            VerdictRow.agreement_id,
            VerdictRow.window_label,
            VerdictRow.window_start,
            VerdictRow.window_end,
        )
        size = len(outcomes)
        found = []
        for row in self._session.execute(query):
            values: tuple[Any, ...] = tuple(row)
            agreement_id, label, start, end = values[:4]
            least_left, budgets, exhausted, least_coverage = values[4 + size :]
            found.append(
                WindowOutcomesRow(
                    agreement_id,
                    label,
                    start,
                    end,
                    tuple(values[4 : 4 + size]),
                    least_left,
                    budgets,
                    exhausted,
                    least_coverage,
                )
            )
        return found

    def current_summaries(self, agreement_id: int) -> Sequence[VerdictSummaryRow]:
        """Every current verdict of an agreement without its evidence, oldest window first."""
        query = _current_only(
            select(
                VerdictRow.id,
                VerdictRow.agreement_id,
                VerdictRow.objective,
                VerdictRow.scope_label,
                VerdictRow.window_label,
                VerdictRow.window_start,
                VerdictRow.window_end,
                VerdictRow.outcome,
            ).where(VerdictRow.agreement_id == agreement_id)
        ).order_by(VerdictRow.window_start, VerdictRow.id)
        return [VerdictSummaryRow(*row) for row in self._session.execute(query)]

    def evidence_of(self, ids: Sequence[int]) -> dict[int, str]:
        """The evidence of the given verdicts (those the tenant sees)."""
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            query = select(VerdictRow.id, VerdictRow.evidence).where(
                VerdictRow.id.in_(ids[start : start + 500])
            )
            found.update((verdict_id, text) for verdict_id, text in self._session.execute(query))
        return found

    def find(self, agreement_id: int, verdict_id: int) -> VerdictRow | None:
        return self._session.scalar(
            select(VerdictRow).where(
                VerdictRow.agreement_id == agreement_id, VerdictRow.id == verdict_id
            )
        )

    def search(
        self, agreement_id: int, wanted: VerdictFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[VerdictRow], int]:
        """One page of matching verdicts (by window, objective, scope) and how many match."""
        query = select(VerdictRow).where(VerdictRow.agreement_id == agreement_id)
        for column, value in (
            (VerdictRow.objective, wanted.objective),
            (VerdictRow.scope_key, wanted.scope_key),
            (VerdictRow.window_label, wanted.window_label),
            (VerdictRow.outcome, wanted.outcome),
        ):
            if value is not None:
                query = query.where(column == value)
        if not wanted.include_superseded:
            query = _current_only(query)
        total = self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(
            VerdictRow.window_start,
            VerdictRow.objective,
            VerdictRow.scope_key,
            VerdictRow.id,
        )
        return self._session.scalars(page.limit(limit).offset(offset)).all(), int(total)

    def windows(
        self,
        agreement_id: int,
        *,
        overlapping: tuple[dt.datetime, dt.datetime],
        ending_by: dt.datetime,
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The windows ``[start, end)`` verdicts were recorded for that overlap the closed
        span ``overlapping`` and end no later than ``ending_by``."""
        first, last = overlapping
        query = (
            select(VerdictRow.window_start, VerdictRow.window_end)
            .where(
                VerdictRow.agreement_id == agreement_id,
                VerdictRow.window_start <= last,
                VerdictRow.window_end > first,
                VerdictRow.window_end <= ending_by,
            )
            .distinct()
        )
        return [(start, end) for start, end in self._session.execute(query)]

    def window_span(self, agreement_id: int, label: str) -> tuple[dt.datetime, dt.datetime] | None:
        """The span ``[start, end)`` of the window ``label`` verdicts were recorded for."""
        query = select(func.min(VerdictRow.window_start), func.max(VerdictRow.window_end)).where(
            VerdictRow.agreement_id == agreement_id, VerdictRow.window_label == label
        )
        found = self._session.execute(query).first()
        if found is None or found[0] is None:
            return None
        return found[0], found[1]

    def history(self, agreement_id: int, key: VerdictKey) -> Sequence[VerdictRow]:
        """Every recorded verdict for one objective × scope × window, oldest first."""
        objective, scope_key, window_label = key
        query = (
            select(VerdictRow)
            .where(
                VerdictRow.agreement_id == agreement_id,
                VerdictRow.objective == objective,
                VerdictRow.scope_key == scope_key,
                VerdictRow.window_label == window_label,
            )
            .order_by(VerdictRow.id)
        )
        return self._session.scalars(query).all()
