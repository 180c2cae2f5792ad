"""Amendments over the API: bravo proposes a new version of its agreement with acme, acme
approves it; a rejection needs a reason, only the proposer withdraws, and another partner
sees nothing."""

from __future__ import annotations

import pytest

from tests.server.conftest import Api
from tests.services.test_amendments import _text, govern

AMENDMENTS = "/api/v1/agreements/acme-bravo/amendments"
PARTNER, MANAGER = "partner@bravo.example", "manager@acme.example"
PROPOSAL = {"summary": "A 97% target", "effective_at": "2026-10-15T00:00:00+02:00"}


@pytest.fixture
def governed(api: Api) -> Api:
    """Version 2 of bravo's agreement declares change management, from 1 September."""
    govern(api.world)
    return api


def test_a_partner_proposes_and_the_consumer_approves(governed: Api) -> None:
    proposed = governed.post(AMENDMENTS, PARTNER, json={**PROPOSAL, "text": _text("97%", "3")})
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    assert (body["state"], body["party"], body["base_version"]) == ("proposed", "bravo", 2)
    assert (body["approved_by"], body["awaiting_approval"]) == (["bravo"], ["acme"])
    shown = governed.get(f"{AMENDMENTS}/{body['id']}", "viewer@acme.example").json()
    assert shown["diff"] == body["diff"]
    approved = governed.post(f"{AMENDMENTS}/{body['id']}/approval", MANAGER, json={})
    assert approved.status_code == 200, approved.text
    assert (approved.json()["state"], approved.json()["version_number"]) == ("approved", 3)
    listed = governed.get(AMENDMENTS, PARTNER).json()
    assert [(a["id"], a["state"]) for a in listed] == [(body["id"], "approved")]


def test_a_rejection_needs_a_reason_and_only_the_proposer_withdraws(governed: Api) -> None:
    first = governed.post(AMENDMENTS, PARTNER, json={**PROPOSAL, "text": _text("97%", "3")})
    number = first.json()["id"]
    unexplained = governed.post(f"{AMENDMENTS}/{number}/rejection", MANAGER, json={})
    assert (unexplained.status_code, unexplained.headers["content-type"]) == (
        422,
        "application/problem+json",
    )
    rejected = governed.post(
        f"{AMENDMENTS}/{number}/rejection", MANAGER, json={"note": "too lenient"}
    )
    assert rejected.json()["state"] == "rejected"
    second = governed.post(AMENDMENTS, PARTNER, json={**PROPOSAL, "text": _text("97%", "3")})
    number = second.json()["id"]
    assert governed.post(f"{AMENDMENTS}/{number}/withdrawal", MANAGER, json={}).status_code == 409
    withdrawn = governed.post(f"{AMENDMENTS}/{number}/withdrawal", PARTNER, json={})
    assert withdrawn.json()["state"] == "withdrawn"


def test_another_partner_neither_sees_nor_proposes(governed: Api) -> None:
    proposed = governed.post(AMENDMENTS, PARTNER, json={**PROPOSAL, "text": _text("97%", "3")})
    charlie = "partner@charlie.example"
    assert governed.get(f"{AMENDMENTS}/{proposed.json()['id']}", charlie).status_code == 404
    assert governed.get(AMENDMENTS, charlie).status_code == 404
    refused = governed.post(AMENDMENTS, charlie, json={**PROPOSAL, "text": _text("90%", "3")})
    assert refused.status_code == 404


def test_a_rollback_to_a_version_that_does_not_exist_is_refused(governed: Api) -> None:
    response = governed.post(AMENDMENTS, MANAGER, json={"summary": "Back", "rollback_to": 0})
    assert response.status_code == 422
    assert "rollback_to" in response.json()["detail"]
