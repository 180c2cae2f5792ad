"""Pushed measurement batches: which are stored, where their files are, and the index of
their events' identity keys that pushes look duplicates up in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from accord.store.tables import BatchIndexRow, BatchKeyRow, MeasurementBatchRow

#: Keys per look-up or insert statement: well under SQLite's bound-parameter limit.
_CHUNK: Final = 900

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
        """Remove the batch and its events' keys (its events are no longer held)."""
        self.remove_keys(row)
        self._session.delete(row)
        self._session.flush()

    # -- the index of identity keys ------------------------------------------------------

    def known_keys(self, agreement_id: int, source: str, keys: Sequence[str]) -> set[str]:
        """Of ``keys``, those an indexed batch of the source holds."""
        found: set[str] = set()
        for start in range(0, len(keys), _CHUNK):
            query = select(BatchKeyRow.key).where(
                BatchKeyRow.agreement_id == agreement_id,
                BatchKeyRow.source == source,
                BatchKeyRow.key.in_(keys[start : start + _CHUNK]),
            )
            found.update(self._session.scalars(query))
        return found

    def add_keys(self, batch: MeasurementBatchRow, keys: Sequence[str], identity: str) -> None:
        """Index the batch's events' keys, computed under ``identity``."""
        rows = [
            {
                "agreement_id": batch.agreement_id,
                "source": batch.source,
                "key": key,
                "measurement_batch_id": batch.id,
            }
            for key in sorted(set(keys))
        ]
        for start in range(0, len(rows), _CHUNK):
            self._session.execute(insert(BatchKeyRow), rows[start : start + _CHUNK])
        self._session.add(
            BatchIndexRow(
                measurement_batch_id=batch.id, agreement_id=batch.agreement_id, identity=identity
            )
        )
        self._session.flush()

    def remove_keys(self, batch: MeasurementBatchRow) -> None:
        self._session.execute(
            delete(BatchKeyRow).where(BatchKeyRow.measurement_batch_id == batch.id)
        )
        self._session.execute(
            delete(BatchIndexRow).where(BatchIndexRow.measurement_batch_id == batch.id)
        )

    def unindexed(
        self, agreement_id: int, source: str, identity: str
    ) -> Sequence[MeasurementBatchRow]:
        """Batches of the source with a file whose keys are not indexed under ``identity``
        (recorded before the index, or under another identity), oldest first."""
        indexed = select(BatchIndexRow.measurement_batch_id).where(
            BatchIndexRow.agreement_id == agreement_id, BatchIndexRow.identity == identity
        )
        query = (
            select(MeasurementBatchRow)
            .where(
                MeasurementBatchRow.agreement_id == agreement_id,
                MeasurementBatchRow.source == source,
                MeasurementBatchRow.file_path.is_not(None),
                MeasurementBatchRow.id.not_in(indexed),
            )
            .order_by(MeasurementBatchRow.id)
        )
        return self._session.scalars(query).all()
