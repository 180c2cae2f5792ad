"""Certifications recorded per organisation and the findings they raise on an agreement."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accord.core.compliance.certifications import Certification
from accord.services.compliance import (
    DeclareDataHandling,
    RecordCertification,
    declaration_from,
)
from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.obligations import ObligationQuery
from accord.services.portfolio import UploadVersion
from tests.services.world import CONSOLE, World, agreement_document, data_handling

DOCUMENT = "a" * 64


def require_certifications(world: World, *standards: str, declare: bool = True) -> None:
    document = agreement_document("bravo", version="2")
    document["data_handling"] = data_handling(
        allowed_regions=["EU"], certifications=list(standards)
    )
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    if declare:
        declare_data_handling(world, "DE")


def declare_data_handling(
    world: World, *countries: str, email: str = "partner@bravo.example"
) -> None:
    declaration = declaration_from(
        {
            "locations": [{"country": c, "description": f"site in {c}"} for c in countries],
            "subprocessors": [{"name": "Vault AG", "country": "AT", "service": "backups"}],
            "encryption_at_rest": "AES-256",
            "encryption_in_transit": "TLS 1.3",
            "access": "Named staff only.",
        }
    )
    world.services.compliance.declare_data_handling(
        world.principal(email), DeclareDataHandling(organisation="bravo", declaration=declaration)
    )


def record(world: World, email: str, organisation: str = "bravo", **changes: object) -> None:
    fields: dict[str, object] = {
        "standard": "ISO/IEC 27001",
        "issuer": "TÜV Süd",
        "scope": "Hosting platform and operations",
        "valid_from": dt.date(2024, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
        "document_sha256": DOCUMENT,
        **changes,
    }
    certificate = Certification(**fields)  # type: ignore[arg-type]
    command = RecordCertification(organisation=organisation, certificate=certificate)
    world.services.compliance.record_certification(world.principal(email), command)


def kinds(world: World, email: str = "auditor@acme.example", **kwargs: object) -> list[str]:
    report = world.services.compliance.findings(world.principal(email), "acme-bravo", **kwargs)  # type: ignore[arg-type]
    return [finding.kind for finding in report.findings]


def test_a_partner_records_its_own_certification_and_the_trail_keeps_it(world: World) -> None:
    record(world, "partner@bravo.example")
    (view,) = world.services.compliance.certifications(
        world.principal("auditor@bravo.example"), "bravo"
    )
    assert (view.standard, view.status, view.recorded_by) == (
        "ISO/IEC 27001",
        "valid",
        "partner@bravo.example",
    )
    entry = list(world.services.audit.export(CONSOLE))[-1]
    assert entry["action"] == "certification.recorded"
    assert entry["after"]["document_sha256"] == DOCUMENT


def test_a_partner_neither_records_nor_reads_another_organisation_s(world: World) -> None:
    record(world, "manager@acme.example", organisation="charlie")
    with pytest.raises(NotFound):
        record(world, "partner@bravo.example", organisation="charlie")
    with pytest.raises(NotFound):
        world.services.compliance.certifications(
            world.principal("partner@bravo.example"), "charlie"
        )
    acme = world.services.compliance.certifications(
        world.principal("auditor@acme.example"), "charlie"
    )
    assert len(acme) == 1
    (seen,) = world.services.compliance.certifications(
        world.principal("partner@charlie.example"), "charlie"
    )
    assert (acme[0].recorded_by, seen.recorded_by) == ("manager@acme.example", "company staff")


def test_an_auditor_reads_but_does_not_record(world: World) -> None:
    with pytest.raises(Forbidden):
        record(world, "auditor@bravo.example")


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"valid_until": dt.date(2023, 1, 1)}, "valid_until: 2023-01-01 is before valid_from"),
        ({"document_sha256": "xyz"}, "document_sha256"),
        ({"standard": "  "}, "standard: must not be empty"),
    ],
)
def test_a_bad_record_is_refused_naming_the_field(
    world: World, changes: dict[str, object], named: str
) -> None:
    with pytest.raises(Invalid, match=named):
        record(world, "partner@bravo.example", **changes)


def test_an_expired_required_certification_raises_a_finding(world: World) -> None:
    require_certifications(world, "ISO/IEC 27001", "SOC 2 Type II")
    record(world, "partner@bravo.example", valid_until=dt.date(2026, 10, 31))
    record(
        world,
        "partner@bravo.example",
        standard="SOC 2 Type II",
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 5, 31),
    )
    report = world.services.compliance.findings(
        world.principal("partner@bravo.example"), "acme-bravo"
    )
    assert (report.version, report.processor, report.organisation) == (2, "bravo", "bravo")
    (finding,) = report.findings
    assert (finding.kind, finding.level, finding.subject) == (
        "certification_expired",
        "finding",
        "ISO/IEC 27001",
    )


def test_findings_follow_the_clock_and_warn_before_expiry(world: World) -> None:
    require_certifications(world, "ISO/IEC 27001")
    record(world, "partner@bravo.example", valid_until=dt.date(2026, 12, 20))
    assert kinds(world) == ["certification_expiring"]
    assert kinds(world, warn_within=dt.timedelta(days=7)) == []
    world.clock.advance(dt.timedelta(days=60))
    assert kinds(world) == ["certification_expired"]


def test_an_agreement_without_data_handling_has_no_findings(world: World) -> None:
    assert kinds(world) == []


def test_an_instant_without_a_time_zone_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match="has no time zone"):
        kinds(world, at=dt.datetime(2026, 11, 3))


def test_a_declaration_outside_the_allowed_regions_raises_a_finding(world: World) -> None:
    require_certifications(world, declare=False)
    assert kinds(world) == ["declaration_missing"]
    declare_data_handling(world, "DE", "US")
    assert kinds(world) == ["location_outside_regions"]
    declare_data_handling(world, "DE", "FR")
    assert kinds(world) == []
    view = world.services.compliance.declaration(world.principal("auditor@acme.example"), "bravo")
    assert [place.country for place in view.declaration.locations] == ["DE", "FR"]
    entry = list(world.services.audit.export(CONSOLE))[-1]
    assert entry["action"] == "data_handling.declared"
    assert [p["country"] for p in entry["before"]["locations"]] == ["DE", "US"]


def test_a_partner_declares_only_for_its_own_organisation(world: World) -> None:
    with pytest.raises(NotFound):
        world.services.compliance.declaration(world.principal("partner@charlie.example"), "bravo")
    with pytest.raises(NotFound):
        declare_data_handling(world, "DE", email="partner@charlie.example")


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"locations": "DE"}, "locations: expected a list"),
        ({"locations": [{"country": "DE"}]}, "locations[0].description: expected text"),
        ({"locations": [], "colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_a_malformed_declaration_names_the_field(data: dict[str, object], named: str) -> None:
    with pytest.raises(Invalid, match=named.replace("[", r"\[").replace("]", r"\]")):
        declaration_from(data)


def test_a_country_that_is_not_a_code_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match=r"locations\[0\].country: 'Germany' is not an ISO 3166-1"):
        declare_data_handling(world, "Germany")


def _location_notices(world: World) -> list[tuple[str, str, dt.datetime, str]]:
    query = ObligationQuery(agreement="acme-bravo", kinds=("location_notice",))
    found = world.services.obligations.list(world.principal("manager@acme.example"), query)
    return [(o.party, o.subject, o.due_at, o.state) for o in found]


def test_a_data_location_change_owes_a_location_change_notice(world: World) -> None:
    document = agreement_document("bravo", version="2")
    document["data_handling"] = data_handling(
        allowed_regions=["EU"], location_change_notice="30 days"
    )
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    declare_data_handling(world, "DE")
    assert _location_notices(world) == []

    declare_data_handling(world, "DE", "US")

    due = world.clock.now() + dt.timedelta(days=30)
    assert _location_notices(world) == [
        (
            "bravo",
            "give notice of the data-location change: data is kept in site in US (US), outside EU",
            due,
            "open",
        )
    ]
    # The same difference declared again is no new change; it lapses at its due instant.
    world.clock.advance(dt.timedelta(days=31))
    declare_data_handling(world, "DE", "US")
    world.services.obligations.check(CONSOLE)
    assert [state for *_, state in _location_notices(world)] == ["missed"]


def test_without_a_notice_period_the_notice_is_due_at_once(world: World) -> None:
    require_certifications(world)
    declare_data_handling(world, "DE", "CH")

    ((_, _, due, _),) = _location_notices(world)
    assert due == world.clock.now()
