"""The credit ledger: entries whose sum per scheme and window is what is owed (append-only),
and the manual adjustments that book some of them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import CreditAdjustmentRow, CreditEntryRow

__all__ = ["CreditEntrySummary", "Credits"]


class CreditEntrySummary(NamedTuple):
    """What the ledger's lists read of an entry."""

    agreement_id: int
    scheme: str
    window_label: str
    amount: Decimal
    currency: str
    clipped: Decimal | None
    caps: str | None
    #: The manual adjustment the entry books, if it is one.
    adjustment_id: int | None


class Credits:
    """The credit ledger: the owed amount of a scheme for a window is the sum of its entries."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: CreditEntryRow) -> CreditEntryRow:
        self._session.add(row)
        self._session.flush()
        return row

    def balances(
        self, agreement_id: int, *, judged_only: bool = False
    ) -> dict[tuple[str, str], tuple[Decimal, str]]:
        """(scheme, window) → (owed amount, currency); ``judged_only``: the entries of
        evaluations alone, without manual adjustments."""
        found: dict[tuple[str, str], tuple[Decimal, str]] = {}
        query = select(CreditEntryRow).where(CreditEntryRow.agreement_id == agreement_id)
        if judged_only:
            query = query.where(CreditEntryRow.adjustment_id.is_(None))
        for row in self._session.scalars(query):
            key = (row.scheme, row.window_label)
            amount, _ = found.get(key, (Decimal(0), row.currency))
            found[key] = (amount + row.amount, row.currency)
        return found

    def of_agreements(self, agreement_ids: Sequence[int]) -> list[CreditEntrySummary]:
        """Every entry of these agreements (those the tenant sees), oldest first, as plain
        rows: thousands of ORM objects would cost more than the query."""
        query = (
            select(
                CreditEntryRow.agreement_id,
                CreditEntryRow.scheme,
                CreditEntryRow.window_label,
                CreditEntryRow.amount,
                CreditEntryRow.currency,
                CreditEntryRow.clipped,
                CreditEntryRow.caps,
                CreditEntryRow.adjustment_id,
            )
            .where(CreditEntryRow.agreement_id.in_(agreement_ids))
            .order_by(CreditEntryRow.id)
        )
        return [CreditEntrySummary(*row) for row in self._session.execute(query)]

    def all(self, agreement_id: int, window_label: str | None = None) -> Sequence[CreditEntryRow]:
        query = (
            select(CreditEntryRow)
            .where(CreditEntryRow.agreement_id == agreement_id)
            .order_by(CreditEntryRow.id)
        )
        if window_label is not None:
            query = query.where(CreditEntryRow.window_label == window_label)
        return self._session.scalars(query).all()

    def add_adjustment(self, row: CreditAdjustmentRow) -> CreditAdjustmentRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_adjustment(self, agreement_id: int, adjustment_id: int) -> CreditAdjustmentRow | None:
        return self._session.scalar(
            select(CreditAdjustmentRow).where(
                CreditAdjustmentRow.agreement_id == agreement_id,
                CreditAdjustmentRow.id == adjustment_id,
            )
        )

    def adjustments(self, agreement_id: int) -> Sequence[CreditAdjustmentRow]:
        query = (
            select(CreditAdjustmentRow)
            .where(CreditAdjustmentRow.agreement_id == agreement_id)
            .order_by(CreditAdjustmentRow.id)
        )
        return self._session.scalars(query).all()

    def entry_of(self, adjustment_id: int) -> CreditEntryRow | None:
        """The ledger entry that booked an applied adjustment."""
        return self._session.scalar(
            select(CreditEntryRow).where(CreditEntryRow.adjustment_id == adjustment_id)
        )
