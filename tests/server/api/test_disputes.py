"""Disputes over the API: bravo disputes October's credit with a file (base64) and a link;
acme answers; a party escalates; the company records the outcome and the credit follows it.
Another partner sees nothing; evidence that is not base64 is a 422 problem."""

from __future__ import annotations

import base64
import hashlib

import pytest

from tests.server.conftest import Api
from tests.services.test_disputes import claim_october

DISPUTES = "/api/v1/agreements/acme-bravo/disputes"
PARTNER, MANAGER = "partner@bravo.example", "manager@acme.example"
LOG = b"02 Oct 10:14 acme deploy 4.2\n"
CREDIT = {"scheme": "availability-credits", "window": "2026-10", "amount": "0"}


@pytest.fixture
def claimed(api: Api) -> Api:
    """October's credit (100 EUR) is final and claimed by acme; the agreement has a ladder."""
    claim_october(api.world)
    return api


def _raise(api: Api) -> dict[str, object]:
    body = {
        **CREDIT,
        "text": "The failures of 2 October were caused by acme's own deployment.",
        "files": [{"name": "deploy log.txt", "content_base64": base64.b64encode(LOG).decode()}],
        "links": ["https://status.bravo.example/incidents/17"],
    }
    response = api.post(DISPUTES, PARTNER, json=body)
    assert response.status_code == 201, response.text
    raised: dict[str, object] = response.json()
    return raised


def test_a_credit_dispute_is_raised_answered_and_decided(claimed: Api) -> None:
    raised = _raise(claimed)
    assert (raised["state"], raised["step"], raised["step_name"]) == (
        "open",
        1,
        "Operational review",
    )
    [link, file] = raised["evidence"]  # type: ignore[misc]
    assert (file["reference"], file["sha256"]) == (
        "deploy_log.txt",
        hashlib.sha256(LOG).hexdigest(),
    )
    assert link["reference"] == "https://status.bravo.example/incidents/17"
    one = f"{DISPUTES}/{raised['id']}"
    answered = claimed.post(f"{one}/responses", MANAGER, json={"text": "Ours was at 11:00."})
    assert answered.status_code == 201
    seen = claimed.get(one, "auditor@bravo.example").json()
    assert [(e["kind"], e["party"]) for e in seen["events"]] == [
        ("raised", "bravo"),
        ("responded", "acme"),
    ]
    assert (
        claimed.post(
            f"{one}/decision", PARTNER, json={"outcome": "upheld", "reason": "x"}
        ).status_code
        == 403
    )
    decided = claimed.post(
        f"{one}/decision",
        MANAGER,
        json={"outcome": "adjusted", "reason": "half were ours", "amount": "50"},
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["outcome"], decided.json()["outcome_amount"]) == ("adjusted", "50")
    [line] = claimed.get("/api/v1/ledger", "viewer@acme.example").json()["lines"]
    assert (line["owed"], line["state"]) == ("50.00", "accepted")


def test_a_party_escalates_to_the_next_step(claimed: Api) -> None:
    raised = _raise(claimed)
    escalated = claimed.post(
        f"{DISPUTES}/{raised['id']}/escalation", PARTNER, json={"reason": "no answer"}
    )
    assert (escalated.status_code, escalated.json()["step"]) == (200, 2)
    assert escalated.json()["step_name"] == "Executive meeting"


def test_every_agreement_s_disputes_are_listed_for_its_parties_only(claimed: Api) -> None:
    raised = _raise(claimed)
    assert [d["id"] for d in claimed.get("/api/v1/disputes", MANAGER).json()] == [raised["id"]]
    assert [d["id"] for d in claimed.get(DISPUTES, PARTNER).json()] == [raised["id"]]
    charlie = "partner@charlie.example"
    assert claimed.get("/api/v1/disputes", charlie).json() == []
    assert claimed.get(f"{DISPUTES}/{raised['id']}", charlie).status_code == 404


def test_evidence_that_is_not_base64_is_a_422_problem(claimed: Api) -> None:
    body = {**CREDIT, "text": "see file", "files": [{"name": "a.txt", "content_base64": "%%%"}]}
    response = claimed.post(DISPUTES, PARTNER, json=body)
    assert (response.status_code, response.headers["content-type"]) == (
        422,
        "application/problem+json",
    )
    assert "file 'a.txt': content_base64 is not base64" in response.json()["detail"]
