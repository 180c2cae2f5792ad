"""An agreement's objectives over time: each window charted oldest first, ratios in percent
against the target and tolerance; at most twelve windows; the open window's error budget
evaluation after evaluation, never below nothing left; only who sees the agreement sees it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from accord.services.errors import NotFound
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.services.world import World, agreement_document, events

MANAGER = "manager@acme.example"


def _push(
    world: World, batch_id: str, rows: list[dict[str, object]], agreement: str = "acme-bravo"
) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement=agreement, source="requests", batch_id=batch_id, events=rows),
    )


def _evaluate(world: World, period: str, agreement: str = "acme-bravo") -> None:
    world.services.verdicts.evaluate(
        world.principal(MANAGER), RunEvaluation(agreement=agreement, period=period)
    )


def test_each_window_is_charted_oldest_first_in_percent_against_its_target(
    world: World,
) -> None:
    _push(world, "october", events(1000, failing_every=50))  # 98%
    _evaluate(world, "2026-10")
    _evaluate(world, "2026-09")  # recorded later, charted first
    [history] = world.services.history.objectives(world.principal(MANAGER), "acme-bravo")
    assert (history.objective, history.scope, history.unit) == ("availability", "all", "ratio")
    assert (history.target, history.tolerance, history.higher_is_better) == (99.0, 90.0, True)
    assert (history.target_display, history.tolerance_display) == ("99%", "90%")
    assert [(p.window, p.outcome, p.value, p.value_display) for p in history.points] == [
        ("2026-09", "no_data", None, "—"),
        ("2026-10", "deviation", 98.0, "98%"),
    ]
    # October's budget (1% of requests) was spent twice over: nothing is left, not less.
    assert [point.left_ratio for point in history.burn_down] == [Decimal(0)]


def test_only_the_last_twelve_windows_are_charted(world: World) -> None:
    document = agreement_document("bravo")
    document["metadata"]["id"] = "acme-bravo-weekly"
    document["objectives"][0]["window"] = "week"
    world.services.portfolio.upload(
        world.principal(MANAGER), UploadVersion(text=json.dumps(document))
    )
    _evaluate(world, "2026-Q3", agreement="acme-bravo-weekly")
    [history] = world.services.history.objectives(world.principal(MANAGER), "acme-bravo-weekly")
    windows = [point.window for point in history.points]
    assert windows == [f"2026-W{week}" for week in range(29, 41)]


def test_the_open_window_s_budget_is_charted_evaluation_after_evaluation(
    world: World,
) -> None:
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    good = [
        {
            "ts": (start + dt.timedelta(minutes=10 * i)).isoformat(),
            "request_id": f"n{i}",
            "http_status": 200,
        }
        for i in range(199)
    ]
    _push(world, "november-1", good)
    _evaluate(world, "2026-11")
    world.clock.at = dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC)
    failed = {"ts": "2026-11-03T10:00:00+00:00", "request_id": "n-bad", "http_status": 503}
    _push(world, "november-2", [failed])
    _evaluate(world, "2026-11")
    [history] = world.services.history.objectives(world.principal(MANAGER), "acme-bravo")
    assert [(p.window, p.value) for p in history.points] == [("2026-11", 99.5)]
    assert [(b.recorded_at, b.left_ratio) for b in history.burn_down] == [
        (dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC), Decimal(1)),
        # One bad request of a budget of 1% of the month's requests, as projected from the
        # 200 of its first 61 hours (it began at midnight in Berlin): 1 - 61/1440 left.
        (world.clock.at, Decimal("0.9576388889")),
    ]


def test_an_agreement_never_evaluated_has_no_history(world: World) -> None:
    assert world.services.history.objectives(world.principal(MANAGER), "acme-bravo") == []


def test_only_who_sees_the_agreement_sees_its_history(world: World) -> None:
    _push(world, "october", events(100))
    _evaluate(world, "2026-10")
    history = world.services.history
    for reader in ("viewer@acme.example", "partner@bravo.example", "auditor@acme.example"):
        [charted] = history.objectives(world.principal(reader), "acme-bravo")
        assert [p.window for p in charted.points] == ["2026-10"]
    with pytest.raises(NotFound):
        history.objectives(world.principal("partner@charlie.example"), "acme-bravo")
    with pytest.raises(NotFound):
        history.objectives(world.principal(MANAGER), "acme-nobody")


def test_each_objective_charts_the_budget_of_its_own_open_window(world: World) -> None:
    document = agreement_document("bravo")
    document["metadata"]["id"] = "acme-bravo-two"
    quarterly = {**document["objectives"][0], "id": "quarterly", "window": "quarter"}
    document["objectives"].append({**quarterly, "name": "Availability per quarter"})
    world.services.portfolio.upload(
        world.principal(MANAGER), UploadVersion(text=json.dumps(document))
    )
    _push(world, "november", events(10), agreement="acme-bravo-two")
    _evaluate(world, "2026-11", agreement="acme-bravo-two")
    histories = world.services.history.objectives(world.principal(MANAGER), "acme-bravo-two")
    assert {h.objective: [p.window for p in h.points] for h in histories} == {
        "availability": ["2026-11"],
        "quarterly": ["2026-Q4"],
    }
    # The quarter began before November: its open window is Q4, with a budget of its own.
    assert {h.objective: len(h.burn_down) for h in histories} == {
        "availability": 1,
        "quarterly": 1,
    }
