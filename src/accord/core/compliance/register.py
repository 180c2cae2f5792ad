"""The fields a DORA register of information asks about an ICT third-party arrangement
(Regulation (EU) 2022/2554, Art. 28(3), and the register templates of Implementing Regulation
(EU) 2024/2956), as far as an agreement and its processor's declaration hold them.

``REGISTER_FIELDS`` is the list, in order, with what each field holds; docs/dora-register.md
documents it and a test keeps the two the same. Lists are joined with ``; `` so that every
field is one CSV cell; a field the agreement does not give is empty, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from accord.core.compliance.declarations import Declaration
from accord.core.model import Agreement
from accord.core.model.parties import Party, PartyRole, RenewalMode
from accord.core.obligations.notices import term_end

__all__ = ["REGISTER_FIELDS", "Arrangement", "RegisterField", "register_entry"]


@dataclass(frozen=True)
class Arrangement:
    """One stored agreement version with what is known about its parties."""

    agreement: Agreement
    version: int
    #: Party id → the Accord organisation it is linked to.
    organisations: Mapping[str, str]
    #: The processor's latest data-handling declaration, if it made one.
    declaration: Declaration | None


@dataclass(frozen=True)
class RegisterField:
    name: str
    description: str
    value: Callable[[Arrangement], str]


def _join(items: list[str]) -> str:
    return "; ".join(items)


def _party(arrangement: Arrangement, role: PartyRole) -> Party:
    return next(p for p in arrangement.agreement.parties if p.role is role)


def _end(arrangement: Arrangement) -> str:
    term = arrangement.agreement.term
    end: dt.date | None = term.end
    if end is None and term.duration is not None:
        end = term_end(term.effective, term.duration)
    return "" if end is None else end.isoformat()


def _renewal(arrangement: Arrangement) -> str:
    renewal = arrangement.agreement.term.renewal
    if renewal.mode is RenewalMode.AUTO:
        return f"automatic, {renewal.period}" if renewal.period else "automatic"
    return "by agreement"


def _function(arrangement: Arrangement) -> str:
    metadata = arrangement.agreement.metadata
    return metadata.labels.get("function") or metadata.summary or ""


def _handling(arrangement: Arrangement, pick: Callable[..., str]) -> str:
    handling = arrangement.agreement.data_handling
    return "" if handling is None else pick(handling)


def _declared_countries(arrangement: Arrangement) -> str:
    declared = arrangement.declaration
    if declared is None:
        return ""
    return _join(sorted({place.country for place in declared.locations}))


def _subcontractors(arrangement: Arrangement) -> str:
    named = [p.name for p in arrangement.agreement.parties if p.role is PartyRole.SUBCONTRACTOR]
    declared = arrangement.declaration
    if declared is not None:
        named += [f"{s.name} ({s.country}, {s.service})" for s in declared.subprocessors]
    return _join(named)


def _audit_rights(arrangement: Arrangement) -> str:
    governance = arrangement.agreement.governance
    return (governance.audit_rights or "") if governance else ""


def _field(name: str, description: str, value: Callable[[Arrangement], str]) -> RegisterField:
    return RegisterField(name, description, value)


REGISTER_FIELDS: Final = (
    _field(
        "contractual_arrangement_reference",
        "The agreement's id, stable across versions.",
        lambda a: a.agreement.metadata.id,
    ),
    _field("title", "The agreement's title.", lambda a: a.agreement.metadata.title),
    _field(
        "version",
        "The version label and the stored version number, e.g. '2.1 (stored version 3)'.",
        lambda a: f"{a.agreement.metadata.version} (stored version {a.version})",
    ),
    _field(
        "version_hash",
        "SHA-256 of the version's canonical form.",
        lambda a: a.agreement.version_hash(),
    ),
    _field(
        "financial_entity_name",
        "The consumer party's legal name.",
        lambda a: _party(a, PartyRole.CONSUMER).name,
    ),
    _field(
        "financial_entity_lei",
        "The consumer party's LEI (parties[].lei).",
        lambda a: _party(a, PartyRole.CONSUMER).lei or "",
    ),
    _field(
        "ict_provider_name",
        "The provider party's legal name.",
        lambda a: _party(a, PartyRole.PROVIDER).name,
    ),
    _field(
        "ict_provider_lei",
        "The provider party's LEI (parties[].lei).",
        lambda a: _party(a, PartyRole.PROVIDER).lei or "",
    ),
    _field(
        "ict_provider_organisation",
        "The Accord organisation the provider party is linked to.",
        lambda a: a.organisations.get(_party(a, PartyRole.PROVIDER).id, ""),
    ),
    _field(
        "function_supported",
        "metadata.labels.function, else metadata.summary.",
        _function,
    ),
    _field(
        "ict_services",
        "The customer journey stages the agreement covers.",
        lambda a: _join([stage.name for stage in a.agreement.journey]),
    ),
    _field("start_date", "term.effective.", lambda a: a.agreement.term.effective.isoformat()),
    _field("end_date", "Last day of the initial term (term.end or effective + duration).", _end),
    _field("renewal", "automatic with its period, or by agreement.", _renewal),
    _field(
        "renewal_notice_period",
        "term.renewal.notice.",
        lambda a: str(a.agreement.term.renewal.notice),
    ),
    _field(
        "termination_notice_period",
        "term.termination_notice (for either party).",
        lambda a: str(a.agreement.term.termination_notice),
    ),
    _field("governing_law", "term.governing_law.", lambda a: a.agreement.term.governing_law or ""),
    _field(
        "data_processing_locations",
        "data_handling.locations, as the agreement words them.",
        lambda a: _handling(a, lambda h: _join(h.locations)),
    ),
    _field(
        "data_allowed_regions",
        "data_handling.allowed_regions.",
        lambda a: _handling(a, lambda h: _join(h.allowed_regions)),
    ),
    _field(
        "data_declared_countries",
        "Countries of the locations the processor declared (ISO 3166-1 alpha-2).",
        _declared_countries,
    ),
    _field(
        "data_location_change_notice",
        "data_handling.location_change_notice.",
        lambda a: _handling(
            a, lambda h: str(h.location_change_notice) if h.location_change_notice else ""
        ),
    ),
    _field(
        "subcontractors",
        "Parties with the role subcontractor, then the processor's declared sub-processors "
        "as 'name (country, service)'.",
        _subcontractors,
    ),
    _field(
        "certifications_required",
        "data_handling.certifications.",
        lambda a: _handling(a, lambda h: _join(h.certifications)),
    ),
    _field("audit_rights", "governance.audit_rights.", _audit_rights),
)


def register_entry(arrangement: Arrangement) -> dict[str, str]:
    """The register's fields for one arrangement, in ``REGISTER_FIELDS`` order."""
    return {item.name: item.value(arrangement) for item in REGISTER_FIELDS}
