"""The credit ledger's lifecycle: provisional while October is open, owed once it is final,
claimed by the company before the deadline (else expired), accepted or disputed by the
partner, settled with a reference; lists with totals, filters and exports; every entry and
step sealed in the audit chain, so that a ledger row edited, deleted or inserted in the
database (SQLite and PostgreSQL) is found by verifying the trail, naming the entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from accord.services.errors import Conflict, Forbidden, Invalid
from accord.services.ingestion import PushBatch
from accord.services.ledger import CreditState, LedgerQuery, LedgerStep
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from accord.store.db import make_engine
from tests.services.world import CONSOLE, World, agreement_document, events

BERLIN = ZoneInfo("Europe/Berlin")
AFTER_CLOSE = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
BRAVO = LedgerQuery(agreement="acme-bravo")


def _step(state: CreditState, **extra: str) -> LedgerStep:
    return LedgerStep(
        agreement="acme-bravo",
        scheme="availability-credits",
        window="2026-10",
        state=state,
        **extra,  # type: ignore[arg-type]
    )


def _evaluate(world: World) -> None:
    world.services.verdicts.evaluate(
        world.principal("manager@acme.example"),
        RunEvaluation(agreement="acme-bravo", period="2026-10"),
    )


def _push_october(world: World) -> None:
    """October's requests from bravo, one in fifty failing (98 %): 100 EUR owed."""
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )


@pytest.fixture
def owed(world: World) -> World:
    _push_october(world)
    _evaluate(world)
    world.clock.at = AFTER_CLOSE
    _evaluate(world)
    return world


def test_a_credit_is_provisional_until_its_window_is_final(world: World) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="o",
            events=events(1000, failing_every=50),
        ),
    )
    _evaluate(world)
    [line] = world.services.ledger.report(CONSOLE, BRAVO).lines
    assert (line.state, line.final, line.claim_deadline) == ("provisional", False, None)


def test_a_final_credit_is_owed_with_its_claim_deadline_and_totals(owed: World) -> None:
    report = owed.services.ledger.report(CONSOLE, LedgerQuery())
    [line] = report.lines
    assert (line.agreement, line.partner, line.window, line.owed, line.currency, line.state) == (
        "acme-bravo",
        "bravo",
        "2026-10",
        Decimal("100.00"),
        "EUR",
        "owed",
    )
    assert line.claim_deadline == dt.datetime(2026, 12, 1, tzinfo=BERLIN)  # claim window 30 days
    assert [(t.currency, t.state, t.amount, t.credits) for t in report.totals] == [
        ("EUR", "owed", Decimal("100.00"), 1)
    ]


def test_the_lifecycle_claimed_disputed_settled(owed: World) -> None:
    manager = owed.principal("manager@acme.example")
    partner = owed.principal("partner@bravo.example")
    ledger = owed.services.ledger
    with pytest.raises(Forbidden):
        ledger.step(partner, _step(CreditState.CLAIMED))
    assert ledger.step(manager, _step(CreditState.CLAIMED)).state == "claimed"
    with pytest.raises(Forbidden):
        ledger.step(manager, _step(CreditState.ACCEPTED))
    with pytest.raises(Invalid, match="disputed"):
        ledger.step(partner, _step(CreditState.DISPUTED))
    disputed = ledger.step(partner, _step(CreditState.DISPUTED, note="our logs show 99.1%"))
    assert (disputed.state, disputed.claimed) == ("disputed", Decimal("100.00"))
    with pytest.raises(Invalid, match="reference"):
        ledger.step(manager, _step(CreditState.SETTLED))
    settled = ledger.step(manager, _step(CreditState.SETTLED, reference="CN-2026-117"))
    assert (settled.state, settled.reference) == ("settled", "CN-2026-117")
    with pytest.raises(Conflict, match="is settled"):
        ledger.step(manager, _step(CreditState.CLAIMED))
    actions = [e["action"] for e in owed.services.audit.entries(CONSOLE, limit=1000)]
    assert [a for a in actions if a.startswith("credit.")] == [
        "credit.claimed",
        "credit.disputed",
        "credit.settled",
    ]
    assert owed.services.audit.verify(CONSOLE).ok


