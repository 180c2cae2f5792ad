"""Disputes over the API: bravo disputes October's credit with a file (base64) and a link;
acme answers; a party escalates; the company records the outcome and the credit follows it.
Another partner sees nothing; evidence that is not base64 is a 422 problem. A partner
disputes a breach with its own data, and both sides read the comparison."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from tests.server.conftest import Api
from tests.services.test_dispute_data import breached_october, probe_csv
from tests.services.test_disputes import claim_october
from tests.services.world import events

DISPUTES = "/api/v1/agreements/acme-bravo/disputes"
PARTNER, MANAGER = "partner@bravo.example", "manager@acme.example"
LOG = b"02 Oct 10:14 acme deploy 4.2\n"
CREDIT = {"scheme": "availability-credits", "window": "2026-10", "amount": "0"}


@pytest.fixture
def claimed(api: Api) -> Api:
    """October's credit (100 EUR) is final and claimed by acme; the agreement has a ladder."""
    claim_october(api.world)
    return api


def _raise(api: Api) -> dict[str, Any]:
    body = {
        **CREDIT,
        "text": "The failures of 2 October were caused by acme's own deployment.",
        "files": [{"name": "deploy log.txt", "content_base64": base64.b64encode(LOG).decode()}],
        "links": ["https://status.bravo.example/incidents/17"],
    }
    response = api.post(DISPUTES, PARTNER, json=body)
    assert response.status_code == 201, response.text
    raised: dict[str, Any] = response.json()
    return raised


def test_a_credit_dispute_is_raised_answered_and_decided(claimed: Api) -> None:
    raised = _raise(claimed)
    assert (raised["state"], raised["step"], raised["step_name"]) == (
        "open",
        1,
        "Operational review",
    )
    [link, file] = raised["evidence"]
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


def test_a_file_too_large_for_json_goes_as_multipart_and_is_kept_by_its_hash(
    claimed: Api,
) -> None:
    raised = _raise(claimed)
    probes = bytes(range(256)) * 1200  # 300 KiB of probe data: far past a JSON body's 64 KiB
    as_json = {
        "text": "our probes",
        "files": [{"name": "probes.bin", "content_base64": base64.b64encode(probes).decode()}],
    }
    evidence = f"{DISPUTES}/{raised['id']}/evidence"
    assert (
        claimed.post(f"{DISPUTES}/{raised['id']}/responses", PARTNER, json=as_json).status_code
        == 413
    )

    uploaded = claimed.post(
        evidence,
        PARTNER,
        data={"text": "Our probes of October", "links": ["https://probes.bravo.example/oct"]},
        files=[
            ("files", ("probes.bin", probes, "application/octet-stream")),
            ("files", ("notes.txt", b"probe notes\n", "text/plain")),
        ],
    )

    assert uploaded.status_code == 201, uploaded.text
    added = uploaded.json()["evidence"][len(raised["evidence"]) :]
    assert sorted((e["kind"], e["reference"], e["sha256"], e["size"]) for e in added) == sorted([
        ("file", "probes.bin", hashlib.sha256(probes).hexdigest(), len(probes)),
        ("file", "notes.txt", hashlib.sha256(b"probe notes\n").hexdigest(), 12),
        ("link", "https://probes.bravo.example/oct", None, None),
    ])  # fmt: skip
    stored = claimed.world.services.context.data_dir.rglob(
        f"{hashlib.sha256(probes).hexdigest()}-*"
    )
    assert [path.read_bytes() == probes for path in stored] == [True]
    assert uploaded.json()["events"][-1]["text"] == "Our probes of October"


