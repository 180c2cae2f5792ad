"""The portfolio at a glance, summed up in the database: each agreement's current period with
its outcomes, the least error budget left, how many budgets are spent, and coverage."""

from __future__ import annotations

from decimal import Decimal

from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World, events


def _evaluate(world: World, partner: str, failing_every: int) -> None:
    world.services.ingestion.push(
        world.principal(f"partner@{partner}.example"),
        PushBatch(
            agreement=f"acme-{partner}",
            source="requests",
            batch_id="october",
            events=events(600, failing_every=failing_every),
        ),
    )
    world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement=f"acme-{partner}", period="2026-10")
    )


def test_a_met_objective_keeps_its_budget_and_a_deviation_spends_it(world: World) -> None:
    _evaluate(world, "bravo", failing_every=300)  # 2 of 600 fail: 99.67%, a third of 1%
    _evaluate(world, "charlie", failing_every=50)  # 12 of 600 fail: 98%, twice the budget
    found = {s.id: s for s in world.services.overview.portfolio(CONSOLE)}
    bravo, charlie = found["acme-bravo"], found["acme-charlie"]
    assert (bravo.window, bravo.status, bravo.outcomes) == ("2026-10", "met", {"met": 1})
    assert bravo.budget_left_ratio is not None
    assert abs(bravo.budget_left_ratio - Decimal(2) / 3) < Decimal("0.0001")
    assert (bravo.budgets, bravo.budgets_exhausted) == (1, 0)
    assert charlie.status == "deviation"
    assert (charlie.budget_left_ratio, charlie.budgets, charlie.budgets_exhausted) == (0, 1, 1)
    # 600 requests 37 minutes apart reach into 16 of October's 31 days.
    assert bravo.coverage_ratio == charlie.coverage_ratio == Decimal("0.5161290323")


def test_a_partner_sees_its_own_agreements_only(world: World) -> None:
    _evaluate(world, "bravo", failing_every=5)
    _evaluate(world, "charlie", failing_every=5)
    mine = world.services.overview.portfolio(world.principal("partner@bravo.example"))
    assert [(s.id, s.status, s.partners) for s in mine] == [("acme-bravo", "breach", [])]


def test_an_agreement_never_evaluated_has_no_period(world: World) -> None:
    found = {s.id: s for s in world.services.overview.portfolio(CONSOLE)}
    assert found["acme-bravo"].window is None
    assert found["acme-bravo"].budget_left_ratio is None
