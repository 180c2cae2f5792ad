"""A processor's data-handling declaration against the agreement's data_handling."""

from __future__ import annotations

from accord.core.compliance.declarations import (
    DataLocation,
    Declaration,
    SubProcessor,
    declaration_findings,
)
from accord.core.compliance.findings import FindingKind
from accord.core.compliance.regions import within
from accord.core.model.data_handling import DataHandling

REQUIRED = DataHandling.model_validate(
    {
        "processor": "bravo",
        "locations": ["Frankfurt, Germany"],
        "allowed_regions": ["EU", "CH"],
        "encryption": {"at_rest": "AES-256", "in_transit": "TLS 1.3"},
        "access": "Named staff only.",
    }
)


def declared(*countries: str, subprocessor: str = "PT", at_rest: str = "aes-256") -> Declaration:
    return Declaration(
        locations=tuple(DataLocation(c, f"data centre in {c}") for c in countries),
        subprocessors=(SubProcessor("Backups Ltd", subprocessor, "offsite backups"),),
        encryption_at_rest=at_rest,
        encryption_in_transit="TLS  1.3",
        access="Named staff only.",
    )


def test_regions_contain_their_members_and_named_countries() -> None:
    assert within("de", ["EU"])
    assert within("NO", ["EEA"])
    assert not within("NO", ["EU"])
    assert within("CH", ["EU", "CH"])
    assert not within("US", ["EU", "EEA", "CH"])


def test_a_declaration_inside_the_regions_with_the_agreed_encryption_has_no_findings() -> None:
    assert declaration_findings(REQUIRED, declared("DE", "CH")) == []


def test_a_location_outside_the_allowed_regions_is_a_finding() -> None:
    (finding,) = declaration_findings(REQUIRED, declared("DE", "US"))
    assert finding.kind is FindingKind.LOCATION_OUTSIDE_REGIONS
    assert finding.message == "data is kept in data centre in US (US), outside EU, CH"


def test_a_sub_processor_outside_the_allowed_regions_is_a_finding() -> None:
    (finding,) = declaration_findings(REQUIRED, declared("DE", subprocessor="IN"))
    assert (finding.kind, finding.subject) == (
        FindingKind.SUBPROCESSOR_OUTSIDE_REGIONS,
        "Backups Ltd",
    )


def test_encryption_other_than_agreed_is_a_finding() -> None:
    (finding,) = declaration_findings(REQUIRED, declared("DE", at_rest="AES-128"))
    assert finding.kind is FindingKind.ENCRYPTION_DIFFERS
    assert "'AES-128'; the agreement says 'AES-256'" in finding.message


def test_no_declaration_is_a_finding() -> None:
    (finding,) = declaration_findings(REQUIRED, None)
    assert finding.kind is FindingKind.DECLARATION_MISSING


def test_without_allowed_regions_any_location_is_allowed() -> None:
    open_world = REQUIRED.model_copy(update={"allowed_regions": []})
    assert declaration_findings(open_world, declared("US", subprocessor="IN")) == []
