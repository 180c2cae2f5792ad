"""Compliance records and the findings they raise against agreements (issue 12 §5).

Certifications and attestation reports, and data-handling declarations (locations,
sub-processors, encryption, access), are recorded per organisation (a partner records its
own; the company records any partner's), append-only: a renewed certificate is a new record,
a new declaration replaces the previous one in force. The findings of an agreement compare
what its processor holds and declares with what its ``data_handling`` requires, on a day in
the agreement's time zone (today unless asked).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.compliance.certifications import (
    EXPIRY_WARNING,
    Certification,
    certification_findings,
)
from accord.core.compliance.declarations import (
    DataLocation,
    Declaration,
    SubProcessor,
    declaration_findings,
    location_notices,
)
from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.model import Agreement
from accord.services.actors import shown_actor
from accord.services.errors import Invalid, NotFound
from accord.services.in_force import agreement_in_force
from accord.services.obligations import record_obligation
from accord.services.organisations import get_organisation
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, get_version, parsed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import AgreementRow, CertificationRow, DataHandlingDeclarationRow

__all__ = [
    "CertificationView",
    "Compliance",
    "ComplianceFindings",
    "DeclarationView",
    "DeclareDataHandling",
    "FindingView",
    "RecordCertification",
    "declaration_from",
    "declaration_of",
    "processor_findings",
]

_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_COUNTRY: Final = re.compile(r"^[A-Z]{2}$")
_MAX_TEXT: Final = 200


@dataclass(frozen=True, kw_only=True)
class RecordCertification:
    organisation: str
    #: Its ``document_sha256`` is the SHA-256 (hex) of the certificate or report as received.
    certificate: Certification


@dataclass(frozen=True, kw_only=True)
class DeclareDataHandling:
    organisation: str
    declaration: Declaration


@dataclass(frozen=True)
class DeclarationView:
    organisation: str
    declaration: Declaration
    declared_by: str
    declared_at: dt.datetime


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


def _view(
    uow: UnitOfWork, row: CertificationRow, organisation: str, day: dt.date
) -> CertificationView:
    return CertificationView(
        id=row.id,
        organisation=organisation,
        standard=row.standard,
        issuer=row.issuer,
        scope=row.scope,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        document_sha256=row.document_sha256,
        recorded_by=shown_actor(uow, row.recorded_by),
        recorded_at=row.recorded_at,
        status=_certificate(row).status(day).value,
    )


def _finding(finding: Finding) -> FindingView:
    return FindingView(finding.kind.value, finding.level.value, finding.subject, finding.message)


def declaration_of(row: DataHandlingDeclarationRow) -> Declaration:
    data = json.loads(row.content)
    return Declaration(
        locations=tuple(DataLocation(**item) for item in data["locations"]),
        subprocessors=tuple(SubProcessor(**item) for item in data["subprocessors"]),
        encryption_at_rest=data["encryption_at_rest"],
        encryption_in_transit=data["encryption_in_transit"],
        access=data["access"],
    )


def _texts(data: object, where: str, names: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(data, dict):
        raise Invalid(f"{where}: expected a mapping with {', '.join(names)}")
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise Invalid(f"{where}: unknown field {unknown[0]!r}; fields: {', '.join(names)}")
    for name in names:
        if not isinstance(data.get(name), str):
            raise Invalid(f"{where}.{name}: expected text")
    return {name: data[name] for name in names}


def declaration_from(data: object) -> Declaration:
    """A declaration from plain data (a YAML or JSON file); ``Invalid`` names the field."""
    fields = ("locations", "subprocessors", "encryption_at_rest", "encryption_in_transit", "access")
    if not isinstance(data, dict):
        raise Invalid(f"a declaration is a mapping with {', '.join(fields)}")
    lists = {name: data.get(name, []) for name in ("locations", "subprocessors")}
    for name, value in lists.items():
        if not isinstance(value, list):
            raise Invalid(f"{name}: expected a list")
    locations = tuple(
        DataLocation(**_texts(item, f"locations[{i}]", ("country", "description")))
        for i, item in enumerate(lists["locations"])
    )
    subprocessors = tuple(
        SubProcessor(**_texts(item, f"subprocessors[{i}]", ("name", "country", "service")))
        for i, item in enumerate(lists["subprocessors"])
    )
    texts = _texts(
        {k: v for k, v in data.items() if k not in lists},
        "declaration",
        ("encryption_at_rest", "encryption_in_transit", "access"),
    )
    return Declaration(locations=locations, subprocessors=subprocessors, **texts)


def _checked_declaration(declaration: Declaration) -> None:
    if not declaration.locations:
        raise Invalid("locations: declare at least one place where data is kept")
    places = [
        ("locations", i, p.country, p.description) for i, p in enumerate(declaration.locations)
    ]
    places += [
        ("subprocessors", i, s.country, s.name) for i, s in enumerate(declaration.subprocessors)
    ]
    for field, index, country, name in places:
        if not _COUNTRY.match(country):
            raise Invalid(
                f"{field}[{index}].country: {country!r} is not an ISO 3166-1 alpha-2 code "
                "(e.g. DE, PT)"
            )
        if not name.strip():
            raise Invalid(f"{field}[{index}]: needs a name or description")
    for field in ("encryption_at_rest", "encryption_in_transit", "access"):
        if not str(getattr(declaration, field)).strip():
            raise Invalid(f"{field}: must not be empty")


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
            view = _view(uow, row, organisation.slug, uow.now().date())
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

    def declare_data_handling(
        self, principal: Principal, command: DeclareDataHandling
    ) -> DeclarationView:
        """Record what the organisation declares now; it replaces the previous declaration."""
        with self._context.uow(principal, write=True) as uow:
            organisation = get_organisation(uow, command.organisation)
            principal.require(Permission.GOVERN)
            _checked_declaration(command.declaration)
            previous = uow.compliance.latest_declaration(organisation.id)
            content = asdict(command.declaration)
            row = uow.compliance.add_declaration(
                DataHandlingDeclarationRow(
                    organisation_id=organisation.id,
                    content=json.dumps(content, sort_keys=True),
                    declared_by=principal.name,
                    declared_at=uow.now(),
                )
            )
            uow.audit(
                "data_handling.declared",
                "organisation",
                organisation.slug,
                before=None if previous is None else json.loads(previous.content),
                after=content,
            )
            before = None if previous is None else declaration_of(previous)
            for agreement_row, agreement in _processed_by(uow, organisation.id):
                assert agreement.data_handling is not None
                for notice in location_notices(
                    agreement.data_handling,
                    before,
                    command.declaration,
                    row.declared_at,
                    agreement.timezone,
                ):
                    record_obligation(uow, agreement_row, notice)
            uow.commit()
        return DeclarationView(
            organisation.slug, command.declaration, row.declared_by, row.declared_at
        )

    def declaration(self, principal: Principal, organisation: str) -> DeclarationView:
        """The organisation's declaration in force (its latest); ``NotFound`` when none."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            found = get_organisation(uow, organisation)
            row = uow.compliance.latest_declaration(found.id)
            if row is None:
                raise NotFound(f"{found.slug} has not declared how it handles data")
            return DeclarationView(
                found.slug, declaration_of(row), shown_actor(uow, row.declared_by), row.declared_at
            )

    def certifications(
        self, principal: Principal, organisation: str, *, day: dt.date | None = None
    ) -> list[CertificationView]:
        """Every certificate recorded for the organisation, with its status on ``day``
        (default: today, UTC)."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            found = get_organisation(uow, organisation)
            on = day or uow.now().date()
            return [
                _view(uow, row, found.slug, on) for row in uow.compliance.certifications(found.id)
            ]

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
            processor, organisation, findings = processor_findings(
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


def _processed_by(uow: UnitOfWork, organisation_id: int) -> list[tuple[AgreementRow, Agreement]]:
    """The agreements (their versions in force now) whose data the organisation processes."""
    found = []
    for agreement_id, parties in uow.agreements.all_parties().items():
        row = uow.agreements.find(agreement_id)
        agreement = None if row is None else agreement_in_force(uow, row, uow.now())
        if row is None or agreement is None or agreement.data_handling is None:
            continue
        if parties.get(agreement.data_handling.processor) == organisation_id:
            found.append((row, agreement))
    return found


def processor_findings(  # the processor, its organisation and the findings
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
    declared = uow.compliance.latest_declaration(organisation.id)
    found += declaration_findings(handling, None if declared is None else declaration_of(declared))
    return handling.processor, organisation.slug, found
