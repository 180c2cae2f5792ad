"""Evaluation runs, verdicts with their history, and the credit ledger (all append-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from accord.store.tables import CreditEntryRow, EvaluationRunRow, VerdictRow

__all__ = ["Credits", "RunMark", "Runs", "VerdictFilter", "VerdictKey", "Verdicts"]

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


@dataclass(frozen=True)
class RunMark:
    """What the scheduler needs of a recorded run: which period, judged as of when, started
    when and why."""

    period: str
    as_of: dt.datetime
    started_at: dt.datetime
    reason: str


class Runs:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: EvaluationRunRow) -> EvaluationRunRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_same(self, row: EvaluationRunRow) -> EvaluationRunRow | None:
        """A recorded run of the same agreement, version, period, as-of instant and reason."""
        return self._session.scalar(
            select(EvaluationRunRow)
            .where(
                EvaluationRunRow.agreement_id == row.agreement_id,
                EvaluationRunRow.version_id == row.version_id,
                EvaluationRunRow.period == row.period,
                EvaluationRunRow.as_of == row.as_of,
                EvaluationRunRow.reason == row.reason,
            )
            .limit(1)
        )

    def marks(self, agreement_id: int, *, except_period: str) -> list[RunMark]:
        """Every run of the agreement but those of one period (the open one), oldest first."""
        query = (
            select(
                EvaluationRunRow.period,
                EvaluationRunRow.as_of,
                EvaluationRunRow.started_at,
                EvaluationRunRow.reason,
            )
            .where(
                EvaluationRunRow.agreement_id == agreement_id,
                EvaluationRunRow.period != except_period,
            )
            .order_by(EvaluationRunRow.id)
        )
        return [RunMark(*row) for row in self._session.execute(query)]

    def judged_as_of(self, run_ids: Iterable[int]) -> dict[int, dt.datetime]:
        """Run id → the instant the run judged as of."""
        wanted = set(run_ids)
        if not wanted:
            return {}
        query = select(EvaluationRunRow.id, EvaluationRunRow.as_of).where(
            EvaluationRunRow.id.in_(wanted)
        )
        return {run_id: as_of for run_id, as_of in self._session.execute(query)}

    def all(self, agreement_id: int, limit: int = 100) -> Sequence[EvaluationRunRow]:
        query = (
            select(EvaluationRunRow)
            .where(EvaluationRunRow.agreement_id == agreement_id)
            .order_by(EvaluationRunRow.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all()


def _current_only(query: Select[VerdictRow]) -> Select[VerdictRow]:
    """Verdicts no later verdict supersedes. A verdict is only ever superseded within its
    agreement; saying so lets the database look at that agreement's rows alone instead of
    every verdict the tenant sees (PostgreSQL otherwise may hash them all)."""
    later = aliased(VerdictRow)
    return query.where(
        ~exists().where(
            later.supersedes_id == VerdictRow.id, later.agreement_id == VerdictRow.agreement_id
        )
    )


class Verdicts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: VerdictRow) -> VerdictRow:
        self._session.add(row)
        self._session.flush()
        return row

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


class Credits:
    """The credit ledger: the owed amount of a scheme for a window is the sum of its entries."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: CreditEntryRow) -> CreditEntryRow:
        self._session.add(row)
        self._session.flush()
        return row

    def balances(self, agreement_id: int) -> dict[tuple[str, str], tuple[Decimal, str]]:
        """(scheme, window) → (owed amount, currency)."""
        found: dict[tuple[str, str], tuple[Decimal, str]] = {}
        query = select(CreditEntryRow).where(CreditEntryRow.agreement_id == agreement_id)
        for row in self._session.scalars(query):
            key = (row.scheme, row.window_label)
            amount, _ = found.get(key, (Decimal(0), row.currency))
            found[key] = (amount + row.amount, row.currency)
        return found

    def all(self, agreement_id: int, window_label: str | None = None) -> Sequence[CreditEntryRow]:
        query = (
            select(CreditEntryRow)
            .where(CreditEntryRow.agreement_id == agreement_id)
            .order_by(CreditEntryRow.id)
        )
        if window_label is not None:
            query = query.where(CreditEntryRow.window_label == window_label)
        return self._session.scalars(query).all()
