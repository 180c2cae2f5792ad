"""Business gauge: a ratio of sums (renewals over renewals due), higher or lower better."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from accord.core.model.measurement import Direction
from accord.core.verdicts import Outcome
from tests.engine.kinds.judging import judge

COLUMNS = {"renewed": "integer", "due": "integer"}


def gauge(better: str) -> dict[str, str]:
    return {
        "id": "renewals",
        "kind": "business_gauge",
        "numerator": "renewed",
        "denominator": "due",
        "better": better,
    }


def test_the_gauge_is_the_ratio_of_the_sums_not_the_mean_of_the_ratios(tmp_path: Path) -> None:
    # Per row 1/1 and 0/3: the mean of ratios is 50%, the ratio of sums 25%.
    verdict = judge(
        tmp_path, gauge("higher"), COLUMNS, [[1, 1], [0, 3]], target="90%", tolerance="20%"
    )

    assert verdict.value == Decimal("0.25")
    assert verdict.counts["valid"] == 2
    assert verdict.outcome is Outcome.DEVIATION


def test_a_lower_is_better_gauge_is_met_below_its_target(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path, gauge("lower"), COLUMNS, [[1, 20], [1, 20]], target="5%", tolerance="10%"
    )

    assert verdict.direction is Direction.LOWER_IS_BETTER
    assert verdict.value == Decimal("0.05")
    assert verdict.outcome is Outcome.MET


def test_nothing_due_gives_no_value(tmp_path: Path) -> None:
    verdict = judge(tmp_path, gauge("higher"), COLUMNS, [[0, 0]], target="90%", tolerance="80%")

    assert verdict.value is None
    assert verdict.computation.startswith("denominator is zero")
