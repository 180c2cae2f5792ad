"""accord compliance: record a certification from its document, list it, see the findings."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.portfolio import UploadVersion
from tests.cli.conftest import open_world
from tests.services.world import CONSOLE, agreement_document, data_handling

runner = CliRunner()


@pytest.fixture
def data_dir(world_dir: Path) -> Path:
    """The world with acme-bravo version 2 requiring ISO/IEC 27001 and data kept in the EU."""
    world = open_world(world_dir)
    try:
        document = agreement_document("bravo", version="2")
        document["data_handling"] = data_handling(
            allowed_regions=["EU"], certifications=["ISO/IEC 27001"]
        )
        world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    finally:
        world.services.close()
    return world_dir


def test_a_certification_recorded_from_its_document_expires_into_a_finding(
    data_dir: Path, tmp_path: Path
) -> None:
    certificate = tmp_path / "iso27001.pdf"
    certificate.write_bytes(b"%PDF-1.7 certificate")
    recorded = runner.invoke(
        app,
        [
            "compliance", "record-certification", "bravo",
            "--standard", "ISO/IEC 27001", "--issuer", "TÜV Süd", "--scope", "Hosting",
            "--from", "2024-01-01", "--until", "2026-10-31", "--document", str(certificate),
        ],
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert hashlib.sha256(b"%PDF-1.7 certificate").hexdigest() in recorded.stdout
    listed = runner.invoke(app, ["compliance", "certifications", "bravo", "--day", "2026-10-01"])
    assert "ISO/IEC 27001" in listed.stdout
    assert "expiring" in listed.stdout
    before = runner.invoke(app, ["compliance", "findings", "acme-bravo", "--at", "2026-09-01"])
    assert before.exit_code == 0, before.output
    assert "certification" not in before.stdout
    assert "declaration_missing" in before.stdout
    after = runner.invoke(app, ["compliance", "findings", "acme-bravo", "--at", "2026-11-03"])
    assert "finding certification_expired" in after.stdout
    as_json = runner.invoke(
        app, ["compliance", "findings", "acme-bravo", "--at", "2026-11-03", "--format", "json"]
    )
    assert json.loads(as_json.stdout)["findings"][0]["subject"] == "ISO/IEC 27001"
    # --json, the spelling before --format, still works for scripts written for it
    old = runner.invoke(
        app, ["compliance", "findings", "acme-bravo", "--at", "2026-11-03", "--json"]
    )
    assert json.loads(old.stdout) == json.loads(as_json.stdout)


def test_an_unreadable_document_and_an_unknown_organisation_are_named(
    data_dir: Path, tmp_path: Path
) -> None:
    args = ["--standard", "X", "--issuer", "Y", "--scope", "Z", "--from", "2026-01-01"]
    missing = runner.invoke(
        app,
        ["compliance", "record-certification", "bravo", *args, "--until", "2027-01-01",
         "--document", str(tmp_path / "nope.pdf")],
    )  # fmt: skip
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    (tmp_path / "c.pdf").write_bytes(b"x")
    unknown = runner.invoke(
        app,
        ["compliance", "record-certification", "delta", *args, "--until", "2027-01-01",
         "--document", str(tmp_path / "c.pdf")],
    )  # fmt: skip
    assert unknown.exit_code == 1
    assert "no organisation 'delta'" in unknown.stderr


def test_a_declaration_from_yaml_outside_the_agreed_regions_is_a_finding(
    data_dir: Path, tmp_path: Path
) -> None:
    declaration = tmp_path / "bravo.yaml"
    declaration.write_text(
        "locations:\n"
        "  - {country: DE, description: Frankfurt}\n"
        "  - {country: US, description: Virginia}\n"
        "subprocessors: []\n"
        "encryption_at_rest: AES-256\n"
        "encryption_in_transit: TLS 1.3\n"
        "access: Named staff only.\n"
    )
    declared = runner.invoke(app, ["compliance", "declare", "bravo", str(declaration)])
    assert declared.exit_code == 0, declared.output
    assert "2 locations, 0 sub-processors" in declared.stdout
    found = runner.invoke(app, ["compliance", "findings", "acme-bravo", "--at", "2026-11-03"])
    assert "location_outside_regions: data is kept in Virginia (US), outside EU" in " ".join(
        found.stdout.split()
    )


def test_a_malformed_declaration_is_named_without_a_traceback(
    data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "locations: [{country: DE}]\n"
        "encryption_at_rest: AES-256\nencryption_in_transit: TLS 1.3\naccess: staff\n"
    )
    result = runner.invoke(app, ["compliance", "declare", "bravo", str(bad)])
    assert result.exit_code == 1
    assert "locations[0].description: expected text" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("locations: [\n")
    result = runner.invoke(app, ["compliance", "declare", "bravo", str(broken)])
    assert result.exit_code == 1
    assert "broken.yaml:" in result.stderr


def test_the_register_is_written_as_csv_and_json(data_dir: Path, tmp_path: Path) -> None:
    as_csv = runner.invoke(app, ["compliance", "register"])
    assert as_csv.exit_code == 0, as_csv.output
    lines = as_csv.stdout.splitlines()
    assert lines[0].startswith("contractual_arrangement_reference,")
    assert [line.split(",")[0] for line in lines[1:]] == ["acme-bravo", "acme-charlie"]
    target = tmp_path / "register.json"
    written = runner.invoke(
        app, ["compliance", "register", "acme-bravo", "--format", "json", "-o", str(target)]
    )
    assert written.exit_code == 0, written.output
    (entry,) = json.loads(target.read_text())["arrangements"]
    assert entry["data_allowed_regions"] == "EU"
    wrong = runner.invoke(app, ["compliance", "register", "--format", "xml"])
    assert wrong.exit_code == 1
    assert "no register format 'xml'" in wrong.stderr