def test_an_unclaimed_credit_expires_at_its_claim_deadline(owed: World) -> None:
    owed.clock.at = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    [line] = owed.services.ledger.report(CONSOLE, BRAVO).lines
    assert line.state == "expired"
    with pytest.raises(Conflict, match="is expired"):
        owed.services.ledger.step(
            owed.principal("manager@acme.example"), _step(CreditState.CLAIMED)
        )


@pytest.mark.parametrize(
    ("query", "count"),
    [
        (LedgerQuery(partner="bravo"), 1),
        (LedgerQuery(partner="charlie"), 0),
        (LedgerQuery(period="2026"), 1),
        (LedgerQuery(period="2026-11"), 0),
        (LedgerQuery(state="owed"), 1),
        (LedgerQuery(state="settled"), 0),
    ],
)
def test_the_ledger_is_filtered_by_partner_period_and_state(
    owed: World, query: LedgerQuery, count: int
) -> None:
    assert len(owed.services.ledger.report(CONSOLE, query).lines) == count


def test_an_unknown_state_is_invalid(owed: World) -> None:
    with pytest.raises(Invalid, match="no credit state"):
        owed.services.ledger.report(CONSOLE, LedgerQuery(state="paid"))


def test_the_ledger_exports_as_csv_and_json_for_finance(owed: World) -> None:
    report = owed.services.ledger.report(CONSOLE, LedgerQuery())
    [row] = list(csv.DictReader(io.StringIO(report.as_csv())))
    assert (row["agreement"], row["owed"], row["currency"], row["state"]) == (
        "acme-bravo",
        "100.00",
        "EUR",
        "owed",
    )
    found = report.as_json()
    assert found["format"] == "accord.ledger/v1"
    assert found["totals"] == [
        {"currency": "EUR", "state": "owed", "amount": "100.00", "credits": 1}
    ]


def test_a_partner_sees_only_its_own_credits(owed: World) -> None:
    charlie = owed.principal("partner@charlie.example")
    assert owed.services.ledger.report(charlie, LedgerQuery()).lines == []


# -- sealed in the audit chain: a row changed in the database is found -------------------


def _tamper(database_url: str, statement: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _findings(world: World) -> list[str]:
    return [f"{f.kind}: {f.message}" for f in world.services.audit.verify(CONSOLE).findings]


@pytest.fixture
def booked(world: World) -> World:
    """One credit entry booked: 100 EUR for October."""
    _push_october(world)
    _evaluate(world)
    return world


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


def test_an_edited_lifecycle_step_is_found(owed: World, database_url: str) -> None:
    owed.services.ledger.step(owed.principal("manager@acme.example"), _step(CreditState.CLAIMED))
    _tamper(database_url, "UPDATE credit_claims SET amount = '1.00' WHERE id = 1")
    [finding] = owed.services.audit.verify(CONSOLE).findings
    assert "credit claim 1 was edited" in finding.message


# -- caps across schemes (remedies.caps) ------------------------------------------------


def capped_document(caps: dict[str, str]) -> dict[str, object]:
    """acme-capped: two objectives on the same requests (99% and 99.5%), each with a scheme
    owing 30% of 1000 EUR when missed, and ``caps`` across them."""
    document = agreement_document("bravo")
    document["metadata"] = {"id": "acme-capped", "title": "Capped", "version": "1"}
    strict = {**document["objectives"][0], "id": "strict", "name": "Strict", "target": "99.5%"}
    document["objectives"].append(strict)
    scheme = document["remedies"]["credits"][0]
    document["remedies"] = {
        "claim_window": "30 days",
        "credits": [
            {**scheme, "tiers": [{"below": "99%", "credit": "30%"}], "cap": "50%"},
            {
                **scheme,
                "id": "strict-credits",
                "objectives": ["strict"],
                "tiers": [{"below": "99.5%", "credit": "30%"}],
                "cap": "50%",
            },
        ],
        "caps": caps,
    }
    return document


def _capped_world(world: World, caps: dict[str, str], months: int = 1) -> World:
    manager = world.principal("manager@acme.example")
    text = json.dumps(capped_document(caps))
    world.services.portfolio.upload(manager, UploadVersion(text=text))
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-capped",
            source="requests",
            batch_id="autumn",
            # 98% good, from 2 October on, for ``months`` months.
            events=events(1200 * months, failing_every=50),
        ),
    )
    return world


