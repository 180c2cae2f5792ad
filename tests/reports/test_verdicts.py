"""Verdicts rendered from their records: the plain-language explanation and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from accord.core.evaluation import Evaluation, WindowCredit
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.model.measurement import Direction, ValueKind
from accord.core.periods import WindowSpan, parse_period
from accord.core.units import Money
from accord.core.verdicts import Budget, Coverage, CreditOwed, Outcome, Verdict
from accord.reports.verdicts import CSV_COLUMNS, evaluation_csv, explain_verdict

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def _agreement() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    assert loaded.agreement is not None
    return loaded.agreement


def _evaluation(*, exhausted: bool) -> Evaluation:
    agreement = _agreement()
    period = parse_period("2026-10", agreement.timezone)
    objective = agreement.objectives[0]
    start, end = period.start_at, period.end_at
    span = WindowSpan("2026-10", start, end)
    budget = Budget(
        Decimal("0.001"),
        Decimal(10),
        20 if exhausted else 5,
        Decimal(-10) if exhausted else Decimal(5),
        Decimal(2) if exhausted else Decimal("0.5"),
        Decimal(2) if exhausted else Decimal("1.5"),
        None if exhausted else start + dt.timedelta(days=20),
        exhausted=exhausted,
    )
    verdict = Verdict(
        objective=objective.id,
        scope={"region": "eu"},
        window=span,
        outcome=Outcome.BREACH,
        value=Decimal("0.998"),
        target=Decimal("0.9995"),
        tolerance=Decimal("0.999"),
        value_kind=ValueKind.RATIO,
        direction=Direction.HIGHER_IS_BETTER,
        counts={"valid": 10_000, "good": 9_980},
        formula="good / valid = 9,980 / 10,000",
        computation="9,980 of 10,000 good",
        coverage=Coverage(Decimal(1), "31 of 31 days"),
        agreement_version=agreement.version_hash(),
        exclusions={"announced maintenance": 12},
        budget=budget,
    )
    credit = CreditOwed(
        "availability-credits",
        objective.id,
        "region=eu",
        2,
        Money(Decimal("1250"), "EUR"),
        False,
        "2026-12-31T23:00:00+00:00",
        "tier 2",
    )
    return Evaluation(
        agreement,
        period,
        end,
        verdicts=[verdict],
        credits=[WindowCredit("2026-10", credit)],
    )


def test_the_explanation_says_every_number_behind_the_verdict() -> None:
    evaluation = _evaluation(exhausted=False)
    [verdict] = evaluation.verdicts

    text = explain_verdict(evaluation.agreement, evaluation.record(verdict))

    assert "Outcome: BREACH" in text
    assert "Rule: met at 99.95% or more; from 99.9% to below 99.95% is a deviation" in text
    assert "Excluded: 12 announced maintenance" in text
    assert "5 spent; 50% consumed; burn rate 1.5×" in text
    assert "Budget projected to run out: 2026-10-20T22:00:00+00:00" in text
    assert "Credit: 1,250.00 EUR (tier 2); claim by 2026-12-31T23:00:00+00:00" in text


def test_an_exhausted_budget_is_said_in_words() -> None:
    evaluation = _evaluation(exhausted=True)
    [verdict] = evaluation.verdicts

    text = explain_verdict(evaluation.agreement, evaluation.record(verdict))

    assert "Budget projected to run out: exhausted" in text


def test_the_csv_has_one_row_per_verdict_in_canonical_units() -> None:
    evaluation = _evaluation(exhausted=False)

    rows = list(csv.reader(io.StringIO(evaluation_csv(evaluation))))

    assert tuple(rows[0]) == CSV_COLUMNS
    [row] = rows[1:]
    assert dict(zip(CSV_COLUMNS, row, strict=True)) | {"objective": ""} == {
        "objective": "",
        "scope": "region=eu",
        "window": "2026-10",
        "outcome": "breach",
        "value": "0.998",
        "target": "0.9995",
        "tolerance": "0.999",
        "coverage": "1",
        "credit": "1250",
        "currency": "EUR",
        "computation": "9,980 of 10,000 good",
    }
