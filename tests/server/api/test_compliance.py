"""Tenant isolation of the compliance routes of organisations: every user × every
organisation × read and record. A partner reads and records its own organisation's
certifications only (another's answers 404, as one that does not exist); the company's
users read every organisation's; recording needs the governance permission."""

from __future__ import annotations

import itertools

from accord.services.permissions import Permission, Role, permissions_of
from tests.server.conftest import Api
from tests.services.world import USERS

ORGANISATIONS = ("acme", "bravo", "charlie")
BODY = {
    "standard": "ISO/IEC 27001",
    "issuer": "TÜV Süd",
    "scope": "Hosting platform",
    "valid_from": "2026-01-01",
    "valid_until": "2028-12-31",
    "document_sha256": "b" * 64,
}


DECLARATION = {
    "locations": [{"country": "DE", "description": "Frankfurt"}],
    "encryption_at_rest": "AES-256",
    "encryption_in_transit": "TLS 1.3",
    "access": "Named staff only.",
}
#: Each route of an organisation's compliance records with the body it is sent. The first
#: user (the company's admin) declares for every organisation before anyone reads.
ROUTES = (
    ("POST", "data-handling", DECLARATION),
    ("GET", "data-handling", None),
    ("POST", "certifications", BODY),
    ("GET", "certifications", None),
)


def expected(email: str, organisation: str, method: str) -> int:
    own, role = USERS[email]
    if own not in ("acme", organisation):
        return 404
    may = permissions_of({Role(role)}, company=own == "acme")
    if method == "GET":
        return 200 if Permission.READ in may else 403
    return 201 if Permission.GOVERN in may else 403


def test_every_organisation_compliance_route_answers_each_user_exactly(api: Api) -> None:
    wrong = []
    for organisation, email, (method, route, body) in itertools.product(
        ORGANISATIONS, USERS, ROUTES
    ):
        path = f"/api/v1/organisations/{organisation}/{route}"
        response = api.client.request(method, path, headers=api.headers(email), json=body)
        want = expected(email, organisation, method)
        if response.status_code != want:
            wrong.append(f"{email} {method} {path}: {response.status_code}, want {want}")
    assert wrong == []


def test_the_whole_register_lists_exactly_the_caller_s_agreements(api: Api) -> None:
    for email, (organisation, _) in USERS.items():
        response = api.get("/api/v1/compliance/register?format=json", email)
        assert response.status_code == 200, email
        listed = [a["contractual_arrangement_reference"] for a in response.json()["arrangements"]]
        want = (
            ["acme-bravo", "acme-charlie"] if organisation == "acme" else [f"acme-{organisation}"]
        )
        assert listed == want, email
    csv = api.get("/api/v1/compliance/register", "partner@charlie.example")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1].startswith("acme-charlie,")


def test_a_partner_lists_only_what_was_recorded_for_its_organisation(api: Api) -> None:
    assert (
        api.post(
            "/api/v1/organisations/bravo/certifications", "partner@bravo.example", json=BODY
        ).status_code
        == 201
    )
    charlie = {**BODY, "standard": "PCI DSS v4.0"}
    assert (
        api.post(
            "/api/v1/organisations/charlie/certifications", "manager@acme.example", json=charlie
        ).status_code
        == 201
    )
    listed = api.get("/api/v1/organisations/bravo/certifications", "auditor@bravo.example").json()
    assert [(c["organisation"], c["standard"]) for c in listed] == [("bravo", "ISO/IEC 27001")]


def test_a_bad_certification_is_a_problem_naming_the_field(api: Api) -> None:
    response = api.post(
        "/api/v1/organisations/bravo/certifications",
        "partner@bravo.example",
        json={**BODY, "valid_until": "2025-01-01"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "valid_until: 2025-01-01 is before valid_from 2026-01-01" in response.json()["detail"]


def test_findings_of_an_agreement_as_json(api: Api) -> None:
    body = api.get(
        "/api/v1/agreements/acme-bravo/compliance/findings?warn_days=30", "partner@bravo.example"
    ).json()
    assert (body["agreement"], body["version"], body["day"], body["findings"]) == (
        "acme-bravo",
        1,
        "2026-11-03",
        [],
    )
