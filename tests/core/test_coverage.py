"""Minimum data coverage: the objective's rule, else its source's, else 90% and no verdict,
each part taken separately, and said in words."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from accord.core.coverage import DEFAULT_MIN_COVERAGE, coverage_rule
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.model.objectives import Objective
from accord.core.model.sources import InsufficientData, Source
from accord.core.units import Percentage

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
BREACH = InsufficientData.BREACH
NO_VERDICT = InsufficientData.NO_VERDICT


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert loaded.agreement is not None, loaded.problems
    return loaded.agreement


def parts(
    agreement: Agreement,
    objective_rule: tuple[str | None, InsufficientData | None],
    source_rule: tuple[str | None, InsufficientData | None],
) -> tuple[Objective, Source]:
    objective = agreement.objectives[0]
    source = agreement.sources[0]

    def share(text: str | None) -> Percentage | None:
        return None if text is None else Percentage.parse(text)

    return (
        objective.model_copy(
            update={
                "min_coverage": share(objective_rule[0]),
                "insufficient_data": objective_rule[1],
            }
        ),
        source.model_copy(
            update={"min_coverage": share(source_rule[0]), "insufficient_data": source_rule[1]}
        ),
    )


def test_without_a_declared_rule_90_percent_and_no_verdict_apply(agreement: Agreement) -> None:
    rule = coverage_rule(*parts(agreement, (None, None), (None, None)))

    assert (rule.minimum, rule.if_below, rule.declared_by) == (
        DEFAULT_MIN_COVERAGE,
        NO_VERDICT,
        "default",
    )
    assert DEFAULT_MIN_COVERAGE.ratio == Decimal("0.9")
    assert rule.describe() == "at least 90% (default); below it: no verdict"


def test_the_objectives_rule_wins_over_its_sources(agreement: Agreement) -> None:
    objective, source = parts(agreement, ("95%", BREACH), ("80%", NO_VERDICT))

    rule = coverage_rule(objective, source)

    assert (rule.minimum, rule.if_below) == (Percentage.parse("95%"), BREACH)
    assert rule.declared_by == f"objective {objective.id}"


def test_the_source_fills_in_what_the_objective_leaves_out(agreement: Agreement) -> None:
    objective, source = parts(agreement, (None, BREACH), ("75%", NO_VERDICT))

    rule = coverage_rule(objective, source)

    assert (rule.minimum, rule.if_below) == (Percentage.parse("75%"), BREACH)
    assert rule.declared_by == f"source {source.id}"


def test_what_follows_comes_from_the_source_when_the_objective_names_only_a_minimum(
    agreement: Agreement,
) -> None:
    rule = coverage_rule(*parts(agreement, ("99%", None), (None, BREACH)))

    assert rule.if_below is BREACH
    assert rule.describe().endswith(
        "below it: counts as a breach (delivering the data is the provider's duty)"
    )
