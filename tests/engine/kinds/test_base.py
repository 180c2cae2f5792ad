"""The parts of a kind's plan: aggregates that do or do not add up across units, and the
values a scope's statement returned, read without loss."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlglot import exp

from accord.engine.kinds.base import Count, Statistic, Sum, UnitCounts, Values
from accord.engine.sql import column, render


def test_counts_and_sums_add_up_across_units_and_statistics_do_not() -> None:
    assert Count.additive
    assert Sum.additive
    assert not Statistic.additive


def test_an_aggregate_is_taken_over_the_rows_every_restriction_leaves() -> None:
    good = exp.LT(this=column("status"), expression=exp.Literal.number(500))
    included = exp.EQ(this=column("region"), expression=exp.Literal.string("eu"))

    counted = render(exp.select(Count(good).over(included, None)))
    summed = render(exp.select(Sum(column("bytes")).over(included)))

    assert "FILTER" in counted
    assert "status" in counted
    assert "region" in counted
    assert 'SUM("bytes")' in summed
    assert "region" in summed


def test_an_absent_aggregate_reads_as_zero_or_as_none() -> None:
    values = Values({"good": None})

    assert values.count("good") == 0
    assert values.count("missing") == 0
    assert values.number("good") == 0
    assert values.value("good") is None


def test_a_value_is_read_from_its_text_so_a_float_keeps_its_digits() -> None:
    values = Values({"value": 0.1, "valid": 3.0, "big": Decimal("12345678901234567890.5")})

    assert values.value("value") == Decimal("0.1")
    assert values.count("valid") == 3
    assert values.number("big") == Decimal("12345678901234567890.5")


def test_unit_counts_exist_only_for_plans_with_units() -> None:
    units = UnitCounts(total=744, excluded=2, with_traffic=700, good=698, events=50_000)

    assert Values({}, units).counted_units() == units
    with pytest.raises(ValueError, match="the plan has no units"):
        Values({}).counted_units()
