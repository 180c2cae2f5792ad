"""Obligations on time: the share of duties of the chosen kinds met by their due instant,
among those met or missed; waived and open ones do not count, and it carries credits like
any other objective."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from accord.core.verdicts import Outcome
from tests.engine.builders import agreement_of, evaluate_period, utc, write_rows

DUTIES = {
    "id": "duties",
    "kind": "obligations",
    "format": "csv",
    "path": "duties.csv",
    "timestamp": "due_at",
    "key": "id",
    "columns": {
        "id": {"column": "id", "type": "integer"},
        "kind": {"column": "kind", "type": "string"},
        "party": {"column": "party", "type": "string"},
        "due_at": {"column": "due_at", "type": "timestamp"},
        "state": {"column": "state", "type": "string"},
    },
}

ROWS = [
    {"id": 1, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 5, 11), "state": "met"},
    {"id": 2, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 5, 12), "state": "met"},
    {"id": 3, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 9, 8),
     "state": "missed"},
    {"id": 4, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 9, 9),
     "state": "waived"},
    {"id": 5, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 20, 9), "state": "met"},
    {"id": 6, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 31, 9), "state": "met"},
    {"id": 7, "kind": "acknowledge", "party": "seller", "due_at": utc(2026, 10, 5, 9),
     "state": "missed"},
    {"id": 8, "kind": "review", "party": "seller", "due_at": utc(2026, 10, 12, 9), "state": "met"},
    {"id": 9, "kind": "action", "party": "seller", "due_at": utc(2026, 10, 28, 9),
     "state": "missed"},
    # Not yet due when the month ends: open, not counted.
    {"id": 10, "kind": "update", "party": "seller", "due_at": utc(2026, 10, 31, 22),
     "state": "open"},
]  # fmt: skip


def _evaluate(folder: Path, kinds: list[str], **more: Any) -> Any:
    write_rows(folder, "duties", "csv", ROWS)
    agreement = agreement_of(
        {
            "sources": [DUTIES],
            "indicators": [
                {
                    "id": "on-time",
                    "name": "On time",
                    "kind": "obligations_on_time",
                    "source": "duties",
                    "obligations": kinds,
                }
            ],
            "objectives": [
                {
                    "id": "on-time",
                    "name": "On time",
                    "indicator": "on-time",
                    "target": "95%",
                    "tolerance": "75%",
                    "window": "month",
                }
            ],
            **more,
        }
    )
    return evaluate_period(agreement, folder)


def test_status_updates_on_time_count_met_among_met_or_missed(tmp_path: Path) -> None:
    (verdict,) = _evaluate(tmp_path, ["update"]).verdicts

    assert verdict.value == Decimal(4) / Decimal(5)
    assert verdict.counts == {"good": 4, "valid": 5}
    assert verdict.outcome is Outcome.DEVIATION


def test_several_kinds_count_together(tmp_path: Path) -> None:
    (verdict,) = _evaluate(tmp_path, ["review", "action"]).verdicts

    assert verdict.counts == {"good": 1, "valid": 2}
    assert verdict.outcome is Outcome.BREACH


def test_a_month_without_settled_duties_has_no_data(tmp_path: Path) -> None:
    write_rows(tmp_path, "duties", "csv", ROWS)
    (verdict,) = _evaluate(tmp_path, ["breach_notice"]).verdicts

    assert verdict.value is None
    assert verdict.outcome is Outcome.NO_DATA


def test_duties_late_carry_a_credit_like_any_objective(tmp_path: Path) -> None:
    remedies = {
        "claim_window": "30 days",
        "credits": [
            {
                "id": "late-updates",
                "objectives": ["on-time"],
                "basis": "1000 EUR",
                "tiers": [{"below": "95%", "credit": "5%"}],
                "cap": "10%",
            }
        ],
    }
    evaluation = _evaluate(tmp_path, ["update"], remedies=remedies)

    (owed,) = evaluation.credits
    assert owed.credit.amount.amount == Decimal("50.00")
    # 80% is inside the tolerance (a deviation) but below the tier's threshold.
    assert "on-time (all) is below 95%" in owed.credit.rule
