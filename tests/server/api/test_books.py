"""Closing the books over the API: October's closed period with its data, late data after
close reported (and changing nothing), a restatement asked for by the partner and approved
by the company, four eyes, a rejection that needs a note, and reasons from the fixed list."""

from __future__ import annotations

import pytest

from tests.server.conftest import Api
from tests.services.test_books import close_october
from tests.services.world import events

BRAVO = "/api/v1/agreements/acme-bravo"
PARTNER, MANAGER, ADMIN = "partner@bravo.example", "manager@acme.example", "admin@acme.example"
LATE = {"events": events(2000, prefix="late", step_minutes=10)}


@pytest.fixture
def closed(api: Api) -> Api:
    """October judged a deviation (100 EUR) and made final after its close on 7 November."""
    close_october(api.world)
    return api


def test_late_data_is_reported_and_a_restatement_applies_it(closed: Api) -> None:
    [october] = closed.get(f"{BRAVO}/periods", PARTNER).json()
    assert (october["window"], october["state"]) == ("2026-10", "closed")
    assert closed.put(f"{BRAVO}/sources/requests/batches/late", PARTNER, json=LATE).is_success
    late = closed.get(f"{BRAVO}/late-data", MANAGER).json()
    assert late["sources"]["requests"]["events"] == 2000
    body = {"period": "2026-10", "reason_code": "late_data", "reason": "exporter delayed them"}
    asked = closed.post(f"{BRAVO}/restatements", PARTNER, json=body)
    assert (asked.status_code, asked.json()["state"]) == (201, "requested")
    number = asked.json()["id"]
    applied = closed.post(f"{BRAVO}/restatements/{number}/approve", MANAGER, json={})
    assert applied.status_code == 200, applied.text
    assert (applied.json()["state"], applied.json()["decided_by"]) == ("applied", MANAGER)
    assert [r["state"] for r in closed.get(f"{BRAVO}/restatements", PARTNER).json()] == ["applied"]
    assert closed.get(f"{BRAVO}/periods", PARTNER).json()[0]["state"] == "restated"


def test_four_eyes_and_a_rejection_needing_a_note(closed: Api) -> None:
    body = {"period": "2026-10", "reason_code": "data_correction", "reason": "typo"}
    number = closed.post(f"{BRAVO}/restatements", MANAGER, json=body).json()["id"]
    own = closed.post(f"{BRAVO}/restatements/{number}/approve", MANAGER, json={})
    assert own.status_code == 403
    assert "four-eyes" in own.json()["detail"]
    assert closed.post(f"{BRAVO}/restatements/{number}/reject", ADMIN, json={}).status_code == 422
    rejected = closed.post(f"{BRAVO}/restatements/{number}/reject", ADMIN, json={"note": "no"})
    assert rejected.json()["state"] == "rejected"


def test_a_reason_outside_the_list_or_an_open_period_is_refused(closed: Api) -> None:
    unlisted = {"period": "2026-10", "reason_code": "because", "reason": "x"}
    assert closed.post(f"{BRAVO}/restatements", MANAGER, json=unlisted).status_code == 422
    still_open = {"period": "2026-11", "reason_code": "late_data", "reason": "x"}
    refused = closed.post(f"{BRAVO}/restatements", MANAGER, json=still_open)
    assert refused.status_code == 422
    assert "not closed" in refused.json()["detail"]
    assert closed.get(f"{BRAVO}/periods", "partner@charlie.example").status_code == 404
