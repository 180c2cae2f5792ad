"""Compliance records and the findings they raise against agreements (issue 12 §5).

Certifications and attestation reports are recorded per organisation (a partner records its
own; the company records any partner's), append-only: a renewed certificate is a new record.
The findings of an agreement compare what its processor holds with what its
``data_handling`` requires, on a day in the agreement's time zone (today unless asked).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.compliance.certifications import (
    EXPIRY_WARNING,
    Certification,
    certification_findings,
)
from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.model import Agreement
from accord.services.errors import Invalid
from accord.services.organisations import get_organisation
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, get_version, parsed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import CertificationRow

__all__ = [
    "CertificationView",
    "Compliance",
    "ComplianceFindings",
    "FindingView",
    "RecordCertification",
]

_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_MAX_TEXT: Final = 200


@dataclass(frozen=True, kw_only=True)
class RecordCertification:
    organisation: str
    #: Its ``document_sha256`` is the SHA-256 (hex) of the certificate or report as received.
    certificate: Certification


@dataclass(frozen=True)
class CertificationView:
    id: int
    organisation: str
    standard: str
    issuer: str
    scope: str
    valid_from: dt.date
    valid_until: dt.date
    document_sha256: str
    recorded_by: str
    recorded_at: dt.datetime
    #: pending, valid, expiring or expired, on the day asked about.
    status: str


@dataclass(frozen=True)
class FindingView:
    kind: str
    level: str
    subject: str
    message: str


@dataclass(frozen=True)
class ComplianceFindings:
    agreement: str
    version: int
    #: The day checked, in the agreement's time zone.
    day: dt.date
    #: The party processing data (``data_handling.processor``) and its organisation.
    processor: str | None
    organisation: str | None
    findings: list[FindingView]


def _certificate(row: CertificationRow) -> Certification:
    return Certification(
        standard=row.standard,
        issuer=row.issuer,
        scope=row.scope,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        document_sha256=row.document_sha256,
    )


def _view(row: CertificationRow, organisation: str, day: dt.date) -> CertificationView:
    return CertificationView(
        id=row.id,
        organisation=organisation,
        standard=row.standard,
        issuer=row.issuer,
        scope=row.scope,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        document_sha256=row.document_sha256,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        status=_certificate(row).status(day).value,
    )


def _finding(finding: Finding) -> FindingView:
    return FindingView(finding.kind.value, finding.level.value, finding.subject, finding.message)


def _checked(command: Certification) -> None:
    for name in ("standard", "issuer", "scope"):
        value: str = getattr(command, name)
        if not value.strip():
            raise Invalid(f"{name}: must not be empty")
        if name != "scope" and len(value) > _MAX_TEXT:
            raise Invalid(f"{name}: more than {_MAX_TEXT} characters")
    if command.valid_until < command.valid_from:
        raise Invalid(
            f"valid_until: {command.valid_until.isoformat()} is before valid_from "
            f"{command.valid_from.isoformat()}"
        )
    if not _SHA256.match(command.document_sha256):
        raise Invalid("document_sha256: must be 64 lowercase hexadecimal digits (SHA-256)")


class Compliance:
    """Use cases on compliance records."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def record_certification(
        self, principal: Principal, command: RecordCertification
    ) -> CertificationView:
        with self._context.uow(principal, write=True) as uow:
            # Another tenant's organisation is not found, whatever the principal may do.
            organisation = get_organisation(uow, command.organisation)
            principal.require(Permission.GOVERN)
            certificate = command.certificate
            _checked(certificate)
            row = uow.compliance.add_certification(
                CertificationRow(
                    organisation_id=organisation.id,
                    standard=certificate.standard.strip(),
                    issuer=certificate.issuer.strip(),
                    scope=certificate.scope.strip(),
                    valid_from=certificate.valid_from,
                    valid_until=certificate.valid_until,
                    document_sha256=certificate.document_sha256,
                    recorded_by=principal.name,
                    recorded_at=uow.now(),
                )
            )
            view = _view(row, organisation.slug, uow.now().date())
            uow.audit(
                "certification.recorded",
                "organisation",
                organisation.slug,
                after={
                    "id": row.id,
                    "standard": row.standard,
                    "issuer": row.issuer,
                    "scope": row.scope,
                    "valid_from": row.valid_from.isoformat(),
                    "valid_until": row.valid_until.isoformat(),
                    "document_sha256": row.document_sha256,
                },
            )
            uow.commit()
        return view

    def certifications(
        self, principal: Principal, organisation: str, *, day: dt.date | None = None
    ) -> list[CertificationView]:
        """Every certificate recorded for the organisation, with its status on ``day``
        (default: today, UTC)."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            found = get_organisation(uow, organisation)
            on = day or uow.now().date()
            return [_view(row, found.slug, on) for row in uow.compliance.certifications(found.id)]

    def findings(
        self,
        principal: Principal,
        slug: str,
        *,
        at: dt.datetime | None = None,
        warn_within: dt.timedelta = EXPIRY_WARNING,
    ) -> ComplianceFindings:
        """What the agreement's processor's records break (findings) or soon will (warnings),
        judged by the agreement's latest version as of ``at`` (default: now)."""
        principal.require(Permission.READ)
        if at is not None and at.tzinfo is None:
            raise Invalid(f"at: {at.isoformat()} has no time zone; e.g. 2026-11-03T09:00:00Z")
        with self._context.uow(principal) as uow:
            version = get_version(uow, get_agreement(uow, slug), None)
            agreement = parsed(version)
            day = (at or uow.now()).astimezone(ZoneInfo(agreement.timezone)).date()
            processor, organisation, findings = _processor_findings(
                uow, version.agreement_id, agreement, day, warn_within
            )
        return ComplianceFindings(
            agreement=slug,
            version=version.number,
            day=day,
            processor=processor,
            organisation=organisation,
            findings=[_finding(finding) for finding in findings],
        )


def _processor_findings(
    uow: UnitOfWork,
    agreement_id: int,
    agreement: Agreement,
    day: dt.date,
    warn_within: dt.timedelta,
) -> tuple[str | None, str | None, list[Finding]]:
    handling = agreement.data_handling
    if handling is None:
        return None, None, []
    organisation_id = uow.agreements.parties(agreement_id).get(handling.processor)
    organisation = None if organisation_id is None else uow.organisations.find(organisation_id)
    if organisation is None:
        unlinked = Finding(
            FindingKind.PROCESSOR_UNLINKED,
            Level.FINDING,
            handling.processor,
            f"the processor {handling.processor!r} is not linked to an organisation, "
            "so its compliance records cannot be checked",
        )
        return handling.processor, None, [unlinked]
    held = [_certificate(row) for row in uow.compliance.certifications(organisation.id)]
    found = certification_findings(handling.certifications, held, day, warn_within)
    return handling.processor, organisation.slug, found
