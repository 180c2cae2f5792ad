"""The DORA register fields of an example agreement, and their documentation."""

from __future__ import annotations

from pathlib import Path

from accord.core.compliance.declarations import DataLocation, Declaration, SubProcessor
from accord.core.compliance.register import REGISTER_FIELDS, Arrangement, register_entry
from accord.core.loader import load_agreement

ROOT = Path(__file__).parents[3]


def cloud() -> Arrangement:
    loaded = load_agreement((ROOT / "examples/cloud-hosting.yaml").read_text(), "cloud")
    assert loaded.agreement is not None
    declaration = Declaration(
        locations=(DataLocation("DE", "Frankfurt"), DataLocation("NL", "Amsterdam")),
        subprocessors=(SubProcessor("Tape Vault GmbH", "DE", "offsite backups"),),
        encryption_at_rest="AES-256",
        encryption_in_transit="TLS 1.3",
        access="break-glass",
    )
    return Arrangement(loaded.agreement, 3, {"stratus": "stratus-org"}, declaration)


def test_the_entry_names_parties_dates_notice_and_locations() -> None:
    entry = register_entry(cloud())
    assert list(entry) == [field.name for field in REGISTER_FIELDS]
    assert entry["start_date"] == "2026-01-01"
    assert entry["end_date"] == "2028-12-31"
    assert entry["renewal"] == "automatic, 12 months"
    assert entry["termination_notice_period"] == "12 months"
    assert entry["ict_provider_organisation"] == "stratus-org"
    assert entry["data_declared_countries"] == "DE; NL"
    assert entry["subcontractors"].endswith("Tape Vault GmbH (DE, offsite backups)")
    assert "ISO/IEC 27001" in entry["certifications_required"]
    assert entry["version"].endswith("(stored version 3)")


def test_every_field_is_documented_in_order() -> None:
    doc = (ROOT / "docs/dora-register.md").read_text()
    documented = [line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")]
    assert documented == [field.name for field in REGISTER_FIELDS]