def test_a_per_period_cap_clips_the_second_objectives_credit_when_booked(world: World) -> None:
    _capped_world(world, {"per_period": "400 EUR"})
    world.services.verdicts.evaluate(
        world.principal("manager@acme.example"),
        RunEvaluation(agreement="acme-capped", period="2026-10"),
    )

    ledger = world.services.verdicts.credits(CONSOLE, "acme-capped", None)
    by_scheme = {entry.scheme: entry for entry in ledger.entries}
    assert by_scheme["availability-credits"].amount == Decimal("300.00")
    assert by_scheme["availability-credits"].clipped is None
    strict = by_scheme["strict-credits"]
    assert (strict.amount, strict.clipped, strict.caps) == (
        Decimal("100.00"),
        Decimal("200.00"),
        "per_period cap 400.00 EUR",
    )
    assert "clipped to 100.00 EUR by the per_period cap 400.00 EUR" in strict.reason
    report = world.services.ledger.report(CONSOLE, LedgerQuery(agreement="acme-capped"))
    line = next(line for line in report.lines if line.scheme == "strict-credits")
    assert (line.owed, line.clipped, line.caps) == (
        Decimal("100.00"),
        Decimal("200.00"),
        "per_period cap 400.00 EUR",
    )
    row = next(
        row
        for row in csv.DictReader(io.StringIO(report.as_csv()))
        if row["scheme"] == "strict-credits"
    )
    assert (row["clipped"], row["caps"]) == ("200.00", "per_period cap 400.00 EUR")
    assert report.as_json()["lines"][1]["clipped"] == "200.00"
    assert world.services.audit.verify(CONSOLE).ok


def test_a_yearly_cap_counts_the_months_already_booked(world: World) -> None:
    _capped_world(world, {"per_year": "800 EUR"}, months=2)
    manager = world.principal("manager@acme.example")
    for month in ("2026-10", "2026-11"):
        world.clock.at = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
        world.services.verdicts.evaluate(
            manager, RunEvaluation(agreement="acme-capped", period=month)
        )

    balances = {
        (b.scheme, b.window): b.amount
        for b in world.services.verdicts.credits(CONSOLE, "acme-capped", None).balances
    }
    # October owes 300 + 300; November has 200 of the year's 800 left, filled in scheme order.
    assert balances == {
        ("availability-credits", "2026-10"): Decimal("300.00"),
        ("strict-credits", "2026-10"): Decimal("300.00"),
        ("availability-credits", "2026-11"): Decimal("200.00"),
        ("strict-credits", "2026-11"): Decimal("0.00"),
    }
    # Judging November again books nothing new: the cap is not applied twice.
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-capped", period="2026-11", reason="again")
    )
    entries = world.services.verdicts.credits(CONSOLE, "acme-capped", "2026-11").entries
    # A credit clipped to nothing is booked once at zero, so that the ledger shows the clip.
    assert [(e.scheme, e.amount, e.clipped, e.caps) for e in entries] == [
        ("availability-credits", Decimal("200.00"), Decimal("100.00"), "per_year cap 800.00 EUR"),
        ("strict-credits", Decimal("0.00"), Decimal("300.00"), "per_year cap 800.00 EUR"),
    ]
    lines = world.services.ledger.report(CONSOLE, LedgerQuery(period="2026-11")).lines
    assert [(line.scheme, line.owed) for line in lines] == [
        ("availability-credits", Decimal("200.00")),
        ("strict-credits", Decimal("0.00")),
    ]
