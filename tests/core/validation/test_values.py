"""How targets, tolerances and thresholds compare: values of one kind order by size, business
days compare with business hours only on a calendar, and a value of the wrong kind is told
what it should look like."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.core.model.measurement import ValueKind
from accord.core.units import Duration, Percentage
from accord.core.validation.refs import DayLength
from accord.core.validation.values import comparable, kind_mismatch, measure_kind, sort_key

OFFICE_DAY = DayLength(Decimal(8 * 3600))
ALWAYS = DayLength(Decimal(86400), always=True)


def d(text: str) -> Duration:
    return Duration.parse(text)


def test_each_written_value_has_its_kind() -> None:
    assert measure_kind(Percentage.parse("99.9%")) is ValueKind.RATIO
    assert measure_kind(d("300ms")) is ValueKind.DURATION
    assert measure_kind(Decimal("4.2")) is ValueKind.NUMBER


def test_durations_in_other_units_order_by_length() -> None:
    assert sort_key(d("90m")) > sort_key(d("1h"))
    assert sort_key(d("3600s")) == sort_key(d("1h"))
    assert comparable(sort_key(d("90m")), sort_key(d("2h")))


def test_business_and_wall_clock_time_do_not_compare_without_a_24x7_calendar() -> None:
    business, wall = sort_key(d("4 business hours")), sort_key(d("4h"))

    assert not comparable(business, wall)
    assert comparable(sort_key(d("4 business hours"), ALWAYS), sort_key(d("4h"), ALWAYS))
    assert sort_key(d("4 business hours"), ALWAYS) == sort_key(d("4h"), ALWAYS)


def test_a_business_day_is_its_calendars_working_day() -> None:
    day = sort_key(d("1 business day"), OFFICE_DAY)

    assert day == sort_key(d("8 business hours"), OFFICE_DAY)
    assert day < sort_key(d("10 business hours"), OFFICE_DAY)


def test_calendar_months_do_not_compare_with_fixed_time() -> None:
    assert not comparable(sort_key(d("1 months")), sort_key(d("30d")))


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (Decimal("0.999"), "write it as a percentage, e.g. '99.9%'"),
        (Decimal("1"), "write it as a percentage, e.g. '100%'"),
        (Decimal("99.5"), "write it as a percentage, e.g. '99.5%'"),
        (Decimal("250"), "write it as a percentage, e.g. '99.9%'"),  # no share is meant
    ],
)
def test_a_bare_number_for_a_share_suggests_the_percentage_it_means(
    value: Decimal, hint: str
) -> None:
    finding = kind_mismatch(("target",), "target", value, "availability", ValueKind.RATIO)

    assert (
        finding.message
        == f"target {value} has no '%' sign, but indicator 'availability' measures a share"
    )
    assert finding.hint == hint


def test_a_bare_number_for_a_duration_is_told_to_name_its_unit() -> None:
    finding = kind_mismatch(("threshold",), "threshold", Decimal(300), "fast", ValueKind.DURATION)

    assert finding.message == "threshold 300 has no unit, but indicator 'fast' measures a duration"
    assert finding.hint == "write a number and a unit, e.g. '300ms' or '300s'"


def test_a_share_for_a_duration_says_both_kinds() -> None:
    finding = kind_mismatch(
        ("target",), "target", Percentage.parse("99%"), "fast", ValueKind.DURATION
    )

    assert finding.message == "target 99% is a share, but indicator 'fast' measures a duration"
    assert finding.hint == "write it like '300ms'"
