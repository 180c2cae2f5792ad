"""The DORA register of information: one entry per agreement the caller sees (a partner its
own only), exported as CSV (one row per agreement) or JSON (accord.dora-register/v1 with
the field names); another format is refused naming the ones there are."""

from __future__ import annotations

import json

import pytest

from accord.core.compliance.register import REGISTER_FIELDS
from accord.services.errors import Invalid
from accord.services.register import REGISTER_FORMAT
from tests.services.test_compliance import require_certifications
from tests.services.world import CONSOLE, NOW, World


def test_the_register_lists_what_each_tenant_sees(world: World) -> None:
    require_certifications(world)
    acme = world.services.register.entries(world.principal("auditor@acme.example"))
    assert [e["contractual_arrangement_reference"] for e in acme] == ["acme-bravo", "acme-charlie"]
    assert acme[0]["data_declared_countries"] == "DE"
    assert acme[0]["subcontractors"] == "Vault AG (AT, backups)"
    bravo = world.services.register.entries(world.principal("partner@bravo.example"))
    assert [e["contractual_arrangement_reference"] for e in bravo] == ["acme-bravo"]
    csv = world.services.register.export(CONSOLE, "acme-bravo", "csv").content.decode()
    header, row, *rest = csv.splitlines()
    assert header.startswith("contractual_arrangement_reference,title,version,")
    assert row.startswith("acme-bravo,Acme and bravo,2 (stored version 2),")
    assert rest == []


def test_the_json_export_names_its_format_fields_and_instant(world: World) -> None:
    require_certifications(world)
    document = world.services.register.export(CONSOLE, None, "json")
    assert (document.media_type, document.filename) == (
        "application/json",
        "dora-register-all.json",
    )
    exported = json.loads(document.content)
    assert exported["format"] == REGISTER_FORMAT
    assert exported["generated_at"] == NOW.isoformat()
    assert exported["fields"] == [field.name for field in REGISTER_FIELDS]
    assert [a["contractual_arrangement_reference"] for a in exported["arrangements"]] == [
        "acme-bravo",
        "acme-charlie",
    ]


def test_another_format_is_refused_naming_the_formats(world: World) -> None:
    with pytest.raises(Invalid, match="no register format 'xlsx'; formats: csv, json"):
        world.services.register.export(CONSOLE, "acme-bravo", "xlsx")
