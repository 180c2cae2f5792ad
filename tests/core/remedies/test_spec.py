"""How remedies are written: a tier has one threshold, credits and caps in money or as a
share of the basis (rounded to the currency), chronic clauses that can happen, caps that
declare something."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.remedies.spec import AggregateCaps, ChronicFailure, CreditScheme, CreditTier
from accord.core.units import Money, Percentage


def scheme(**changes: Any) -> CreditScheme:
    return CreditScheme.model_validate(
        {
            "id": "availability-credits",
            "objectives": ["availability"],
            "basis": "333.33 EUR",
            "tiers": [{"below": "99.9%", "credit": "10%"}],
            "cap": "25%",
            **changes,
        }
    )


def refusal(model: type[Any], data: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(ValidationError) as error:
        model.model_validate(data)
    (found,) = error.value.errors()
    return found["msg"], found.get("ctx", {}).get("hint", "")


@pytest.mark.parametrize(
    "tier", [{"credit": "5%"}, {"below": "99%", "above": "300ms", "credit": "5%"}]
)
def test_a_tier_has_exactly_one_threshold(tier: dict[str, str]) -> None:
    assert refusal(CreditTier, tier)[0] == "a tier needs exactly one of 'below' or 'above'"


def test_a_tier_above_a_latency_is_for_lower_is_better_values() -> None:
    tier = CreditTier.model_validate({"above": "500ms", "credit": "250 EUR"})

    assert str(tier.threshold) == "500 milliseconds"
    assert tier.credit == Money.parse("250 EUR")


def test_shares_of_the_basis_are_rounded_to_the_currency() -> None:
    credits = scheme()

    assert credits.tier_amount(credits.tiers[0]) == Money(Decimal("33.33"), "EUR")
    assert credits.cap_amount() == Money(Decimal("83.33"), "EUR")  # 83.3325


def test_credits_and_caps_in_money_are_taken_as_written() -> None:
    credits = scheme(tiers=[{"below": "99%", "credit": "120 EUR"}], cap="100 EUR")

    assert credits.tier_amount(credits.tiers[0]) == Money.parse("120 EUR")
    assert credits.cap_amount() == Money.parse("100 EUR")


@pytest.mark.parametrize(("basis", "cap"), [("1001 JPY", "500 JPY"), ("1003 JPY", "502 JPY")])
def test_yen_have_no_minor_unit_and_halves_round_to_even(basis: str, cap: str) -> None:
    assert scheme(basis=basis, cap="50%").cap_amount() == Money.parse(cap)


def test_a_scheme_covers_at_least_one_objective_with_at_least_one_tier() -> None:
    with pytest.raises(ValidationError):
        scheme(objectives=[])
    with pytest.raises(ValidationError):
        scheme(tiers=[])


def test_more_breaches_than_windows_can_never_trigger() -> None:
    clause = {
        "id": "chronic",
        "objectives": ["availability"],
        "breaches": 4,
        "within_windows": 3,
        "consequence": "Termination right.",
    }

    assert refusal(ChronicFailure, clause) == (
        "4 breaches cannot happen within 3 windows",
        "breaches must be at most within_windows",
    )
    assert ChronicFailure.model_validate({**clause, "breaches": 3}).breaches == 3


def test_aggregate_caps_declare_something_in_one_currency() -> None:
    assert refusal(AggregateCaps, {})[0] == "caps declares no cap"
    assert refusal(AggregateCaps, {"per_period": "100 EUR", "per_year": "900 USD"})[0] == (
        "per_period is in EUR, per_year in USD"
    )
    caps = AggregateCaps.model_validate({"per_year": "900 EUR", "per_period": "100 EUR"})
    assert caps.limits() == [
        ("per_period", Money.parse("100 EUR")),
        ("per_year", Money.parse("900 EUR")),
    ]


def test_a_share_credit_keeps_its_percentage() -> None:
    assert scheme().tiers[0].credit == Percentage.parse("10%")
