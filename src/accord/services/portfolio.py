"""The agreement portfolio: stored agreements, their immutable versions and their parties.

A version is uploaded as YAML text and checked exactly as ``accord validate`` checks a file;
a rejected upload names every problem with its line and column. Versions are never changed:
uploading new text adds version ``n + 1`` (text with the same meaning as the latest version
adds nothing). Each consumer and provider party is linked, once and for good, to an
organisation: that link is what lets a partner see the agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo

from accord.core.amendments import SignOff
from accord.core.diff import diff_agreements
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.model.parties import PartyRole
from accord.core.problems import Problem, Severity
from accord.core.versions import VersionSpan, in_force
from accord.services.actors import shown_actor
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.in_force import parsed
from accord.services.obligations import schedule_notices, schedule_reviews
from accord.services.organisations import get_organisation
from accord.services.permissions import Permission, Principal
from accord.services.rendering import DocumentFormat
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import AgreementPartyRow, AgreementRow, AgreementVersionRow

__all__ = [
    "AgreementView",
    "Document",
    "NewVersion",
    "PartyView",
    "Portfolio",
    "UploadVersion",
    "VersionText",
    "VersionView",
    "add_version",
    "agreement_view",
    "get_agreement",
    "get_version",
    "get_version_in_force",
    "loaded_text",
    "parsed",
    "sign_off",
    "version_spans",
]

_MUST_LINK: Final = (PartyRole.CONSUMER, PartyRole.PROVIDER)
_FORMATS: Final = {
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}
_DOCUMENT_FORMATS: Final[dict[str, DocumentFormat]] = {
    "html": "html",
    "markdown": "markdown",
    "pdf": "pdf",
}


@dataclass(frozen=True, kw_only=True)
class UploadVersion:
    text: str
    #: Party id in the YAML → organisation; parties named like an organisation link to it.
    parties: Mapping[str, str] = field(default_factory=dict)
    #: Shown in problems in place of a file name.
    name: str = "agreement.yaml"
    #: When the version takes effect, if the file does not say (``metadata.effective``);
    #: ``None``: when it is uploaded (the first version: from the start of its term).
    effective_at: dt.datetime | None = None
    #: Why the version takes effect before its upload: a backdated correction must say so.
    backdated: str | None = None


@dataclass(frozen=True)
class PartyView:
    id: str
    name: str
    role: str
    organisation: str | None


@dataclass(frozen=True)
class VersionView:
    agreement: str
    number: int
    label: str
    version_hash: str
    uploaded_by: str
    uploaded_at: dt.datetime
    effective_at: dt.datetime
    #: Why it took effect before its upload (a backdated correction); else ``None``.
    backdated: str | None
    #: False when the upload matched the latest version and so added nothing.
    created: bool = True
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class VersionText:
    version: VersionView
    text: str


@dataclass(frozen=True)
class AgreementView:
    id: str
    title: str
    #: ``None`` when the caller's organisation does not see the owner (partners).
    owner: str | None
    latest: VersionView | None
    parties: list[PartyView]
    versions: list[VersionView]


@dataclass(frozen=True)
class Document:
    media_type: str
    content: bytes
    filename: str


def get_agreement(uow: UnitOfWork, slug: str) -> AgreementRow:
    """The agreement, if the principal's tenant may see it; otherwise ``NotFound``."""
    row = uow.agreements.find_by_slug(slug)
    if row is None:
        raise NotFound(f"no agreement {slug!r}")
    return row


def get_version(uow: UnitOfWork, row: AgreementRow, number: int | None) -> AgreementVersionRow:
    """Version ``number`` of the agreement, or its latest when ``number`` is ``None``."""
    if number is None:
        version = uow.agreements.latest_version(row.id)
    else:
        version = uow.agreements.find_version(row.id, number)
    if version is None:
        which = "any version" if number is None else f"a version {number}"
        raise NotFound(f"agreement {row.slug!r} has no {which}")
    return version


