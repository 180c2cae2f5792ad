"""Pushed measurement batches: which are stored, and where their files are."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import MeasurementBatchRow

__all__ = ["Batches"]


class Batches:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: MeasurementBatchRow) -> MeasurementBatchRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, agreement_id: int, source: str, batch_id: str) -> MeasurementBatchRow | None:
        return self._session.scalar(
            select(MeasurementBatchRow).where(
                MeasurementBatchRow.agreement_id == agreement_id,
                MeasurementBatchRow.source == source,
                MeasurementBatchRow.batch_id == batch_id,
            )
        )

    def files(self, agreement_id: int, source: str) -> list[str]:
        """Files of the committed batches of a source, oldest first (relative paths)."""
        query = (
            select(MeasurementBatchRow.file_path)
            .where(
                MeasurementBatchRow.agreement_id == agreement_id,
                MeasurementBatchRow.source == source,
                MeasurementBatchRow.file_path.is_not(None),
            )
            .order_by(MeasurementBatchRow.id)
        )
        return [path for path in self._session.scalars(query) if path is not None]

    def all(self, agreement_id: int, source: str | None = None) -> Sequence[MeasurementBatchRow]:
        query = (
            select(MeasurementBatchRow)
            .where(MeasurementBatchRow.agreement_id == agreement_id)
            .order_by(MeasurementBatchRow.id)
        )
        if source is not None:
            query = query.where(MeasurementBatchRow.source == source)
        return self._session.scalars(query).all()
