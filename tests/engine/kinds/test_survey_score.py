"""Survey score: the mean score, the share of satisfied responses (the satisfied score
itself included), or the Net Promoter Score (Bain & Company: % of 9–10 minus % of 0–6)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.engine.kinds.judging import judge

SCORE = {"score": "integer"}


def survey(method: str, **changes: Any) -> dict[str, Any]:
    return {"id": "csat", "kind": "survey_score", "score": "score", "method": method, **changes}


def scores(*values: int | None) -> list[list[int | None]]:
    return [[value] for value in values]


def test_the_mean_score_leaves_out_unanswered_surveys(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path, survey("mean"), SCORE, scores(5, 4, None, 3, 5), target=4, tolerance=3
    )

    assert verdict.counts["valid"] == 4
    assert verdict.value == Decimal("4.25")


def test_a_response_at_the_satisfied_score_is_satisfied(tmp_path: Path) -> None:
    verdict = judge(
        tmp_path,
        survey("share_satisfied", satisfied_at_least=4),
        SCORE,
        scores(5, 4, 3, 2),
        target="80%",
        tolerance="50%",
    )

    assert (verdict.counts["good"], verdict.counts["valid"]) == (2, 4)
    assert verdict.value == Decimal("0.5")


@pytest.mark.parametrize(
    ("answers", "nps"),
    [
        ((10, 9, 8, 7, 6, 0), Decimal(0)),  # two promoters, two passives, two detractors
        ((10, 10, 10, 6), Decimal(50)),
        ((6, 5, 0), Decimal(-100)),
        ((8, 7), Decimal(0)),  # passives only
    ],
)
def test_the_net_promoter_score_counts_9_and_10_against_0_to_6(
    tmp_path: Path, answers: tuple[int, ...], nps: Decimal
) -> None:
    verdict = judge(
        tmp_path,
        survey("nps", scale_min=0, scale_max=10),
        SCORE,
        scores(*answers),
        target=30,
        tolerance=0,
    )

    assert verdict.value == nps
