"""Verdicts with their history: a changed verdict is a new row that supersedes the old one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from accord.store.tables import VerdictRow

__all__ = ["VerdictFilter", "VerdictKey", "VerdictSummaryRow", "Verdicts"]

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


def _current_only(query: _Query) -> _Query:
    """Verdicts no later verdict supersedes. A verdict is only ever superseded within its
    agreement; saying so lets the database look at that agreement's rows alone instead of
    every verdict the tenant sees (PostgreSQL otherwise may hash them all)."""
    later = aliased(VerdictRow)
    return query.where(
        ~exists().where(
            later.supersedes_id == VerdictRow.id, later.agreement_id == VerdictRow.agreement_id
        )
    )


class VerdictSummaryRow(NamedTuple):
    """What the portfolio reads of a verdict."""

    id: int
    agreement_id: int
    window_label: str
    window_start: dt.datetime
    window_end: dt.datetime
    outcome: str


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

    def current_ending_since(self, since: dt.datetime) -> Sequence[VerdictSummaryRow]:
        """The latest verdict of every objective × scope × window ending at or after
        ``since``, over every agreement the tenant sees (the portfolio in one query), as
        plain rows without their evidence (``evidence_of``): reading thousands of verdicts as
        ORM objects, or their evidence text, costs more than the query."""
        query = _current_only(
            select(
                VerdictRow.id,
                VerdictRow.agreement_id,
                VerdictRow.window_label,
                VerdictRow.window_start,
                VerdictRow.window_end,
                VerdictRow.outcome,
            ).where(VerdictRow.window_end >= since)
        )
        return [
            VerdictSummaryRow(*row)
            for row in self._session.execute(query.order_by(VerdictRow.agreement_id))
        ]

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
