"""The field types of the agreement language: each validates the written form strictly,
refuses with a hint, and writes back its normalised form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.expressions import Predicate
from accord.core.spec import (
    CalendarRef,
    DurationField,
    Identifier,
    MeasureField,
    MoneyField,
    PercentageField,
    PredicateField,
    Spec,
)
from accord.core.units import Duration, Money, Percentage


class Section(Spec):
    duration: DurationField | None = None
    share: PercentageField | None = None
    amount: MoneyField | None = None
    measure: MeasureField | None = None
    condition: PredicateField | None = None
    id: Identifier | None = None
    calendar: CalendarRef | None = None


def refusal(**fields: Any) -> tuple[str, str, str]:
    """The kind, message and hint of the one problem found."""
    with pytest.raises(ValidationError) as error:
        Section(**fields)
    (found,) = error.value.errors()
    return found["type"], found["msg"], found.get("ctx", {}).get("hint", "")


@pytest.mark.parametrize(
    ("fields", "written"),
    [
        ({"duration": "15m"}, {"duration": "15 minutes"}),
        ({"duration": "5 business days"}, {"duration": "5 business days"}),
        ({"share": "99.950%"}, {"share": "99.95%"}),
        ({"amount": "EUR 1,000.50"}, {"amount": "1000.5 EUR"}),
        ({"measure": "300ms"}, {"measure": "300 milliseconds"}),
        ({"measure": 4.2}, {"measure": "4.2"}),
        ({"measure": "99.9%"}, {"measure": "99.9%"}),
        ({"condition": "status<500"}, {"condition": "status<500"}),
        ({"condition": True}, {"condition": "true"}),
    ],
)
def test_values_are_written_back_in_their_normalised_form(
    fields: dict[str, Any], written: dict[str, str]
) -> None:
    assert Section(**fields).model_dump(mode="json", exclude_none=True) == written


def test_values_are_typed_once_read() -> None:
    section = Section(
        duration="4h", share="99.9%", amount="20000 EUR", measure="4.5", condition="a = 1"
    )

    assert section.duration == Duration.parse("240m")
    assert section.share == Percentage.parse("99.9%")
    assert section.amount == Money.parse("20000 EUR")
    assert section.measure == Decimal("4.5")
    assert isinstance(section.condition, Predicate)


@pytest.mark.parametrize("value", [True, [1], {"h": 4}])
def test_a_duration_is_neither_a_flag_nor_a_list(value: object) -> None:
    kind, message, _ = refusal(duration=value)
    assert kind == "duration"
    assert message == f"expected a duration such as '15m' or '5 business days', got {value!r}"


def test_a_bare_number_is_not_a_duration_a_percentage_or_money() -> None:
    assert refusal(duration=15)[1] == "duration '15' has no unit"
    assert refusal(share=99.9)[1:] == (
        "percentage '99.9' has no '%' sign",
        "write it with its sign, e.g. '99.9%'",
    )
    assert refusal(amount=20000)[1] == "amount '20000' has no currency"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_not_a_number_is_refused(value: float) -> None:
    assert refusal(share=value)[1] == f"expected a percentage such as '99.95%', got {value!r}"


def test_a_share_above_100_percent_is_refused_even_as_a_measure() -> None:
    assert refusal(share="150%")[1] == "percentage '150%' is outside 0% to 100%"
    assert refusal(measure="120%")[1] == "percentage '120%' is outside 0% to 100%"


def test_a_measure_that_is_none_of_its_kinds_names_them_all() -> None:
    kind, message, hint = refusal(measure="fast")

    assert kind == "measure"
    assert message == "'fast' is not a percentage, a duration or a number"
    assert hint == "write e.g. '99.9%', '300ms', '4 business hours' or '4.2'"


def test_a_measure_with_an_unknown_unit_says_so() -> None:
    assert refusal(measure="5 parsecs")[1] == "unknown duration unit 'parsecs' in '5 parsecs'"


def test_an_unknown_currency_is_named() -> None:
    assert refusal(amount="10 EUX")[1] == "unknown currency 'EUX' in '10 EUX'"


def test_a_condition_is_text() -> None:
    assert refusal(condition=5)[:2] == (
        "expression",
        'expected a condition such as "status < 500", got 5',
    )
    assert refusal(condition="status <")[0] == "expression"


@pytest.mark.parametrize("value", ["Payments", "a--b", "-a", "1st", "a" * 65, "a b"])
def test_identifiers_are_lower_case_words_joined_by_single_dashes_or_underscores(
    value: str,
) -> None:
    assert refusal(id=value)[0] in {"string_pattern_mismatch", "string_too_long"}


def test_the_built_in_calendar_is_spelled_24x7() -> None:
    assert Section(calendar="24x7").calendar == "24x7"
    assert Section(id="a-b_c1", calendar="office").calendar == "office"
    assert refusal(calendar="24X7")[0] == "string_pattern_mismatch"


def test_a_section_refuses_unknown_fields_and_cannot_be_changed() -> None:
    assert refusal(tolerence="1%")[0] == "extra_forbidden"
    section = Section(duration="1h")
    with pytest.raises(ValidationError, match="frozen"):
        section.duration = Duration.parse("2h")  # type: ignore[misc]
