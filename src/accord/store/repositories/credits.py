"""The credit ledger: entries whose sum per scheme and window is what is owed (append-only)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import CreditEntryRow

__all__ = ["Credits"]


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

    def owed_by_agreement(self) -> dict[int, dict[tuple[str, str], Decimal]]:
        """Agreement id → (window, currency) → owed, over every agreement the tenant sees."""
        found: dict[int, dict[tuple[str, str], Decimal]] = {}
        query = select(
            CreditEntryRow.agreement_id,
            CreditEntryRow.window_label,
            CreditEntryRow.currency,
            CreditEntryRow.amount,
        )
        for agreement_id, window, currency, amount in self._session.execute(query):
            owed = found.setdefault(agreement_id, {})
            owed[window, currency] = owed.get((window, currency), Decimal(0)) + amount
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
