"""What a processor declares about how it handles data, checked against the agreement.

A declaration names each location where data is stored or processed (with its country), each
sub-processor (with the country it works from) and the encryption in use. Against the
agreement's ``data_handling``: a location or sub-processor outside ``allowed_regions`` is a
finding, and so is encryption that is not what the agreement states (compared without
differences of case and spacing, since the agreement's wording is the commitment).

A location or sub-processor outside the allowed regions that the previous declaration did not
have is a **change of data location**: besides its finding, the processor owes the consumer
a ``location_notice`` obligation, due ``location_change_notice`` after the declaration (at
once when the agreement sets none): formal notice of the change, or the data moved back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Final

from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.compliance.regions import within
from accord.core.model.data_handling import DataHandling
from accord.core.obligations.model import Obligation
from accord.core.units import add_duration

__all__ = [
    "DataLocation",
    "Declaration",
    "SubProcessor",
    "declaration_findings",
    "location_notices",
]


@dataclass(frozen=True)
class DataLocation:
    country: str
    description: str


@dataclass(frozen=True)
class SubProcessor:
    name: str
    country: str
    service: str


@dataclass(frozen=True)
class Declaration:
    locations: tuple[DataLocation, ...]
    subprocessors: tuple[SubProcessor, ...]
    encryption_at_rest: str
    encryption_in_transit: str
    access: str


def _same(left: str, right: str) -> bool:
    return " ".join(left.lower().split()) == " ".join(right.lower().split())


def declaration_findings(required: DataHandling, declared: Declaration | None) -> list[Finding]:
    if declared is None:
        return [
            Finding(
                FindingKind.DECLARATION_MISSING,
                Level.FINDING,
                required.processor,
                f"{required.processor} has not declared where and how it handles data",
            )
        ]
    findings: list[Finding] = []
    regions = required.allowed_regions
    allowed = ", ".join(regions)
    if regions:
        findings += [
            Finding(
                FindingKind.LOCATION_OUTSIDE_REGIONS,
                Level.FINDING,
                place.description,
                f"data is kept in {place.description} ({place.country}), outside {allowed}",
            )
            for place in declared.locations
            if not within(place.country, regions)
        ]
        findings += [
            Finding(
                FindingKind.SUBPROCESSOR_OUTSIDE_REGIONS,
                Level.FINDING,
                sub.name,
                f"sub-processor {sub.name} ({sub.service}) works from {sub.country}, "
                f"outside {allowed}",
            )
            for sub in declared.subprocessors
            if not within(sub.country, regions)
        ]
    for what, agreed, stated in (
        ("at rest", required.encryption.at_rest, declared.encryption_at_rest),
        ("in transit", required.encryption.in_transit, declared.encryption_in_transit),
    ):
        if not _same(agreed, stated):
            findings.append(
                Finding(
                    FindingKind.ENCRYPTION_DIFFERS,
                    Level.FINDING,
                    f"encryption {what}",
                    f"encryption {what} is declared as {stated!r}; the agreement says {agreed!r}",
                )
            )
    return findings


#: The findings that are a change of where the data is.
_MOVES: Final = (FindingKind.LOCATION_OUTSIDE_REGIONS, FindingKind.SUBPROCESSOR_OUTSIDE_REGIONS)


def location_notices(
    required: DataHandling,
    previous: Declaration | None,
    declared: Declaration,
    declared_at: dt.datetime,
    timezone: str,
) -> list[Obligation]:
    """The ``location_notice`` obligations a new declaration puts on the processor: one per
    location or sub-processor outside the allowed regions that the previous one did not
    declare."""
    before = (
        set()
        if previous is None
        else {(f.kind, f.subject) for f in declaration_findings(required, previous)}
    )
    moved = [
        finding
        for finding in declaration_findings(required, declared)
        if finding.kind in _MOVES and (finding.kind, finding.subject) not in before
    ]
    notice = required.location_change_notice
    due = declared_at if notice is None else add_duration(declared_at, notice, timezone)
    stamp = declared_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return [
        Obligation(
            kind="location_notice",
            key=f"location_notice:{stamp}:{_digest(finding.subject)}",
            party=required.processor,
            subject=f"give notice of the data-location change: {finding.message}"[:500],
            trigger_at=declared_at,
            due_at=due,
            calendar="24x7",
        )
        for finding in moved
    ]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
