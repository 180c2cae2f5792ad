"""Pushed measurement batches: which are stored, and where their files are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
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

    def stored(self) -> Sequence[MeasurementBatchRow]:
        """Every batch with a stored file, of every agreement the tenant sees, oldest first."""
        query = (
            select(MeasurementBatchRow)
            .where(MeasurementBatchRow.file_path.is_not(None))
            .order_by(MeasurementBatchRow.id)
        )
        return self._session.scalars(query).all()

    def all(self, agreement_id: int, source: str | None = None) -> Sequence[MeasurementBatchRow]:
        query = (
            select(MeasurementBatchRow)
            .where(MeasurementBatchRow.agreement_id == agreement_id)
            .order_by(MeasurementBatchRow.id)
        )
        if source is not None:
            query = query.where(MeasurementBatchRow.source == source)
        return self._session.scalars(query).all()

    def arrived_after(
        self, agreement_id: int, closings: Sequence[tuple[dt.datetime, dt.datetime]]
    ) -> Sequence[MeasurementBatchRow]:
        """Batches with an event before ``end`` that were received after ``since``, for any
        ``(end, since)`` of ``closings``: data that came in after a span had been judged."""
        if not closings:
            return []
        query = (
            select(MeasurementBatchRow)
            .where(
                MeasurementBatchRow.agreement_id == agreement_id,
                MeasurementBatchRow.first_at.is_not(None),
                or_(
                    *(
                        and_(
                            MeasurementBatchRow.first_at < end,
                            MeasurementBatchRow.received_at > since,
                        )
                        for end, since in closings
                    )
                ),
            )
            .order_by(MeasurementBatchRow.id)
        )
        return self._session.scalars(query).all()

    def ended_before(self, agreement_id: int, cutoff: dt.datetime) -> Sequence[MeasurementBatchRow]:
        """Batches whose latest event (or, without events, receipt) is before ``cutoff``."""
        query = (
            select(MeasurementBatchRow)
            .where(
                MeasurementBatchRow.agreement_id == agreement_id,
                or_(
                    MeasurementBatchRow.last_at < cutoff,
                    and_(
                        MeasurementBatchRow.last_at.is_(None),
                        MeasurementBatchRow.received_at < cutoff,
                    ),
                ),
            )
            .order_by(MeasurementBatchRow.id)
        )
        return self._session.scalars(query).all()

    def remove(self, row: MeasurementBatchRow) -> None:
        self._session.delete(row)
        self._session.flush()
