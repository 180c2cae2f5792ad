"""Values compared by meaning and shown for people: spellings, money, business vs wall time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from accord.core.diff import Effect
from accord.core.diff.values import amount, is_quantity, magnitudes, same, shown, token, written
from accord.core.expressions import Predicate
from accord.core.model import Agreement
from accord.core.units import Duration, Money, Percentage
from tests.core.diff.edits import (
    changes_between,
    entry,
    objective,
    only_change,
    set_value,
)


def test_other_spellings_of_the_same_value_are_not_changes(agreement: Agreement) -> None:
    def respell(data: dict[str, Any]) -> None:
        entry(data, "incidents", "severities", key="sev1")["resolve"] = "240m"
        objective(data, "api-availability")["target"] = "99.950%"
        entry(data, "indicators", key="availability")["good"] = "status<500"

    assert changes_between(agreement, respell) == []


def test_money_is_written_exactly_and_shown_rounded(agreement: Agreement) -> None:
    edit = set_value("remedies", "credits", "availability-credits", "basis", value="45000 EUR")
    change = only_change(agreement, edit)
    assert (change.old, change.new) == ("40000 EUR", "45000 EUR")
    assert change.effect is Effect.TIGHTENED
    assert change.summary == (
        "Basis of credit scheme 'availability-credits' raised from 40,000.00 EUR to 45,000.00 EUR."
    )


def test_business_time_and_wall_time_are_not_compared(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("incidents", "severities", "sev2", "resolve", value="8h")
    )
    assert change.effect is Effect.NEUTRAL
    assert change.summary == (
        "Time to resolve 'Major' incidents changed from 1 business day to 8 hours."
    )


# -- the values themselves ----------------------------------------------------------------


def test_durations_of_one_length_in_other_units_are_the_same() -> None:
    assert same(Duration.parse("60m"), Duration.parse("1h"))
    assert not same(Duration.parse("8 business hours"), Duration.parse("8h"))


def test_conditions_are_the_same_when_their_sql_is() -> None:
    assert same(Predicate.parse("status<500"), Predicate.parse("status < 500"))
    assert not same(Predicate.parse("status < 500"), Predicate.parse("status <= 500"))


def test_a_number_and_a_percentage_are_never_the_same_value() -> None:
    assert not same(Decimal("0.5"), Percentage.parse("50%"))
    assert magnitudes(Decimal("0.5"), Percentage.parse("50%")) is None


def test_amounts_in_two_currencies_are_not_ordered() -> None:
    assert magnitudes(Money.parse("100 EUR"), Money.parse("90 EUR")) == (100, 90)
    assert magnitudes(Money.parse("100 EUR"), Money.parse("100 USD")) is None


@pytest.mark.parametrize(
    ("old", "new", "comparable"),
    [
        ("2 business days", "12 business hours", False),  # depends on the calendar's day
        ("2 business hours", "90 business minutes", True),
        ("1 business day", "8h", False),
        ("1 months", "31d", True),  # a month counts as 30 days
    ],
)
def test_durations_are_ordered_only_when_no_calendar_decides(
    old: str, new: str, comparable: bool
) -> None:
    assert (magnitudes(Duration.parse(old), Duration.parse(new)) is not None) is comparable


def test_a_month_counts_as_thirty_days_when_ordering() -> None:
    month, thirty_one = magnitudes(Duration.parse("1 months"), Duration.parse("31d")) or (0, 0)

    assert month < thirty_one


def test_more_frequent_cadences_order_as_smaller() -> None:
    cadences = ["yearly", "weekly", "half_yearly", "monthly", "quarterly"]

    assert sorted(cadences, key=lambda name: amount(name) or 0) == [
        "weekly",
        "monthly",
        "quarterly",
        "half_yearly",
        "yearly",
    ]
    assert amount("fortnightly") is None


def test_yes_and_no_are_not_quantities() -> None:
    assert not is_quantity(True)
    assert is_quantity(3)
    assert is_quantity(Duration.parse("5m"))
    assert shown(True) == "yes"
    assert shown(None) == "none"
    assert shown([]) == "none"


def test_long_text_is_shown_on_one_line_and_clipped() -> None:
    text = "Acme\nwill  call " + "x" * 100

    assert shown(text).startswith("'Acme will call x")
    assert len(shown(text)) == 80 + 2
    assert shown(text).endswith("…'")


def test_the_written_form_is_what_the_agreement_file_holds() -> None:
    assert written(Money.parse("40000 EUR")) == "40000 EUR"
    assert written(date(2028, 2, 29)) == "2028-02-29"
    assert written([Decimal("1.50"), None]) == ["1.5", None]
    assert token({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
