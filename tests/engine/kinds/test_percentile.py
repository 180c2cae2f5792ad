"""Percentile: the nearest-rank percentile of a measured value (the first value whose
cumulative share reaches p), values without a measure left out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from accord.core.verdicts import Outcome
from tests.engine.kinds.judging import judge

LATENCY = {"latency": "duration:ms"}


def tail(percentile: float, method: str = "exact") -> dict[str, object]:
    return {
        "id": "tail",
        "kind": "percentile",
        "measure": "latency",
        "percentile": percentile,
        "method": method,
    }


@pytest.mark.parametrize(
    ("percentile", "rank"),
    [(90, 9), (95, 10), (50, 5), (10, 1), (10.1, 2), (99.9, 10)],
)
def test_the_percentile_is_the_value_at_the_nearest_rank(
    tmp_path: Path, percentile: float, rank: int
) -> None:
    latencies = [[100 * n] for n in (7, 3, 10, 1, 5, 9, 2, 8, 4, 6)]  # 100 … 1000 ms, shuffled

    verdict = judge(tmp_path, tail(percentile), LATENCY, latencies, target="2s", tolerance="3s")

    assert verdict.value == Decimal(100 * rank) / 1000  # in seconds
    assert verdict.counts["valid"] == 10


def test_values_without_a_measure_are_left_out_of_the_ranks(tmp_path: Path) -> None:
    latencies = [[100], [None], [200], [None], [300], [400]]

    verdict = judge(tmp_path, tail(50), LATENCY, latencies, target="1s", tolerance="2s")

    assert verdict.counts["valid"] == 4
    assert verdict.value == Decimal("0.2")


def test_a_p99_above_the_tolerance_is_a_breach(tmp_path: Path) -> None:
    latencies = [[200]] * 98 + [[900], [2500]]

    verdict = judge(tmp_path, tail(99), LATENCY, latencies, target="300ms", tolerance="800ms")

    assert verdict.value == Decimal("0.9")
    assert verdict.outcome is Outcome.BREACH


def test_a_window_without_measures_has_no_value(tmp_path: Path) -> None:
    verdict = judge(tmp_path, tail(90), LATENCY, [[None], [None]], target="1s", tolerance="2s")

    assert verdict.value is None
