"""Amendments and disputes of agreements, with their events and evidence."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.governance_rows import (
    AmendmentEventRow,
    AmendmentRow,
    DisputeEventRow,
    DisputeEvidenceRow,
    DisputeRow,
)
from accord.store.tables import AgreementRow

__all__ = ["Amendments", "Disputes"]


class Amendments:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: AmendmentRow) -> AmendmentRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, agreement_id: int, amendment_id: int) -> AmendmentRow | None:
        return self._session.scalar(
            select(AmendmentRow).where(
                AmendmentRow.agreement_id == agreement_id, AmendmentRow.id == amendment_id
            )
        )

    def of(self, agreement_id: int, states: tuple[str, ...] = ()) -> Sequence[AmendmentRow]:
        query = select(AmendmentRow).where(AmendmentRow.agreement_id == agreement_id)
        if states:
            query = query.where(AmendmentRow.state.in_(states))
        return self._session.scalars(query.order_by(AmendmentRow.id)).all()

    def for_version(self, agreement_id: int, number: int) -> AmendmentRow | None:
        return self._session.scalar(
            select(AmendmentRow).where(
                AmendmentRow.agreement_id == agreement_id, AmendmentRow.version_number == number
            )
        )

    def add_event(self, row: AmendmentEventRow) -> AmendmentEventRow:
        self._session.add(row)
        self._session.flush()
        return row

    def events(self, amendment_id: int) -> Sequence[AmendmentEventRow]:
        return self._session.scalars(
            select(AmendmentEventRow)
            .where(AmendmentEventRow.amendment_id == amendment_id)
            .order_by(AmendmentEventRow.id)
        ).all()


class Disputes:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: DisputeRow) -> DisputeRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, agreement_id: int, dispute_id: int) -> DisputeRow | None:
        return self._session.scalar(
            select(DisputeRow).where(
                DisputeRow.agreement_id == agreement_id, DisputeRow.id == dispute_id
            )
        )

    def matching(
        self, *, agreement_id: int | None = None, states: tuple[str, ...] = ()
    ) -> Sequence[tuple[DisputeRow, str]]:
        query = select(DisputeRow, AgreementRow.slug).join(
            AgreementRow, AgreementRow.id == DisputeRow.agreement_id
        )
        if agreement_id is not None:
            query = query.where(DisputeRow.agreement_id == agreement_id)
        if states:
            query = query.where(DisputeRow.state.in_(states))
        return [(row, slug) for row, slug in self._session.execute(query.order_by(DisputeRow.id))]

    def add_event(self, row: DisputeEventRow) -> DisputeEventRow:
        self._session.add(row)
        self._session.flush()
        return row

    def events(self, dispute_id: int) -> Sequence[DisputeEventRow]:
        return self._session.scalars(
            select(DisputeEventRow)
            .where(DisputeEventRow.dispute_id == dispute_id)
            .order_by(DisputeEventRow.id)
        ).all()

    def add_evidence(self, row: DisputeEvidenceRow) -> DisputeEvidenceRow:
        self._session.add(row)
        self._session.flush()
        return row

    def evidence(self, dispute_id: int) -> Sequence[DisputeEvidenceRow]:
        return self._session.scalars(
            select(DisputeEvidenceRow)
            .where(DisputeEvidenceRow.dispute_id == dispute_id)
            .order_by(DisputeEvidenceRow.id)
        ).all()
