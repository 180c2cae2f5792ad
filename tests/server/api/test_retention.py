"""Retention over the API: a legal hold placed, listed and released by the company's
manager; the purge (a dry run first) removes batches past the agreement's rule; partners
may neither hold nor purge."""

from __future__ import annotations

import pytest

from tests.server.conftest import Api
from tests.services.test_retention import keep_performance_data, push
from tests.services.world import events

BRAVO = "/api/v1/agreements/acme-bravo"
MANAGER = "manager@acme.example"


@pytest.fixture
def batches(api: Api) -> Api:
    """An old batch past the 30 days kept, and a recent one."""
    keep_performance_data(api.world)
    push(api.world, "old", events(10))
    push(api.world, "recent", events(10, prefix="n", step_minutes=2480))
    return api


def test_a_dry_run_says_what_the_purge_then_removes(batches: Api) -> None:
    dry = batches.post("/api/v1/retention/purge?dry_run=true", MANAGER)
    assert dry.status_code == 200, dry.text
    [planned] = dry.json()["agreements"]
    assert (dry.json()["dry_run"], planned["removed"]) == (True, ["requests/old"])
    listed = batches.get(f"{BRAVO}/sources/requests/batches", MANAGER).json()
    assert sorted(b["batch_id"] for b in listed) == ["old", "recent"]
    done = batches.post("/api/v1/retention/purge", MANAGER).json()
    assert done["agreements"][0]["removed"] == ["requests/old"]
    listed = batches.get(f"{BRAVO}/sources/requests/batches", MANAGER).json()
    assert [b["batch_id"] for b in listed] == ["recent"]


def test_a_legal_hold_keeps_the_data_until_released(batches: Api) -> None:
    placed = batches.post(f"{BRAVO}/legal-holds", MANAGER, json={"reason": "litigation"})
    assert placed.status_code == 201, placed.text
    [held] = batches.post("/api/v1/retention/purge", MANAGER).json()["agreements"]
    assert (held["removed"], held["held"]) == ([], ["requests/old"])
    [hold] = batches.get(f"{BRAVO}/legal-holds", MANAGER).json()
    assert (hold["id"], hold["reason"]) == (placed.json()["id"], "litigation")
    released = batches.post(f"{BRAVO}/legal-holds/{hold['id']}/release", MANAGER)
    assert released.json()["released_by"] == MANAGER
    [purged] = batches.post("/api/v1/retention/purge", MANAGER).json()["agreements"]
    assert purged["removed"] == ["requests/old"]


def test_partners_may_neither_hold_nor_purge(batches: Api) -> None:
    partner = "partner@bravo.example"
    assert batches.post(f"{BRAVO}/legal-holds", partner, json={"reason": "x"}).status_code == 403
    assert batches.post("/api/v1/retention/purge", partner).status_code == 403
    assert batches.get(f"{BRAVO}/legal-holds", "partner@charlie.example").status_code == 404
