"""What a processor declares about how it handles data, checked against the agreement.

A declaration names each location where data is stored or processed (with its country), each
sub-processor (with the country it works from) and the encryption in use. Against the
agreement's ``data_handling``: a location or sub-processor outside ``allowed_regions`` is a
finding, and so is encryption that is not what the agreement states (compared without
differences of case and spacing, since the agreement's wording is the commitment).
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.compliance.regions import within
from accord.core.model.data_handling import DataHandling

__all__ = ["DataLocation", "Declaration", "SubProcessor", "declaration_findings"]


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
