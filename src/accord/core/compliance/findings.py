"""A finding: something in the compliance records that the agreement does not allow (or soon
will not), named so that a person can act on it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Finding", "FindingKind", "Level"]


class Level(StrEnum):
    #: The agreement is not kept: act now.
    FINDING = "finding"
    #: The agreement is kept today but will not be without action (a certificate expiring).
    WARNING = "warning"


class FindingKind(StrEnum):
    PROCESSOR_UNLINKED = "processor_unlinked"
    CERTIFICATION_MISSING = "certification_missing"
    CERTIFICATION_EXPIRED = "certification_expired"
    CERTIFICATION_EXPIRING = "certification_expiring"
    DECLARATION_MISSING = "declaration_missing"
    LOCATION_OUTSIDE_REGIONS = "location_outside_regions"
    SUBPROCESSOR_OUTSIDE_REGIONS = "subprocessor_outside_regions"
    ENCRYPTION_DIFFERS = "encryption_differs"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    level: Level
    #: What it is about: a standard, a location, a sub-processor.
    subject: str
    message: str
