"""The credit ledger over the API: credits claimed, answered and exported; a manual
adjustment needs a second user's approval."""

from __future__ import annotations

import datetime as dt

from tests.server.conftest import Api
from tests.services.world import events

BRAVO = "/api/v1/agreements/acme-bravo"
BATCHES = f"{BRAVO}/sources/requests/batches"


def test_credits_are_claimed_answered_and_exported_through_the_api(api: Api) -> None:
    partner, manager = "partner@bravo.example", "manager@acme.example"
    api.put(f"{BATCHES}/october", partner, json={"events": events(1000, failing_every=50)})
    api.world.clock.at = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)  # October closed
    assert api.post(f"{BRAVO}/evaluations", manager, json={"period": "2026-10"}).status_code == 201
    [period] = api.get(f"{BRAVO}/periods", partner).json()
    assert (period["window"], period["state"]) == ("2026-10", "closed")
    credit = {"scheme": "availability-credits", "window": "2026-10"}
    assert api.post(f"{BRAVO}/ledger/claim", partner, json=credit).status_code == 403
    claimed = api.post(f"{BRAVO}/ledger/claim", manager, json=credit)
    assert (claimed.status_code, claimed.json()["state"]) == (200, "claimed")
    accepted = api.post(f"{BRAVO}/ledger/accept", partner, json=credit)
    assert accepted.json()["state"] == "accepted"
    exported = api.get("/api/v1/ledger", "viewer@acme.example", params={"format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "acme-bravo,bravo,availability-credits,2026-10,100.00,EUR,accepted" in exported.text
    totals = api.get("/api/v1/ledger", "viewer@acme.example").json()["totals"]
    assert totals == [{"currency": "EUR", "state": "accepted", "amount": "100.00", "credits": 1}]


def test_a_ledger_adjustment_is_approved_by_a_second_user(api: Api) -> None:
    manager, admin = "manager@acme.example", "admin@acme.example"
    body = {
        "scheme": "availability-credits",
        "window": "2026-10",
        "amount": "25.50",
        "currency": "EUR",
        "reason": "goodwill",
        "link": "dispute 12",
    }
    asked = api.post(f"{BRAVO}/adjustments", manager, json=body)
    assert (asked.status_code, asked.json()["state"]) == (201, "requested")
    number = asked.json()["id"]
    own = api.post(f"{BRAVO}/adjustments/{number}/approve", manager, json={})
    assert own.status_code == 403
    assert "four-eyes" in own.json()["detail"]
    approved = api.post(f"{BRAVO}/adjustments/{number}/approve", admin, json={"note": "ok"})
    assert (approved.status_code, approved.json()["state"]) == (200, "applied")
    [line] = api.get("/api/v1/ledger", "viewer@acme.example").json()["lines"]
    assert (line["owed"], line["adjusted"]) == ("25.50", "25.50")
    wrong = api.post(f"{BRAVO}/adjustments", manager, json={**body, "currency": "USD"})
    assert wrong.status_code == 422
    assert api.get(f"{BRAVO}/adjustments", "partner@bravo.example").json()[0]["link"] == (
        "dispute 12"
    )
