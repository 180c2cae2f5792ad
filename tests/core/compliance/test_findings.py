"""What a compliance finding means: a ``finding`` says the agreement is not kept, a
``warning`` that it is kept today but will not be without action. Every kind is one some
rule raises, and the rules of the core raise each kind at the level its meaning gives."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from accord.core.compliance.certifications import Certification, certification_findings
from accord.core.compliance.declarations import (
    DataLocation,
    Declaration,
    SubProcessor,
    declaration_findings,
)
from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.model.data_handling import DataHandling

SOURCE = Path(__file__).resolve().parents[3] / "src" / "accord"
DAY = dt.date(2026, 11, 3)
REQUIRED = DataHandling.model_validate(
    {
        "processor": "bravo",
        "locations": ["Frankfurt, Germany"],
        "allowed_regions": ["EU"],
        "encryption": {"at_rest": "AES-256", "in_transit": "TLS 1.3"},
        "access": "Named staff only.",
    }
)


def certificate(standard: str, valid_until: dt.date) -> Certification:
    return Certification(
        standard=standard,
        issuer="TÜV Süd",
        scope="hosting platform",
        valid_from=dt.date(2024, 1, 1),
        valid_until=valid_until,
        document_sha256="0" * 64,
    )


def raised_by_the_core() -> list[Finding]:
    """One of each finding the core's rules raise: certificates lapsed, expiring and
    missing, a declaration missing, and one outside the regions with other encryption."""
    held = [
        certificate("ISO 27001", DAY - dt.timedelta(days=1)),
        certificate("SOC 2 Type II", DAY + dt.timedelta(days=10)),
    ]
    required = ["ISO 27001", "SOC 2 Type II", "PCI DSS"]
    outside = Declaration(
        locations=(DataLocation("US", "data centre in Virginia"),),
        subprocessors=(SubProcessor("Backups Inc", "US", "offsite backups"),),
        encryption_at_rest="none",
        encryption_in_transit="TLS 1.3",
        access="Named staff only.",
    )
    return [
        *certification_findings(required, held, DAY),
        *declaration_findings(REQUIRED, None),
        *declaration_findings(REQUIRED, outside),
    ]


def test_every_kind_of_finding_is_raised_by_some_rule() -> None:
    """A kind nobody raises is a filter that never matches for whoever reads findings."""
    named = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "accord.core.compliance.findings import" in text:
            named |= set(re.findall(r"FindingKind\.([A-Z_]+)", text))

    assert named == set(FindingKind.__members__)


def test_only_what_will_lapse_without_action_is_a_warning() -> None:
    found = raised_by_the_core()

    levels = {finding.kind: finding.level for finding in found}
    assert set(levels) == set(FindingKind) - {FindingKind.PROCESSOR_UNLINKED}
    assert {kind for kind, level in levels.items() if level is Level.WARNING} == {
        FindingKind.CERTIFICATION_EXPIRING
    }


def test_every_finding_names_its_subject_and_says_what_is_wrong() -> None:
    for finding in raised_by_the_core():
        assert finding.subject.strip(), finding
        assert finding.message.strip(), finding
