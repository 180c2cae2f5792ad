"""Evaluations and verdicts over the API: pushed data evaluated and its verdicts, budgets
and credits read; a partner's preview changes nothing; findings served; filters checked."""

from __future__ import annotations

from tests.server.conftest import Api
from tests.services.test_findings import regional_world
from tests.services.world import events

BRAVO = "/api/v1/agreements/acme-bravo"
BATCHES = f"{BRAVO}/sources/requests/batches"


def test_pushed_data_is_evaluated_and_its_verdicts_read(api: Api) -> None:
    partner = "partner@bravo.example"
    api.put(f"{BATCHES}/october", partner, json={"events": events(1000, failing_every=50)})
    run = api.post(f"{BRAVO}/evaluations", "manager@acme.example", json={"period": "2026-10"})
    assert (run.status_code, run.json()["verdicts_recorded"]) == (201, 1)
    page = api.get(f"{BRAVO}/verdicts", partner, params={"objective": "availability"}).json()
    [verdict] = page["items"]
    assert (verdict["outcome"], verdict["window"], verdict["value"]) == (
        "deviation",
        "2026-10",
        "0.98",
    )
    detail = api.get(f"{BRAVO}/verdicts/{verdict['id']}", partner).json()
    assert "Outcome: DEVIATION" in detail["explanation"]
    assert len(detail["history"]) == 1
    [budget] = api.get(f"{BRAVO}/budgets", partner).json()
    assert budget["budget"]["spent_events"] == 20
    ledger = api.get(f"{BRAVO}/credits", partner).json()
    assert ledger["balances"] == [
        {
            "scheme": "availability-credits",
            "window": "2026-10",
            "amount": "100.00",
            "currency": "EUR",
        }
    ]
    assert len(api.get(f"{BRAVO}/evaluations", partner).json()) == 1


def test_a_partner_previews_with_an_old_version_but_changes_nothing(api: Api) -> None:
    """Issue 10 §1: a partner asking for a superseded version must not lower what it owes."""
    partner, manager = "partner@bravo.example", "manager@acme.example"
    api.put(f"{BATCHES}/october", partner, json={"events": events(1000, failing_every=50)})
    assert api.post(f"{BRAVO}/evaluations", manager, json={"period": "2026-10"}).status_code == 201
    before = api.get(f"{BRAVO}/credits", partner).json()
    old = {"period": "2026-10", "version": 1, "reason": "use the old version"}
    refused = api.post(f"{BRAVO}/evaluations", partner, json=old)
    assert refused.status_code == 403
    assert "preview" in refused.json()["detail"]
    preview = api.post(f"{BRAVO}/previews", partner, json=old)
    assert preview.status_code == 200
    assert preview.json()["preview"]["recorded"] is False
    assert api.get(f"{BRAVO}/credits", partner).json() == before
    assert len(api.get(f"{BRAVO}/evaluations", partner).json()) == 1
    with_version = api.post(f"{BRAVO}/evaluations", manager, json=old)
    assert with_version.status_code == 422


def test_chronic_and_consistency_findings_are_served(api: Api) -> None:
    regional_world(api.world)
    regional = "/api/v1/agreements/acme-regional"
    manager = "manager@acme.example"
    assert (
        api.post(f"{regional}/evaluations", manager, json={"period": "2026-10"}).status_code == 201
    )
    found = api.get(f"{regional}/findings", "partner@bravo.example").json()
    assert [(f["kind"], f["subject"], f["window"], f["outcome"]) for f in found] == [
        ("chronic", "chronic-availability", "2026-10", "triggered"),
        ("consistency", "availability", "2026-10", "breach"),
    ]
    chronic = api.get(f"{regional}/findings", manager, params={"kind": "chronic"}).json()
    assert [f["finding"]["consequence"] for f in chronic] == ["Acme may terminate."]
    assert api.get(f"{regional}/findings", manager, params={"kind": "x"}).status_code == 422
    assert api.get(f"{regional}/findings", "partner@charlie.example").status_code == 404


def test_verdict_filters_are_checked(api: Api) -> None:
    for params in ({"outcome": "great"}, {"limit": 0}, {"limit": 501}, {"offset": -1}, {"x": 1}):
        response = api.get(f"{BRAVO}/verdicts", "viewer@acme.example", params=params)
        assert response.status_code == 422, params
    response = api.get(f"{BRAVO}/verdicts", "viewer@acme.example", params={"scope": "eu"})
    assert response.status_code == 422
    assert "name=value" in response.json()["detail"]


def test_an_unknown_period_is_a_422_problem(api: Api) -> None:
    response = api.post(f"{BRAVO}/evaluations", "manager@acme.example", json={"period": "soon"})
    assert response.status_code == 422
