"""Governance reviews (issue 12 §4): the review pack of an agreement for a period — its
verdicts and credits (the period report's), the compliance findings, the term with its
renewal decisions, the open obligations, and the qualitative commitments to rate — as values
that ``accord.reports.review`` renders in the rendered agreement's look."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from accord.core.compliance.certifications import EXPIRY_WARNING
from accord.core.model import Agreement
from accord.core.obligations import ObligationState
from accord.core.period_report import AgreementResults
from accord.core.renewals import initial_term_end
from accord.core.review_pack import CommitmentToRate, DutyLine, ReviewPack, TermFacts
from accord.services.compliance import processor_findings
from accord.services.errors import Conflict
from accord.services.in_force import agreement_in_force
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.renewals import Renewals
from accord.services.reports import ReportQuery, Reports, period_labels
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import ObligationFilter
from accord.store.tables import AgreementRow

__all__ = ["Reviews"]


def _party_names(agreement: Agreement, ids: list[str]) -> tuple[str, ...]:
    names = {party.id: party.name for party in agreement.parties}
    return tuple(names.get(party, party) for party in ids)


def _duties(uow: UnitOfWork, row: AgreementRow) -> tuple[DutyLine, ...]:
    open_ones = uow.obligations.matching(
        ObligationFilter(agreement_id=row.id, states=(ObligationState.OPEN.value,))
    )
    return tuple(
        DutyLine(duty.due_at, duty.kind, duty.party, duty.subject, duty.state)
        for duty, _ in sorted(open_ones, key=lambda item: item[0].due_at)
    )


def _commitments(agreement: Agreement) -> tuple[CommitmentToRate, ...]:
    names = {party.id: party.name for party in agreement.parties}
    return tuple(
        CommitmentToRate(c.id, names.get(c.party, c.party), c.behaviour, c.evidence)
        for c in agreement.commitments
    )


class Reviews:
    def __init__(self, context: ServiceContext, reports: Reports, renewals: Renewals) -> None:
        self._context = context
        self._reports = reports
        self._renewals = renewals

    def pack(self, principal: Principal, slug: str, period: str) -> ReviewPack:
        """The review pack of ``slug`` for a month (2026-10) or quarter (2026-Q4)."""
        principal.require(Permission.READ)
        now = self._context.clock.now()
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            agreement = agreement_in_force(uow, row, now)
            if agreement is None:
                raise Conflict(f"agreement {slug!r} has no version yet")
            day = now.astimezone(ZoneInfo(agreement.timezone)).date()
            _, _, findings = processor_findings(uow, row.id, agreement, day, EXPIRY_WARNING)
            duties = _duties(uow, row)
        _, previous = period_labels(period)
        content = self._reports.content(principal, ReportQuery(period=period))
        results = next((item for item in content.agreements if item.id == slug), None)
        term = self._renewals.term(principal, slug)
        governance = agreement.governance
        return ReviewPack(
            agreement=slug,
            title=agreement.metadata.title,
            version=agreement.metadata.version,
            period=period,
            previous_period=previous,
            cadence=None if governance is None else governance.review_cadence,
            participants=_party_names(agreement, governance.participants if governance else []),
            results=results or AgreementResults(slug, agreement.metadata.title, []),
            findings=tuple(findings),
            term=TermFacts(
                effective=agreement.term.effective,
                renewal=agreement.term.renewal.mode.value,
                initial_term_end=initial_term_end(agreement),
                last_day=term.last_day,
                decisions=tuple(
                    f"{d.decided_at:%Y-%m-%d} {d.decision} by {d.party} (term ending {d.term_end})"
                    for d in term.decisions
                ),
            ),
            obligations=duties,
            commitments=_commitments(agreement),
            generated_at=now,
        )