def version_spans(uow: UnitOfWork, row: AgreementRow) -> dict[VersionSpan, AgreementVersionRow]:
    """Every version of the agreement by when it takes effect (``accord.core.versions``)."""
    found = {VersionSpan(v.effective_at, v.number): v for v in uow.agreements.versions(row.id)}
    if not found:
        raise NotFound(f"agreement {row.slug!r} has no version")
    return found


def get_version_in_force(
    uow: UnitOfWork, row: AgreementRow, at: dt.datetime
) -> AgreementVersionRow:
    """The version that governs the instant ``at``."""
    spans = version_spans(uow, row)
    return spans[in_force(spans, at)]


def _version_view(
    uow: UnitOfWork, slug: str, row: AgreementVersionRow, **extra: Any
) -> VersionView:
    return VersionView(
        agreement=slug,
        number=row.number,
        label=row.label,
        version_hash=row.version_hash,
        uploaded_by=shown_actor(uow, row.uploaded_by),
        uploaded_at=row.uploaded_at,
        effective_at=row.effective_at,
        backdated=row.backdated,
        **extra,
    )


def loaded_text(text: str, name: str) -> tuple[Agreement, list[Problem]]:
    """The agreement a text holds, with its warnings; ``Invalid`` with every error."""
    loaded = load_agreement(text, name)
    errors = [p for p in loaded.problems if p.severity is Severity.ERROR]
    if not loaded.ok or loaded.agreement is None:
        count = len(errors)
        raise Invalid(
            f"{name}: the agreement is not valid ({count} problem{'s' * (count != 1)})",
            errors,
        )
    return loaded.agreement, [p for p in loaded.problems if p.severity is Severity.WARNING]


def _effective_at(
    command: UploadVersion, agreement: Agreement, now: dt.datetime, *, first: bool
) -> dt.datetime:
    """When an uploaded version takes effect: as uploaded, as the file says, or now (the
    first version: from the start of its term). Later versions take effect before their
    upload only as a backdated correction that says why."""
    declared = agreement.effective_at()
    if command.effective_at is not None:
        if command.effective_at.tzinfo is None:
            raise Invalid("effective_at must carry a time zone")
        if declared is not None and declared != command.effective_at:
            raise Invalid(
                f"the file takes effect at {declared.isoformat()} (metadata.effective), the "
                f"upload says {command.effective_at.isoformat()}: give one of them"
            )
        declared = command.effective_at.astimezone(dt.UTC)
    if declared is None:
        if first:
            start = dt.datetime.combine(
                agreement.term.effective, dt.time(), tzinfo=ZoneInfo(agreement.timezone)
            )
            return min(now, start.astimezone(dt.UTC))
        return now
    if declared < now and not first and not (command.backdated or "").strip():
        raise Invalid(
            f"the version takes effect at {declared.isoformat()}, before its upload: a "
            "backdated correction must say why (backdated: <reason>), or take effect later"
        )
    return declared


@dataclass(frozen=True, kw_only=True)
class NewVersion:
    """A version to store: the text, the agreement it holds, and when it takes effect."""

    agreement: Agreement
    text: str
    effective_at: dt.datetime
    #: Why it takes effect before it is stored (a backdated correction).
    backdated: str | None = None
    #: The audit entry's action.
    action: str = "agreement_version.uploaded"


def add_version(uow: UnitOfWork, row: AgreementRow, new: NewVersion) -> AgreementVersionRow:
    """Store the agreement's next version with its audit entry and its notice deadlines, in
    the caller's transaction."""
    agreement = new.agreement
    latest = uow.agreements.latest_version(row.id)
    version = uow.agreements.add_version(
        AgreementVersionRow(
            agreement_id=row.id,
            number=uow.agreements.next_version_number(row.id),
            label=agreement.metadata.version,
            version_hash=agreement.version_hash(),
            text=new.text,
            uploaded_by=uow.principal.name,
            uploaded_at=uow.now(),
            effective_at=new.effective_at,
            backdated=new.backdated,
        )
    )
    row.title = agreement.metadata.title
    schedule_notices(uow, row, agreement)
    schedule_reviews(uow, row, agreement)
    uow.audit(
        new.action,
        "agreement",
        row.slug,
        before=None if latest is None else _version_record(latest),
        after=_version_record(version),
    )
    return version


