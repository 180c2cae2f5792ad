"""Compliance and governance records: certifications, attestation reports and data-handling
declarations of organisations; renewal decisions, legal holds and governance review
entries of agreements."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.governance_rows import AmendmentRow, DisputeEvidenceRow, DisputeRow
from accord.store.incident_rows import IncidentRow
from accord.store.tables import (
    CertificationRow,
    DataHandlingDeclarationRow,
    LegalHoldRow,
    ObligationRow,
    RenewalDecisionRow,
    ReviewEntryRow,
)

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

    def add_decision(self, row: RenewalDecisionRow) -> RenewalDecisionRow:
        self._session.add(row)
        self._session.flush()
        return row

    def decisions(self, agreement_id: int) -> Sequence[RenewalDecisionRow]:
        query = (
            select(RenewalDecisionRow)
            .where(RenewalDecisionRow.agreement_id == agreement_id)
            .order_by(RenewalDecisionRow.decided_at, RenewalDecisionRow.id)
        )
        return self._session.scalars(query).all()

    def add_hold(self, row: LegalHoldRow) -> LegalHoldRow:
        self._session.add(row)
        self._session.flush()
        return row

    def holds(self, agreement_id: int, *, active_only: bool = False) -> Sequence[LegalHoldRow]:
        query = (
            select(LegalHoldRow)
            .where(LegalHoldRow.agreement_id == agreement_id)
            .order_by(LegalHoldRow.id)
        )
        if active_only:
            query = query.where(LegalHoldRow.released_at.is_(None))
        return self._session.scalars(query).all()

    def find_hold(self, agreement_id: int, hold_id: int) -> LegalHoldRow | None:
        return self._session.scalar(
            select(LegalHoldRow).where(
                LegalHoldRow.agreement_id == agreement_id, LegalHoldRow.id == hold_id
            )
        )

    def add_review_entry(self, row: ReviewEntryRow) -> ReviewEntryRow:
        self._session.add(row)
        self._session.flush()
        return row

    def review_entries(self, agreement_id: int, period: str) -> Sequence[ReviewEntryRow]:
        query = (
            select(ReviewEntryRow)
            .where(ReviewEntryRow.agreement_id == agreement_id, ReviewEntryRow.period == period)
            .order_by(ReviewEntryRow.id)
        )
        return self._session.scalars(query).all()

    def owned(self, agreement_id: int) -> dict[str, set[str]]:
        """The ids (as audit entries name them) of the agreement's obligations, disputes,
        amendments and incidents, by entity."""
        columns = {
            "obligation": (ObligationRow.id, ObligationRow.agreement_id),
            "dispute": (DisputeRow.id, DisputeRow.agreement_id),
            "amendment": (AmendmentRow.id, AmendmentRow.agreement_id),
            "incident": (IncidentRow.id, IncidentRow.agreement_id),
        }
        return {
            entity: {
                str(found)
                for found in self._session.scalars(select(key).where(owner == agreement_id))
            }
            for entity, (key, owner) in columns.items()
        }

    def dispute_files(self, agreement_id: int) -> Sequence[tuple[DisputeRow, DisputeEvidenceRow]]:
        """Every stored evidence file (files and data) of the agreement's disputes, with its
        dispute."""
        query = (
            select(DisputeRow, DisputeEvidenceRow)
            .join(DisputeEvidenceRow, DisputeEvidenceRow.dispute_id == DisputeRow.id)
            .where(
                DisputeRow.agreement_id == agreement_id,
                DisputeEvidenceRow.kind.in_(("file", "data")),
            )
            .order_by(DisputeEvidenceRow.id)
        )
        return [(dispute, item) for dispute, item in self._session.execute(query)]