def test_the_multipart_route_has_its_own_limit_and_media_type(claimed: Api) -> None:
    raised = _raise(claimed)
    evidence = f"{DISPUTES}/{raised['id']}/evidence"
    limit = claimed.world.services.context.limits.max_evidence_bytes
    too_large = claimed.post(
        evidence,
        PARTNER,
        data={"text": "all of it"},
        files=[("files", ("huge.bin", b"\0" * (limit + 1), "application/octet-stream"))],
    )
    assert too_large.status_code == 413
    assert f"{limit:,} bytes" in too_large.json()["detail"]
    as_json = claimed.post(evidence, PARTNER, json={"text": "x"})
    assert as_json.status_code == 415
    no_file = claimed.post(
        evidence, PARTNER, data={"text": "nothing attached"}, files=[("other", ("a.txt", b"a"))]
    )
    assert no_file.status_code == 422
    charlie = claimed.post(
        evidence, "partner@charlie.example", data={"text": "x"}, files=[("files", ("a", b"a"))]
    )
    assert charlie.status_code == 404


@pytest.fixture
def breached(api: Api) -> tuple[Api, int]:
    """October's availability is a breach by our data (80%); the agreement has a ladder."""
    return api, breached_october(api.world)


def test_a_partner_disputes_a_breach_with_its_data_and_both_sides_see_the_comparison(
    breached: tuple[Api, int],
) -> None:
    api, verdict = breached
    theirs = probe_csv(events(1000))
    body = {
        "verdict": verdict,
        "text": "Our probes saw every request succeed.",
        "data": [
            {
                "source": "requests",
                "name": "probes.csv",
                "content_base64": base64.b64encode(theirs).decode(),
            }
        ],
    }
    raised = api.post(DISPUTES, PARTNER, json=body)
    assert raised.status_code == 201, raised.text
    [data] = raised.json()["evidence"]
    assert (data["kind"], data["source"], data["sha256"], data["rows_accepted"]) == (
        "data",
        "requests",
        hashlib.sha256(theirs).hexdigest(),
        1000,
    )
    comparison = f"{DISPUTES}/{raised.json()['id']}/comparison"
    for who in (PARTNER, MANAGER, "auditor@bravo.example"):
        answer = api.get(comparison, who)
        assert answer.status_code == 200, answer.text
        [side_by_side] = answer.json()["data"]
        [row] = side_by_side["objectives"]
        assert (row["ours"]["outcome"], row["ours"]["shown"]) == ("breach", "80%")
        assert (row["theirs"]["outcome"], row["theirs"]["shown"]) == ("met", "100%")
        assert (row["shown_difference"], answer.json()["recorded"]) == ("+20%", False)
    charlie = api.get(comparison, "partner@charlie.example")
    missing = api.get(
        "/api/v1/agreements/no-such-thing/disputes/1/comparison", "partner@charlie.example"
    )
    assert (charlie.status_code, charlie.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    assert charlie.json()["detail"].replace("acme-bravo", "X") == missing.json()["detail"].replace(
        "no-such-thing", "X"
    )


def test_data_goes_as_multipart_for_a_source_and_bad_data_is_a_422_naming_the_column(
    breached: tuple[Api, int],
) -> None:
    api, verdict = breached
    raised = api.post(DISPUTES, PARTNER, json={"verdict": verdict, "text": "wrong"}).json()
    evidence = f"{DISPUTES}/{raised['id']}/evidence"
    probes = probe_csv(events(1000, prefix="probe"))
    uploaded = api.post(
        evidence,
        PARTNER,
        data={"text": "Our probes", "data_for": "requests"},
        files=[("files", ("probes.csv", probes, "text/csv"))],
    )
    assert uploaded.status_code == 201, uploaded.text
    assert [(e["kind"], e["source"]) for e in uploaded.json()["evidence"]] == [("data", "requests")]
    refused = api.post(
        evidence,
        PARTNER,
        data={"text": "Our probes", "data_for": "requests"},
        files=[("files", ("short.csv", b"ts,request_id\n2026-10-02T00:00:00Z,r1\n", "text/csv"))],
    )
    assert (refused.status_code, refused.headers["content-type"]) == (
        422,
        "application/problem+json",
    )
    assert "source 'requests'" in refused.json()["detail"]
    assert "http_status" in refused.json()["detail"]
    unknown = api.post(
        evidence,
        PARTNER,
        data={"text": "Our pings", "data_for": "pings"},
        files=[("files", ("pings.csv", probes, "text/csv"))],
    )
    assert unknown.status_code == 422
    assert "has no such source" in unknown.json()["detail"]