def sign_off(uow: UnitOfWork, row: AgreementRow, version: AgreementVersionRow) -> list[SignOff]:
    """The approvals of the amendment that became ``version`` (none: it was uploaded)."""
    amendment = uow.amendments.for_version(row.id, version.number)
    if amendment is None:
        return []
    names = {party.id: party.name for party in parsed(version).parties}
    return [
        SignOff(e.party, names.get(e.party, e.party), shown_actor(uow, e.actor), e.at)
        for e in uow.amendments.events(amendment.id)
        if e.kind == "approved"
    ]


class Portfolio:
    """Use cases on stored agreements."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def upload(self, principal: Principal, command: UploadVersion) -> VersionView:
        principal.require(Permission.MANAGE_AGREEMENTS)
        if not principal.company:
            raise Forbidden("only the company uploads agreements")
        agreement, warnings = loaded_text(command.text, command.name)
        slug = agreement.metadata.id
        with self._context.uow(principal, write=True) as uow:
            uow.serialise("agreement", slug)
            row = uow.agreements.find_by_slug(slug) or self._create(uow, agreement)
            self._link_parties(uow, row, agreement, command.parties)
            latest = uow.agreements.latest_version(row.id)
            if latest is not None and latest.version_hash == agreement.version_hash():
                uow.commit()
                return _version_view(uow, slug, latest, created=False, warnings=warnings)
            effective_at = _effective_at(command, agreement, uow.now(), first=latest is None)
            backdated = command.backdated if effective_at < uow.now() else None
            new = NewVersion(
                agreement=agreement,
                text=command.text,
                effective_at=effective_at,
                backdated=backdated,
            )
            version = add_version(uow, row, new)
            view = _version_view(uow, slug, version, warnings=warnings)
            uow.commit()
        return view

    def agreements(self, principal: Principal) -> list[AgreementView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return [agreement_view(uow, row, with_versions=False) for row in uow.agreements.all()]

    def agreement(self, principal: Principal, slug: str) -> AgreementView:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return agreement_view(uow, get_agreement(uow, slug), with_versions=True)

    def version(self, principal: Principal, slug: str, number: int | None) -> VersionText:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            version = get_version(uow, get_agreement(uow, slug), number)
            return VersionText(_version_view(uow, slug, version), version.text)

    def in_force(
        self, principal: Principal, slug: str, at: dt.datetime | None = None
    ) -> VersionView:
        """The version in force at the instant ``at`` (default: now)."""
        principal.require(Permission.READ)
        at = at or self._context.clock.now()
        if at.tzinfo is None:
            raise Invalid("the instant must carry a time zone, e.g. 2026-11-01T00:00:00+01:00")
        with self._context.uow(principal) as uow:
            return _version_view(uow, slug, get_version_in_force(uow, get_agreement(uow, slug), at))

    def diff(self, principal: Principal, slug: str, old: int, new: int) -> dict[str, Any]:
        """The semantic diff of two versions, in the ``accord.diff/v1`` JSON format."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            before, after = get_version(uow, row, old), get_version(uow, row, new)
        return dict(diff_agreements(parsed(before), parsed(after)).to_json())

    def document(
        self, principal: Principal, slug: str, number: int | None, output: str
    ) -> Document:
        """The rendered agreement: ``html``, ``markdown`` or ``pdf``."""
        principal.require(Permission.READ)
        if output not in _FORMATS:
            raise Invalid(f"no document format {output!r}; formats: {', '.join(_FORMATS)}")
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            version = get_version(uow, row, number)
            signed = sign_off(uow, row, version)
        content = self._context.rendering.agreement_document(
            parsed(version), _DOCUMENT_FORMATS[output], signed
        )
        suffix = {"html": "html", "markdown": "md", "pdf": "pdf"}[output]
        return Document(
            media_type=_FORMATS[output],
            content=content,
            filename=f"{slug}-v{version.number}.{suffix}",
        )

    def _create(self, uow: UnitOfWork, agreement: Agreement) -> AgreementRow:
        owner = uow.principal.organisation_id
        if owner is None:
            company = uow.organisations.find_company()
            if company is None:
                raise Conflict("create the company organisation before its agreements")
            owner = company.id
        row = uow.agreements.add(
            AgreementRow(
                slug=agreement.metadata.id,
                owner_organisation_id=owner,
                title=agreement.metadata.title,
                created_at=uow.now(),
            )
        )
        uow.audit("agreement.created", "agreement", row.slug, after={"title": row.title})
        return row

    def _link_parties(
        self,
        uow: UnitOfWork,
        row: AgreementRow,
        agreement: Agreement,
        requested: Mapping[str, str],
    ) -> None:
        linked = uow.agreements.parties(row.id)
        known = [party.id for party in agreement.parties]
        unknown = sorted(set(requested) - set(known))
        if unknown:
            raise Invalid(
                f"no party {', '.join(map(repr, unknown))} in the agreement; "
                f"its parties are {', '.join(known)}"
            )
        missing = []
        for party in agreement.parties:
            organisation_slug = requested.get(party.id)
            if organisation_slug is None and party.id in linked:
                continue
            if organisation_slug is None:
                found = uow.organisations.find_by_slug(party.id)
                if found is None:
                    if party.role in _MUST_LINK:
                        missing.append(f"{party.id} ({party.role.value})")
                    continue
                organisation_slug = found.slug
            self._link(uow, row, party.id, organisation_slug, linked)
        if missing:
            raise Invalid(
                f"link each party to an organisation: {', '.join(missing)} "
                "(e.g. parties: {<party id>: <organisation id>})"
            )

    def _link(
        self,
        uow: UnitOfWork,
        row: AgreementRow,
        party_id: str,
        organisation_slug: str,
        linked: Mapping[str, int],
    ) -> None:
        organisation = get_organisation(uow, organisation_slug)
        if party_id in linked:
            if linked[party_id] != organisation.id:
                raise Conflict(f"party {party_id!r} is linked to another organisation for good")
            return
        uow.agreements.link_party(
            AgreementPartyRow(
                agreement_id=row.id, organisation_id=organisation.id, party_id=party_id
            )
        )
        uow.audit(
            "agreement_party.linked",
            "agreement",
            row.slug,
            after={"party": party_id, "organisation": organisation.slug},
        )


def agreement_view(uow: UnitOfWork, row: AgreementRow, *, with_versions: bool) -> AgreementView:
    """The agreement as the portfolio and its page show it, inside the caller's unit of work."""
    latest = uow.agreements.latest_version(row.id)
    links = uow.agreements.parties(row.id)
    names = {
        o.id: o.slug
        for o in uow.organisations.by_ids({*links.values(), row.owner_organisation_id}).values()
    }
    parties = []
    if latest is not None:
        parties = [
            PartyView(p.id, p.name, p.role.value, names.get(links.get(p.id, -1)))
            for p in parsed(latest).parties
        ]
    versions = uow.agreements.versions(row.id) if with_versions else []
    return AgreementView(
        id=row.slug,
        title=row.title,
        owner=names.get(row.owner_organisation_id),
        latest=None if latest is None else _version_view(uow, row.slug, latest),
        parties=parties,
        versions=[_version_view(uow, row.slug, v) for v in versions],
    )


def _version_record(row: AgreementVersionRow) -> dict[str, object]:
    return {
        "number": row.number,
        "label": row.label,
        "version_hash": row.version_hash,
        "effective_at": row.effective_at.isoformat(),
        "backdated": row.backdated,
    }
