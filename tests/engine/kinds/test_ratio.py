"""Ratio: good events among valid ones; events outside ``valid`` count for neither."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from accord.core.verdicts import Outcome
from tests.engine.kinds.judging import judge

SUCCESS = {"id": "success", "kind": "ratio", "good": "status < 500", "valid": "status <> 429"}


def test_events_outside_valid_count_for_neither_side(tmp_path: Path) -> None:
    statuses = [200, 200, 200, 503, 429, 429]

    verdict = judge(
        tmp_path,
        SUCCESS,
        {"status": "integer"},
        [[s] for s in statuses],
        target="99%",
        tolerance="70%",
    )

    assert verdict.counts["good"] == 3
    assert verdict.counts["valid"] == 4
    assert verdict.value == Decimal("0.75")
    assert verdict.outcome is Outcome.DEVIATION
    assert verdict.computation.startswith("3 good / 4 valid")


def test_without_a_valid_condition_every_event_is_valid(tmp_path: Path) -> None:
    indicator = {"id": "success", "kind": "ratio", "good": "status < 500"}

    verdict = judge(
        tmp_path,
        indicator,
        {"status": "integer"},
        [[200], [429], [503]],
        target="50%",
        tolerance="10%",
    )

    assert (verdict.counts["good"], verdict.counts["valid"]) == (2, 3)


def test_a_window_with_events_but_none_valid_has_no_value(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path, SUCCESS, {"status": "integer"}, [[429], [429]], target="99%", tolerance="95%"
    )

    assert verdict.value is None
    assert verdict.outcome is not Outcome.MET
    assert verdict.outcome is not Outcome.BREACH


def test_a_null_status_is_neither_good_nor_bad_but_valid(tmp_path: Path) -> None:
    # SQL's three-valued logic: 'status < 500' is unknown for a missing status, so the event
    # is not good; 'status <> 429' is unknown too, so it is not valid either.
    verdict = judge(
        tmp_path, SUCCESS, {"status": "integer"}, [[200], [None]], target="99%", tolerance="95%"
    )

    assert (verdict.counts["good"], verdict.counts["valid"]) == (1, 1)
