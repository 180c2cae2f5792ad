"""Compliance records of organisations: certifications and attestation reports, and
data-handling declarations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import CertificationRow, DataHandlingDeclarationRow

__all__ = ["Compliance"]


class Compliance:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_certification(self, row: CertificationRow) -> CertificationRow:
        self._session.add(row)
        self._session.flush()
        return row

    def certifications(self, organisation_id: int) -> Sequence[CertificationRow]:
        query = (
            select(CertificationRow)
            .where(CertificationRow.organisation_id == organisation_id)
            .order_by(CertificationRow.standard, CertificationRow.valid_from, CertificationRow.id)
        )
        return self._session.scalars(query).all()

    def add_declaration(self, row: DataHandlingDeclarationRow) -> DataHandlingDeclarationRow:
        self._session.add(row)
        self._session.flush()
        return row

    def latest_declaration(self, organisation_id: int) -> DataHandlingDeclarationRow | None:
        return self._session.scalar(
            select(DataHandlingDeclarationRow)
            .where(DataHandlingDeclarationRow.organisation_id == organisation_id)
            .order_by(DataHandlingDeclarationRow.id.desc())
            .limit(1)
        )
