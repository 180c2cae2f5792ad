"""Manual ledger adjustments: a new entry with a reason, never an edit; under four eyes it
counts only once another user approves it (the asker cannot); evaluations leave it standing;
every step in the audit trail, the entry sealed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import text

from accord.services.adjustments import Adjustments, BookAdjustment, book_adjustment
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.ledger import LedgerQuery
from accord.services.portfolio import get_agreement
from accord.services.verdicts import RunEvaluation
from accord.store.db import make_engine
from tests.services.world import CONSOLE, World, events

BRAVO = LedgerQuery(agreement="acme-bravo")
GOODWILL = BookAdjustment(
    agreement="acme-bravo",
    scheme="availability-credits",
    window="2026-10",
    amount=Decimal("-40.00"),
    currency="EUR",
    reason="goodwill: the outage was announced late",
    link="ticket ACME-77",
)


@pytest.fixture
def owed(world: World) -> World:
    """October's credit of 100 EUR, final."""
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    world.clock.at = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
    world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    return world


def _owed(world: World) -> Decimal:
    [line] = world.services.ledger.report(CONSOLE, BRAVO).lines
    return line.owed


def _actions(world: World) -> list[str]:
    return [e["action"] for e in world.services.audit.entries(CONSOLE, limit=1000)]


def test_four_eyes_an_adjustment_counts_only_once_another_user_approves_it(owed: World) -> None:
    manager = owed.principal("manager@acme.example")
    asked = owed.services.adjustments.request(manager, GOODWILL)
    assert (asked.state, asked.entry, asked.amount) == ("requested", None, Decimal("-40.00"))
    assert _owed(owed) == Decimal("100.00")  # not yet

    with pytest.raises(Forbidden, match="four-eyes"):
        owed.services.adjustments.approve(manager, "acme-bravo", asked.id)
    assert _owed(owed) == Decimal("100.00")

    admin = owed.principal("admin@acme.example")
    applied = owed.services.adjustments.approve(admin, "acme-bravo", asked.id, "agreed")
    assert (applied.state, applied.decided_by) == ("applied", "admin@acme.example")
    assert applied.entry is not None
    [line] = owed.services.ledger.report(CONSOLE, BRAVO).lines
    assert (line.owed, line.adjusted) == (Decimal("60.00"), Decimal("-40.00"))
    entries = owed.services.verdicts.credits(CONSOLE, "acme-bravo", "2026-10").entries
    assert [e.amount for e in entries] == [Decimal("100.00"), Decimal("-40.00")]
    assert entries[1].reason == (
        f"adjustment {asked.id} (ticket ACME-77): goodwill: the outage was announced late"
    )
    with pytest.raises(Conflict, match="applied already"):
        owed.services.adjustments.approve(admin, "acme-bravo", asked.id)
    actions = _actions(owed)
    assert actions.index("credit_adjustment.requested") < actions.index("credit_entry.adjusted")
    assert "credit_adjustment.applied" in actions
    assert owed.services.audit.verify(CONSOLE).ok


def test_an_evaluation_leaves_an_adjustment_standing(owed: World) -> None:
    admin = owed.principal("admin@acme.example")
    asked = owed.services.adjustments.request(owed.principal("manager@acme.example"), GOODWILL)
    owed.services.adjustments.approve(admin, "acme-bravo", asked.id)
    owed.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10", reason="again")
    )
    entries = owed.services.verdicts.credits(CONSOLE, "acme-bravo", "2026-10").entries
    assert [e.amount for e in entries] == [Decimal("100.00"), Decimal("-40.00")]


def test_without_four_eyes_a_company_user_adjusts_at_once(owed: World) -> None:
    context = owed.services.context
    alone = Adjustments(replace(context, limits=replace(context.limits, four_eyes=False)))
    applied = alone.request(owed.principal("manager@acme.example"), GOODWILL)
    assert applied.state == "applied"
    assert _owed(owed) == Decimal("60.00")


def test_a_rejected_adjustment_changes_nothing(owed: World) -> None:
    asked = owed.services.adjustments.request(owed.principal("manager@acme.example"), GOODWILL)
    admin = owed.principal("admin@acme.example")
    with pytest.raises(Invalid, match="note"):
        owed.services.adjustments.reject(admin, "acme-bravo", asked.id, " ")
    rejected = owed.services.adjustments.reject(admin, "acme-bravo", asked.id, "no grounds")
    assert (rejected.state, rejected.decision_note) == ("rejected", "no grounds")
    assert _owed(owed) == Decimal("100.00")
    assert [a.state for a in owed.services.adjustments.list(CONSOLE, "acme-bravo")] == ["rejected"]


@pytest.mark.parametrize(
    "email", ["partner@bravo.example", "viewer@acme.example", "auditor@acme.example"]
)
def test_only_a_company_role_that_may_adjust_credits_adjusts(owed: World, email: str) -> None:
    with pytest.raises(Forbidden, match="credits:adjust"):
        owed.services.adjustments.request(owed.principal(email), GOODWILL)


def test_a_partner_cannot_see_another_partners_adjustments(owed: World) -> None:
    owed.services.adjustments.request(owed.principal("manager@acme.example"), GOODWILL)
    with pytest.raises(NotFound):
        owed.services.adjustments.list(owed.principal("partner@charlie.example"), "acme-bravo")
    assert (
        len(owed.services.adjustments.list(owed.principal("partner@bravo.example"), "acme-bravo"))
        == 1
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scheme": "nope"}, "no credit scheme 'nope'; schemes: availability-credits"),
        ({"window": "October"}, "window 'October'"),
        ({"currency": "USD"}, "pays in EUR, not 'USD'"),
        ({"amount": Decimal(0)}, "non-zero"),
        ({"amount": Decimal("1.005")}, "at most 2 decimals"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_an_adjustment_that_makes_no_sense_is_refused(
    owed: World, change: dict[str, object], message: str
) -> None:
    command = replace(GOODWILL, **change)  # type: ignore[arg-type]
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")):
        owed.services.adjustments.request(owed.principal("manager@acme.example"), command)


def test_another_use_case_books_an_adjustment_in_its_own_transaction(owed: World) -> None:
    """The door a resolved dispute uses: applied at once, with its reason and link."""
    admin = owed.principal("admin@acme.example")
    with owed.services.context.uow(admin, write=True) as uow:
        row = get_agreement(uow, "acme-bravo")
        booked = book_adjustment(uow, row, replace(GOODWILL, link="dispute 12"))
        uow.commit()
        assert booked.state == "applied"
    assert _owed(owed) == Decimal("60.00")
    [listed] = owed.services.adjustments.list(CONSOLE, "acme-bravo")
    assert (listed.link, listed.entry is not None) == ("dispute 12", True)


def test_an_edited_adjustment_entry_is_found(owed: World, database_url: str) -> None:
    admin = owed.principal("admin@acme.example")
    asked = owed.services.adjustments.request(owed.principal("manager@acme.example"), GOODWILL)
    applied = owed.services.adjustments.approve(admin, "acme-bravo", asked.id)
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE credit_entries SET amount = '-4.00' WHERE id = :id"), {"id": applied.entry}
        )
    engine.dispose()
    [finding] = owed.services.audit.verify(CONSOLE).findings
    assert f"credit entry {applied.entry} was edited" in finding.message
