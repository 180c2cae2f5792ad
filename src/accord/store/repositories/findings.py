"""Chronic-failure and consistency findings as runs recorded them (append-only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import FindingRow

__all__ = ["Findings"]


class Findings:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: FindingRow) -> FindingRow:
        self._session.add(row)
        self._session.flush()
        return row

    def current(self, agreement_id: int) -> dict[tuple[str, str, str], FindingRow]:
        """(kind, subject, window) → the latest finding recorded for it."""
        query = (
            select(FindingRow)
            .where(FindingRow.agreement_id == agreement_id)
            .order_by(FindingRow.id)
        )
        return {(r.kind, r.subject, r.window_label): r for r in self._session.scalars(query)}
