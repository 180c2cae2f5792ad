"""Evaluation runs, verdicts with their history, and the credit ledger (all append-only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from accord.store.tables import CreditEntryRow, EvaluationRunRow, VerdictRow

__all__ = ["Credits", "Runs", "VerdictFilter", "VerdictKey", "Verdicts"]

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


class Runs:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: EvaluationRunRow) -> EvaluationRunRow:
        self._session.add(row)
        self._session.flush()
        return row

    def all(self, agreement_id: int, limit: int = 100) -> Sequence[EvaluationRunRow]:
        query = (
            select(EvaluationRunRow)
            .where(EvaluationRunRow.agreement_id == agreement_id)
            .order_by(EvaluationRunRow.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all()


def _current_only(query: Select[VerdictRow]) -> Select[VerdictRow]:
    later = aliased(VerdictRow)
    return query.where(~exists().where(later.supersedes_id == VerdictRow.id))


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
