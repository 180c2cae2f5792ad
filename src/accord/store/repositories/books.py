"""Closed windows, restatements and credit claims: what became final, requests to change it,
and the lifecycle of what is owed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import ClosedWindowRow, CreditClaimRow, RestatementRow

__all__ = ["Books"]


class Books:
    def __init__(self, session: Session) -> None:
        self._session = session

    def close(self, row: ClosedWindowRow) -> ClosedWindowRow:
        self._session.add(row)
        self._session.flush()
        return row

    def closed(
        self, agreement_id: int, labels: Iterable[str] | None = None
    ) -> dict[str, ClosedWindowRow]:
        """Window label → its close, for the agreement's closed windows (or those of ``labels``)."""
        query = select(ClosedWindowRow).where(ClosedWindowRow.agreement_id == agreement_id)
        if labels is not None:
            query = query.where(ClosedWindowRow.window_label.in_(set(labels)))
        return {row.window_label: row for row in self._session.scalars(query)}

    def all_closed(self, agreement_id: int) -> Sequence[ClosedWindowRow]:
        query = (
            select(ClosedWindowRow)
            .where(ClosedWindowRow.agreement_id == agreement_id)
            .order_by(ClosedWindowRow.window_end, ClosedWindowRow.window_label)
        )
        return self._session.scalars(query).all()

    def add_restatement(self, row: RestatementRow) -> RestatementRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_restatement(self, agreement_id: int, restatement_id: int) -> RestatementRow | None:
        return self._session.scalar(
            select(RestatementRow).where(
                RestatementRow.agreement_id == agreement_id, RestatementRow.id == restatement_id
            )
        )

    def restatements(self, agreement_id: int) -> Sequence[RestatementRow]:
        query = (
            select(RestatementRow)
            .where(RestatementRow.agreement_id == agreement_id)
            .order_by(RestatementRow.id)
        )
        return self._session.scalars(query).all()

    def applied_restatements(self, agreement_ids: Sequence[int]) -> dict[int, list[RestatementRow]]:
        """The applied restatements of each of these agreements, oldest first (one read)."""
        found: dict[int, list[RestatementRow]] = {
            agreement_id: [] for agreement_id in agreement_ids
        }
        query = (
            select(RestatementRow)
            .where(
                RestatementRow.agreement_id.in_(agreement_ids),
                RestatementRow.state == "applied",
            )
            .order_by(RestatementRow.id)
        )
        for row in self._session.scalars(query):
            found[row.agreement_id].append(row)
        return found

    def add_claim(self, row: CreditClaimRow) -> CreditClaimRow:
        self._session.add(row)
        self._session.flush()
        return row

    def claims_of(self, agreement_ids: Sequence[int]) -> Sequence[CreditClaimRow]:
        """Every lifecycle step of these agreements' credits, oldest first."""
        query = (
            select(CreditClaimRow)
            .where(CreditClaimRow.agreement_id.in_(agreement_ids))
            .order_by(CreditClaimRow.id)
        )
        return self._session.scalars(query).all()

    def closed_of(self, agreement_ids: Sequence[int]) -> dict[tuple[int, str], dt.datetime]:
        """(agreement id, window label) → the window's end, for these agreements' closed
        windows."""
        query = select(
            ClosedWindowRow.agreement_id, ClosedWindowRow.window_label, ClosedWindowRow.window_end
        ).where(ClosedWindowRow.agreement_id.in_(agreement_ids))
        return {(a, label): end for a, label, end in self._session.execute(query)}

    def claims(self, agreement_id: int) -> Sequence[CreditClaimRow]:
        """Every lifecycle step of the agreement's credits, oldest first."""
        query = (
            select(CreditClaimRow)
            .where(CreditClaimRow.agreement_id == agreement_id)
            .order_by(CreditClaimRow.id)
        )
        return self._session.scalars(query).all()
