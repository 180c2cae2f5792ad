"""The credit ledger is covered by the audit chain: editing, deleting or inserting a ledger row
in the database (SQLite and PostgreSQL) is found by verifying the trail, naming the entry."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation
from accord.store.db import make_engine
from tests.services.world import CONSOLE, World, events


@pytest.fixture
def booked(world: World, database_url: str) -> World:
    """One credit entry booked: 100 EUR for October."""
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    world.services.verdicts.evaluate(
        world.principal("manager@acme.example"),
        RunEvaluation(agreement="acme-bravo", period="2026-10"),
    )
    return world


def _tamper(database_url: str, statement: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _findings(world: World) -> list[str]:
    return [f"{f.kind}: {f.message}" for f in world.services.audit.verify(CONSOLE).findings]


def test_a_booked_entry_is_sealed_in_the_trail(booked: World) -> None:
    assert _findings(booked) == []
    sealed = [
        e
        for e in booked.services.audit.entries(CONSOLE, limit=1000)
        if e["entity"] == "credit_entry"
    ]
    [entry] = sealed
    assert entry["action"] == "credit_entry.booked"
    assert entry["after"]["row"]["amount"] == "100.00"


@pytest.mark.parametrize(
    ("statement", "finding"),
    [
        (
            "UPDATE credit_entries SET amount = '10.00' WHERE id = 1",
            "edited: credit entry 1 was edited: it no longer matches its seal in entry",
        ),
        ("DELETE FROM credit_entries WHERE id = 1", "deleted: credit entry 1 was deleted"),
        (
            "INSERT INTO credit_entries (agreement_id, run_id, scheme, objective, scope_label, "
            "window_label, tier, amount, currency, recorded_at, reason) SELECT agreement_id, "
            "run_id, scheme, objective, scope_label, window_label, tier, '-100.00', currency, "
            "recorded_at, 'forged' FROM credit_entries WHERE id = 1",
            "inserted: credit entry 2 was inserted: no audit entry sealed it",
        ),
    ],
)
def test_a_ledger_row_changed_in_the_database_is_found(
    booked: World, database_url: str, statement: str, finding: str
) -> None:
    _tamper(database_url, statement)
    [found] = _findings(booked)
    assert found.startswith(finding)
