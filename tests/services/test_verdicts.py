"""Evaluations of stored agreements: verdicts recorded append-only with reasons, the credit
ledger, and reading verdicts, explanations and budgets per objective, scope and window."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, World, events

OCTOBER = RunEvaluation(agreement="acme-bravo", period="2026-10")


def _push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


@pytest.fixture
def evaluated(world: World) -> World:
    """1,000 requests in October, 2% failing: a deviation (target 99%, tolerance 90%)."""
    _push(world, "october", events(1000, failing_every=50))
    world.services.verdicts.evaluate(world.principal("manager@acme.example"), OCTOBER)
    return world


def _all(world: World, **query: object) -> list[str]:
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery(**query))  # type: ignore[arg-type]
    return [f"{v.objective} {v.window} {v.outcome}" for v in page.items]


def test_an_evaluation_records_each_verdict(evaluated: World) -> None:
    assert _all(evaluated) == ["availability 2026-10 deviation"]
    [run] = evaluated.services.verdicts.runs(CONSOLE, "acme-bravo")
    assert (run.period, run.version, run.verdicts_recorded) == ("2026-10", 1, 1)
    assert run.requested_by == "manager@acme.example"


def test_an_unchanged_verdict_is_not_recorded_again(evaluated: World) -> None:
    run = evaluated.services.verdicts.evaluate(CONSOLE, OCTOBER)
    assert (run.verdicts_recorded, run.verdicts_unchanged) == (0, 1)
    assert len(_all(evaluated, include_superseded=True)) == 1


def test_late_data_that_changes_a_verdict_appends_it_with_a_reason(evaluated: World) -> None:
    _push(evaluated, "late", events(2000, prefix="late", step_minutes=10))
    late = RunEvaluation(agreement="acme-bravo", period="2026-10", reason="late data")
    run = evaluated.services.verdicts.evaluate(CONSOLE, late)
    assert run.verdicts_recorded == 1
    assert _all(evaluated) == ["availability 2026-10 met"]
    page = evaluated.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    detail = evaluated.services.verdicts.verdict(CONSOLE, "acme-bravo", page.items[0].id)
    first, second = detail.history
    assert second.supersedes == first.id
    assert second.reason is not None
    assert second.reason.startswith("late data: outcome deviation → met; value 98% → 99.")


def test_the_credit_ledger_appends_what_changed(evaluated: World) -> None:
    ledger = evaluated.services.verdicts.credits(CONSOLE, "acme-bravo", None)
    assert [(b.window, b.amount, b.currency) for b in ledger.balances] == [
        ("2026-10", Decimal(100), "EUR")
    ]
    _push(evaluated, "late", events(2000, prefix="late", step_minutes=10))
    evaluated.services.verdicts.evaluate(CONSOLE, OCTOBER)
    ledger = evaluated.services.verdicts.credits(CONSOLE, "acme-bravo", "2026-10")
    assert [e.amount for e in ledger.entries] == [Decimal(100), Decimal(-100)]
    assert ledger.balances[0].amount == 0
    assert "no credit owed any more" in ledger.entries[1].reason


def test_verdicts_are_filtered_by_objective_scope_window_and_outcome(evaluated: World) -> None:
    assert len(_all(evaluated, objective="availability", window="2026-10", scope="all")) == 1
    assert _all(evaluated, outcome="breach") == []
    assert _all(evaluated, scope="region=eu") == []
    assert _all(evaluated, objective="speed") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (VerdictQuery(limit=0), "limit"),
        (VerdictQuery(limit=501), "limit"),
        (VerdictQuery(offset=-1), "offset"),
        (VerdictQuery(outcome="great"), "no outcome"),
        (VerdictQuery(scope="region"), "name=value"),
    ],
)
def test_a_bad_verdict_query_is_invalid(
    evaluated: World, query: VerdictQuery, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        evaluated.services.verdicts.verdicts(CONSOLE, "acme-bravo", query)


def test_pages_say_where_the_next_one_starts(evaluated: World) -> None:
    _push(evaluated, "late", events(2000, prefix="late", step_minutes=10))
    evaluated.services.verdicts.evaluate(CONSOLE, OCTOBER)
    query = VerdictQuery(include_superseded=True, limit=1)
    page = evaluated.services.verdicts.verdicts(CONSOLE, "acme-bravo", query)
    assert (page.total, len(page.items), page.next_offset) == (2, 1, 1)


def test_a_verdict_explains_itself(evaluated: World) -> None:
    page = evaluated.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    detail = evaluated.services.verdicts.verdict(CONSOLE, "acme-bravo", page.items[0].id)
    assert "Outcome: DEVIATION" in detail.explanation
    assert detail.evidence["counts"]["good"] == 980
    assert detail.evidence["credit"]["amount"] == "100"


def test_error_budgets_come_with_the_verdicts(evaluated: World) -> None:
    [budget] = evaluated.services.verdicts.budgets(CONSOLE, "acme-bravo", VerdictQuery())
    assert budget.objective == "availability"
    assert budget.budget["spent_events"] == 20


def test_a_partner_reads_its_own_verdicts_only(evaluated: World) -> None:
    bravo = evaluated.principal("partner@bravo.example")
    assert evaluated.services.verdicts.verdicts(bravo, "acme-bravo", VerdictQuery()).total == 1
    charlie = evaluated.principal("partner@charlie.example")
    with pytest.raises(NotFound):
        evaluated.services.verdicts.verdicts(charlie, "acme-bravo", VerdictQuery())
    with pytest.raises(NotFound):
        evaluated.services.verdicts.credits(charlie, "acme-bravo", None)


@pytest.mark.parametrize("email", ["viewer@acme.example", "auditor@acme.example"])
def test_readers_do_not_evaluate(evaluated: World, email: str) -> None:
    with pytest.raises(Forbidden):
        evaluated.services.verdicts.evaluate(evaluated.principal(email), OCTOBER)


def test_a_partner_previews_its_own_agreement_only(evaluated: World) -> None:
    bravo = evaluated.principal("partner@bravo.example")
    preview = evaluated.services.verdicts.preview(bravo, OCTOBER)
    assert preview["preview"]["recorded"] is False
    assert [v["outcome"] for v in preview["verdicts"]] == ["deviation"]
    with pytest.raises(NotFound):
        evaluated.services.verdicts.preview(
            bravo, RunEvaluation(agreement="acme-charlie", period="2026-10")
        )


@pytest.mark.parametrize("version", [None, 1])
def test_a_partner_cannot_record_an_evaluation(evaluated: World, version: int | None) -> None:
    bravo = evaluated.principal("partner@bravo.example")
    with pytest.raises(Forbidden, match="only the company records"):
        evaluated.services.verdicts.evaluate(bravo, replace(OCTOBER, version=version))


def test_a_recorded_evaluation_takes_no_version(evaluated: World) -> None:
    manager = evaluated.principal("manager@acme.example")
    with pytest.raises(Invalid, match="version in force"):
        evaluated.services.verdicts.evaluate(manager, replace(OCTOBER, version=1))


def test_an_unknown_period_is_invalid(world: World) -> None:
    with pytest.raises(Invalid, match="2026-13"):
        world.services.verdicts.evaluate(
            CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-13")
        )


def test_an_evaluation_is_audited(evaluated: World) -> None:
    last = evaluated.services.audit.entries(CONSOLE, limit=1000)[-1]
    assert (last["action"], last["entity_id"]) == ("evaluation.recorded", "acme-bravo")
    assert last["after"]["verdicts_new"] == 1
    assert last["after"]["credit_entries"] == [
        {
            "scheme": "availability-credits",
            "window": "2026-10",
            "amount": "100.00",
            "currency": "EUR",
        }
    ]
