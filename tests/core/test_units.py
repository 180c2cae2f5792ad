"""Units parse strictly and show back in one normalised form."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.units import (
    Duration,
    DurationUnit,
    Money,
    Percentage,
    UnitError,
    add_duration,
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("15m", "15 minutes"),
        ("4h", "4 hours"),
        ("1 hour", "1 hour"),
        ("1.5h", "1.5 hours"),
        ("300ms", "300 milliseconds"),
        ("5 business days", "5 business days"),
        ("1 business day", "1 business day"),
        ("4 Business Hours", "4 business hours"),
        ("24 months", "24 months"),
        ("90 d", "90 days"),
    ],
)
def test_duration_is_shown_normalised(text: str, shown: str) -> None:
    assert str(Duration.parse(text)) == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15", "has no unit"),
        ("15 parsecs", "unknown duration unit"),
        ("-5m", "negative"),
        ("2 business weeks", "business time is counted in minutes, hours or days"),
        ("soon", "is not a duration"),
    ],
)
def test_bad_durations_are_rejected_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        Duration.parse(text)


def test_equal_durations_in_different_units_compare_equal() -> None:
    assert Duration.parse("60m") == Duration.parse("1h")
    assert hash(Duration.parse("60m")) == hash(Duration.parse("1h"))
    assert Duration.parse("1 business hour") != Duration.parse("1h")
    assert Duration.parse("1h").to_timedelta() == timedelta(hours=1)


def test_business_and_calendar_durations_have_no_wall_clock_length() -> None:
    with pytest.raises(UnitError, match="business time"):
        Duration.parse("2 business days").to_timedelta()
    with pytest.raises(UnitError, match="no fixed length"):
        _ = Duration.parse("1 month").seconds


def test_percentage_is_a_ratio_shown_with_its_sign() -> None:
    value = Percentage.parse("99.950%")
    assert value.ratio == Decimal("0.9995")
    assert str(value) == "99.95%"
    assert str(Percentage.parse("100%")) == "100%"


@pytest.mark.parametrize(("text", "message"), [("99.9", "no '%' sign"), ("101%", "outside")])
def test_bad_percentages_are_rejected(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        Percentage.parse(text)


@pytest.mark.parametrize(
    ("number", "meant"),
    [("1", "100%"), ("1.0", "100%"), ("0.999", "99.9%"), ("0", "0%"), ("99.9", "99.9%")],
)
def test_a_bare_number_up_to_one_is_most_likely_a_fraction(number: str, meant: str) -> None:
    assert str(Percentage.meant_by(Decimal(number))) == meant
    with pytest.raises(UnitError) as raised:
        Percentage.parse(number)
    assert f"e.g. '{meant}'" in raised.value.hint


def test_a_bare_number_above_100_suggests_no_percentage() -> None:
    assert Percentage.meant_by(Decimal(150)) is None
    assert Percentage.meant_by(Decimal(-1)) is None


def test_money_is_exact_and_rounded_per_currency_on_display() -> None:
    assert Money.parse("20,000 EUR") == Money(Decimal(20000), "EUR")
    assert Money.parse("USD 1500.5") == Money(Decimal("1500.5"), "USD")
    assert str(Money.parse("1234.5 JPY")) == "1,234 JPY"  # half-even, no minor unit
    assert str(Money.parse("10.005 EUR")) == "10.00 EUR"
    assert Money.parse("100 EUR").times(Decimal("0.15")) == Money(Decimal("15.00"), "EUR")


@pytest.mark.parametrize(
    ("text", "message"), [("100", "no currency"), ("100 XYZ", "unknown currency")]
)
def test_bad_money_is_rejected(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        Money.parse(text)


amounts = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@given(amounts, st.sampled_from(list(DurationUnit)), st.booleans())
def test_duration_round_trips_through_its_written_form(
    amount: Decimal, unit: DurationUnit, business: bool
) -> None:
    if business and unit not in (DurationUnit.MINUTE, DurationUnit.HOUR, DurationUnit.DAY):
        business = False
    value = Duration(amount, unit, business)
    again = Duration.parse(str(value))
    assert again == value
    assert str(again) == str(value)


@given(st.decimals(min_value=0, max_value=100, places=4))
def test_percentage_round_trips(percent: Decimal) -> None:
    value = Percentage.parse(f"{percent}%")
    assert Percentage.parse(str(value)) == value
    assert Decimal(0) <= value.ratio <= Decimal(1)


@given(amounts, st.sampled_from(["EUR", "USD", "JPY", "KWD"]))
def test_money_round_trips_through_its_exact_form(amount: Decimal, currency: str) -> None:
    value = Money(amount, currency)
    assert Money.parse(value.spec()) == value
    assert Money.parse(str(value)) == value.rounded()


@given(st.decimals(min_value=0, max_value=10**5, places=2), st.sampled_from(["m", "h", "d", "s"]))
def test_normalisation_is_idempotent(amount: Decimal, unit: str) -> None:
    once = str(Duration.parse(f"{amount}{unit}"))
    assert str(Duration.parse(once)) == once


def test_adding_days_to_an_instant_does_not_depend_on_the_zone_it_is_written_in() -> None:
    summer = dt.datetime(2026, 10, 20, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    week = Duration.parse("7 days")

    in_berlin = add_duration(summer, week, "Europe/Berlin")
    in_utc = add_duration(summer.astimezone(dt.UTC), week, "Europe/Berlin")

    assert in_berlin == in_utc == dt.datetime(2026, 10, 27, 10, tzinfo=dt.UTC)
