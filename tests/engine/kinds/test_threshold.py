"""Threshold: the share of events whose measure is within a limit; a value exactly at the
limit is within it unless the indicator says the limit is exclusive."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.engine.kinds.judging import judge

LATENCY = {"latency": "duration:ms"}


def fast(**changes: Any) -> dict[str, Any]:
    return {
        "id": "fast",
        "kind": "threshold",
        "measure": "latency",
        "threshold": "300ms",
        **changes,
    }


def test_a_value_exactly_at_the_limit_is_within_it(tmp_path: Path) -> None:
    verdict = judge(tmp_path, fast(), LATENCY, [[120], [300], [301]], target="50%", tolerance="10%")

    assert (verdict.counts["good"], verdict.counts["valid"]) == (2, 3)


def test_an_exclusive_limit_leaves_the_value_at_the_limit_out(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path,
        fast(inclusive=False),
        LATENCY,
        [[120], [300], [301]],
        target="50%",
        tolerance="10%",
    )

    assert (verdict.counts["good"], verdict.counts["valid"]) == (1, 3)


def test_a_limit_in_seconds_compares_with_values_in_milliseconds(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path,
        fast(threshold="1.5s"),
        LATENCY,
        [[1499], [1500], [1501]],
        target="50%",
        tolerance="10%",
    )

    assert verdict.counts["good"] == 2


def test_an_event_without_a_measure_is_not_valid(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path, fast(), LATENCY, [[100], [None], [900]], target="50%", tolerance="10%"
    )

    assert (verdict.counts["good"], verdict.counts["valid"]) == (1, 2)
    assert verdict.value == Decimal("0.5")


def test_a_plain_number_limit_works_on_a_number_column(tmp_path: Path) -> None:
    indicator = {"id": "small", "kind": "threshold", "measure": "size", "threshold": 10}

    verdict = judge(
        tmp_path,
        indicator,
        {"size": "number"},
        [[9.5], [10], [10.01]],
        target="50%",
        tolerance="10%",
    )

    assert verdict.counts["good"] == 2
