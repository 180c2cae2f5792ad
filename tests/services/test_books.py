"""Closing the books: October closes five business days after it ends; a batch pushed after
that leaves its verdicts and credits unchanged and shows up as late data; a restatement,
asked for with a reason and approved by a second user, supersedes the verdict and books the
difference — all in the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accord.services.books import Books, RequestRestatement
from accord.services.errors import Forbidden, Invalid
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, World, agreement_document, events

BERLIN = ZoneInfo("Europe/Berlin")
CLOSES = dt.datetime(2026, 11, 7, tzinfo=BERLIN)  # 5 business days after October
AFTER_CLOSE = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
OCTOBER = RunEvaluation(agreement="acme-bravo", period="2026-10")


def _push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


def _evaluate(world: World) -> None:
    world.services.verdicts.evaluate(world.principal("manager@acme.example"), OCTOBER)


def _october(world: World) -> list[tuple[str, str | None]]:
    query = VerdictQuery(window="2026-10", include_superseded=True)
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", query)
    return [(v.outcome, v.reason) for v in page.items]


def _owed(world: World) -> Decimal:
    ledger = world.services.verdicts.credits(CONSOLE, "acme-bravo", "2026-10")
    return sum((b.amount for b in ledger.balances), Decimal(0))


def _actions(world: World) -> list[str]:
    return [entry["action"] for entry in world.services.audit.entries(CONSOLE, limit=1000)]


@pytest.fixture
def closed(world: World) -> World:
    return close_october(world)


def close_october(world: World) -> World:
    """October judged in its grace period (a deviation, 100 EUR owed), then made final by
    the first evaluation after its close."""
    _push(world, "october", events(1000, failing_every=50))
    _evaluate(world)  # 3 November: in grace, not final
    assert world.services.books.periods(CONSOLE, "acme-bravo") == []
    world.clock.at = AFTER_CLOSE
    _evaluate(world)
    return world


def test_a_window_becomes_final_with_its_versions_and_data(closed: World) -> None:
    [october] = closed.services.books.periods(CONSOLE, "acme-bravo")
    assert (october.window, october.state, october.closes_at) == ("2026-10", "closed", CLOSES)
    [batch] = october.batches
    assert (batch["source"], batch["batch_id"]) == ("requests", "october")
    assert len(batch["digest"]) == 64
    assert october.credits == [
        {"scheme": "availability-credits", "amount": "100.00", "currency": "EUR"}
    ]
    assert len(october.versions) == 1
    assert "window.closed" in _actions(closed)


def test_late_data_after_close_changes_nothing_and_is_reported(closed: World) -> None:
    _push(closed, "late", events(2000, prefix="late", step_minutes=10))
    _evaluate(closed)
    assert _october(closed) == [("deviation", None)]
    assert _owed(closed) == Decimal("100.00")
    late = closed.services.books.late_data(CONSOLE, "acme-bravo")
    assert late.sources == {"requests": {"batches": 1, "events": 2000, "windows": ["2026-10"]}}
    [change] = late.changes
    assert (change.window, change.final_outcome, change.outcome) == ("2026-10", "deviation", "met")
    held = closed.services.audit.entries(CONSOLE, limit=1000)[-1]
    assert held["after"]["late_data_held"][0]["now"]["outcome"] == "met"


def test_data_received_after_the_cutoff_is_not_used_when_a_window_is_made_final(
    world: World,
) -> None:
    _push(world, "october", events(1000, failing_every=50))
    world.clock.at = CLOSES + dt.timedelta(hours=1)
    _push(world, "late", events(2000, prefix="late", step_minutes=10))
    world.clock.at = AFTER_CLOSE
    _evaluate(world)
    assert _october(world) == [("deviation", None)]
    [october] = world.services.books.periods(CONSOLE, "acme-bravo")
    assert [b["batch_id"] for b in october.batches] == ["october"]
    assert world.services.books.late_data(CONSOLE, "acme-bravo").sources["requests"]["events"]


def test_a_restatement_asked_by_the_partner_and_approved_supersedes_and_books_the_difference(
    closed: World,
) -> None:
    _push(closed, "late", events(2000, prefix="late", step_minutes=10))
    partner = closed.principal("partner@bravo.example")
    asked = closed.services.books.request_restatement(
        partner,
        RequestRestatement(
            agreement="acme-bravo",
            period="2026-10",
            reason_code="late_data",
            reason="2,000 requests were delayed by our exporter",
        ),
    )
    assert asked.state == "requested"
    assert _october(closed) == [("deviation", None)]
    manager = closed.principal("manager@acme.example")
    applied = closed.services.books.approve(manager, "acme-bravo", asked.id, "checked the logs")
    assert (applied.state, applied.decided_by) == ("applied", "manager@acme.example")
    (first, _), (second, reason) = _october(closed)
    assert (first, second) == ("deviation", "met")
    assert reason is not None
    assert reason.startswith("restatement 1 (late_data): 2,000 requests were delayed")
    ledger = closed.services.verdicts.credits(CONSOLE, "acme-bravo", "2026-10")
    assert [e.amount for e in ledger.entries] == [Decimal(100), Decimal(-100)]
    [listed] = closed.services.books.restatements(CONSOLE, "acme-bravo")
    assert listed.run == applied.run
    [october] = closed.services.books.periods(CONSOLE, "acme-bravo")
    assert october.state == "restated"
    actions = _actions(closed)
    assert actions.index("restatement.requested") < actions.index("restatement.applied")


def test_four_eyes_a_user_does_not_approve_its_own_restatement(closed: World) -> None:
    manager = closed.principal("manager@acme.example")
    command = RequestRestatement(
        agreement="acme-bravo", period="2026-10", reason_code="data_correction", reason="typo"
    )
    asked = closed.services.books.request_restatement(manager, command)
    with pytest.raises(Forbidden, match="four-eyes"):
        closed.services.books.approve(manager, "acme-bravo", asked.id)
    partner = closed.principal("partner@bravo.example")
    with pytest.raises(Forbidden):
        closed.services.books.approve(partner, "acme-bravo", asked.id)
    admin = closed.principal("admin@acme.example")
    assert closed.services.books.approve(admin, "acme-bravo", asked.id).state == "applied"


def test_without_four_eyes_a_company_user_restates_at_once(closed: World) -> None:
    context = closed.services.context
    alone = replace(context, limits=replace(context.limits, four_eyes=False))
    books = Books(alone, closed.services.verdicts)
    _push(closed, "late", events(2000, prefix="late", step_minutes=10))
    manager = closed.principal("manager@acme.example")
    command = RequestRestatement(
        agreement="acme-bravo", period="2026-10", reason_code="late_data", reason="exporter"
    )
    assert books.request_restatement(manager, command).state == "applied"
    assert [outcome for outcome, _ in _october(closed)] == ["deviation", "met"]


def test_a_rejected_restatement_changes_nothing(closed: World) -> None:
    partner = closed.principal("partner@bravo.example")
    command = RequestRestatement(
        agreement="acme-bravo", period="2026-10", reason_code="other", reason="please"
    )
    asked = closed.services.books.request_restatement(partner, command)
    admin = closed.principal("admin@acme.example")
    with pytest.raises(Invalid, match="note"):
        closed.services.books.reject(admin, "acme-bravo", asked.id, " ")
    rejected = closed.services.books.reject(admin, "acme-bravo", asked.id, "no new evidence")
    assert rejected.state == "rejected"
    assert _october(closed) == [("deviation", None)]


@pytest.mark.parametrize(
    ("period", "code", "message"),
    [("2026-10", "because", "no reason 'because'"), ("2026-11", "late_data", "not closed")],
)
def test_a_restatement_needs_a_listed_reason_and_a_closed_period(
    closed: World, period: str, code: str, message: str
) -> None:
    command = RequestRestatement(
        agreement="acme-bravo", period=period, reason_code=code, reason="text"
    )
    with pytest.raises(Invalid, match=message):
        closed.services.books.request_restatement(CONSOLE, command)


def test_a_backdated_version_does_not_rewrite_a_closed_period(closed: World) -> None:
    document = agreement_document("bravo", target="97%", version="2")
    document["metadata"]["effective"] = "2026-10-01"
    manager = closed.principal("manager@acme.example")
    closed.services.portfolio.upload(
        manager, UploadVersion(text=json.dumps(document), backdated="signed late")
    )
    _evaluate(closed)
    assert _october(closed) == [("deviation", None)]
    assert _owed(closed) == Decimal("100.00")


def test_a_declared_data_cutoff_closes_earlier(world: World) -> None:
    document = agreement_document("bravo")
    document["data_cutoff"] = "1 business day"
    document["metadata"]["effective"] = "2026-01-01"
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(
        manager, UploadVersion(text=json.dumps(document), backdated="cutoff agreed")
    )
    _push(world, "october", events(1000, failing_every=50))
    _evaluate(world)  # 3 November: October closed at midnight after Monday 2 November
    [october] = world.services.books.periods(CONSOLE, "acme-bravo")
    assert october.closes_at == dt.datetime(2026, 11, 3, tzinfo=BERLIN)
