"""Caps across credit schemes (``remedies.caps``): per period across every scheme and
objective, per calendar year across windows, after each scheme's own cap; applied again
with the ledger's booked windows without clipping twice."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from accord.core.loader import load_agreement
from accord.core.periods import WindowSpan
from accord.core.records import CreditRecord
from accord.core.remedies.caps import apply_caps
from accord.core.remedies.credits import assess_credit
from accord.core.remedies.spec import Remedies
from accord.core.units import Money
from accord.core.verdicts import CreditOwed
from tests.core.remedies.test_credits import TWO_MONTHS, verdict
from tests.services.world import agreement_document


def _month(label: str) -> WindowSpan:
    year, month = (int(part) for part in label.split("-"))
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    return WindowSpan(label, start, end)


def _remedies(caps: dict[str, str] | None, *schemes: tuple[str, str, str]) -> Remedies:
    """Schemes as (id, objective, credit of its one tier), each over a 1000 EUR basis."""
    return Remedies.model_validate(
        {
            "claim_window": "30 days",
            "credits": [
                {
                    "id": scheme,
                    "objectives": [objective],
                    "basis": "1000 EUR",
                    "tiers": [{"below": "99%", "credit": credit}],
                    "cap": "50%",
                }
                for scheme, objective, credit in schemes
            ],
            **({"caps": caps} if caps else {}),
        }
    )


def _owed(remedies: Remedies, *breaches: tuple[str, str]) -> list[tuple[str, CreditOwed]]:
    """What each scheme owes for breaches given as (objective, month)."""
    found = []
    for objective, month in breaches:
        for scheme in remedies.credits:
            credit = assess_credit(
                scheme,
                [verdict("0.9", objective=objective, window=_month(month))],
                TWO_MONTHS,
                "Europe/Berlin",
            )
            if credit is not None:
                found.append((month, credit))
    return found


def _amounts(capped: list[tuple[str, CreditOwed]]) -> list[tuple[str, str, Decimal]]:
    return [(window, c.scheme, c.amount.amount) for window, c in capped]


TWO_SCHEMES = (("uptime", "availability", "30%"), ("speed", "latency", "30%"))


def test_a_per_period_cap_clips_the_credits_of_two_breaching_objectives() -> None:
    remedies = _remedies({"per_period": "400 EUR"}, *TWO_SCHEMES)
    owed = _owed(remedies, ("availability", "2026-10"), ("latency", "2026-10"))

    capped = apply_caps(remedies, owed)

    # The schemes fill the cap in the order the agreement declares them.
    assert _amounts(capped) == [
        ("2026-10", "uptime", Decimal("300.00")),
        ("2026-10", "speed", Decimal("100.00")),
    ]
    speed = capped[1][1]
    assert speed.uncapped == Money(Decimal("300.00"), "EUR")
    assert speed.clipped == Money(Decimal("200.00"), "EUR")
    assert speed.clipped_by == ("per_period cap 400.00 EUR",)
    assert CreditRecord.of(speed).rule.endswith(
        ", clipped to 100.00 EUR by the per_period cap 400.00 EUR"
    )
    assert capped[0][1].clipped is None


def test_each_period_has_its_own_cap() -> None:
    remedies = _remedies({"per_period": "400 EUR"}, *TWO_SCHEMES)
    owed = _owed(
        remedies,
        ("availability", "2026-10"),
        ("latency", "2026-10"),
        ("latency", "2026-11"),
    )

    assert [amount for _, _, amount in _amounts(apply_caps(remedies, owed))] == [
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal("300.00"),
    ]


def test_a_yearly_cap_clips_later_months_and_leaves_nothing_once_spent() -> None:
    remedies = _remedies({"per_year": "700 EUR"}, ("uptime", "availability", "30%"))
    months = ("2026-10", "2026-11", "2026-12", "2027-01")
    owed = _owed(remedies, *(("availability", month) for month in months))

    capped = apply_caps(remedies, owed)

    assert _amounts(capped) == [
        ("2026-10", "uptime", Decimal("300.00")),
        ("2026-11", "uptime", Decimal("300.00")),
        ("2026-12", "uptime", Decimal("100.00")),
        ("2027-01", "uptime", Decimal("300.00")),  # a new year, a new cap
    ]
    assert capped[2][1].clipped_by == ("per_year cap 700.00 EUR",)


def test_the_yearly_cap_counts_the_windows_booked_before() -> None:
    remedies = _remedies({"per_year": "700 EUR"}, ("uptime", "availability", "30%"))
    owed = _owed(remedies, ("availability", "2026-12"))
    booked = {"2026-10": Decimal("300.00"), "2026-11": Decimal("300.00"), "2025-12": Decimal(900)}

    [(_, december)] = apply_caps(remedies, owed, booked)

    assert december.amount == Money(Decimal("100.00"), "EUR")
    # A window judged again is not counted twice: its booked amount gives way to the new one.
    [(_, again)] = apply_caps(remedies, owed, {**booked, "2026-12": Decimal("100.00")})
    assert again.amount == Money(Decimal("100.00"), "EUR")


def test_a_tier_above_its_scheme_cap_is_clipped_first_then_by_the_period_cap() -> None:
    remedies = _remedies({"per_period": "600 EUR"}, ("uptime", "availability", "80%"))
    remedies = remedies.model_copy(
        update={"credits": [*remedies.credits, _remedies(None, TWO_SCHEMES[1]).credits[0]]}
    )
    owed = _owed(remedies, ("availability", "2026-10"), ("latency", "2026-10"))

    uptime, speed = (credit for _, credit in apply_caps(remedies, owed))

    assert (uptime.amount.amount, uptime.clipped_by) == (Decimal("500.00"), ("scheme cap 50%",))
    assert uptime.uncapped == Money(Decimal("800.00"), "EUR")
    assert (speed.amount.amount, speed.clipped_by) == (
        Decimal("100.00"),
        ("per_period cap 600.00 EUR",),
    )


def test_caps_applied_again_start_from_the_amounts_before_the_caps() -> None:
    remedies = _remedies({"per_period": "400 EUR", "per_year": "1000 EUR"}, *TWO_SCHEMES)
    owed = _owed(remedies, ("availability", "2026-10"), ("latency", "2026-10"))
    once = apply_caps(remedies, owed)

    assert apply_caps(remedies, once) == once
    later = apply_caps(remedies, once, {"2026-09": Decimal("800.00")})
    assert _amounts(later) == [
        ("2026-10", "uptime", Decimal("200.00")),
        ("2026-10", "speed", Decimal("0.00")),
    ]
    assert later[0][1].clipped_by == ("per_year cap 1,000.00 EUR",)


def _document(caps: Any) -> str:
    document = agreement_document("bravo")
    document["remedies"]["caps"] = caps
    return json.dumps(document)


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ({}, "caps declares no cap"),
        ({"per_period": "50%"}, "not an amount of money"),
        ({"per_period": "100 EUR", "per_year": "100 USD"}, "per_period is in EUR, per_year in USD"),
        (
            {"per_year": "100 USD"},
            "cap 100.00 USD is in USD, scheme 'availability-credits' pays in EUR",
        ),
    ],
)
def test_caps_that_cannot_apply_are_located_errors(caps: Any, message: str) -> None:
    loaded = load_agreement(_document(caps), "caps.yaml")

    assert not loaded.ok
    assert any(message in str(problem) for problem in loaded.problems), [
        str(problem) for problem in loaded.problems
    ]
    assert any("remedies" in str(problem) for problem in loaded.problems)


def test_declared_caps_are_valid() -> None:
    loaded = load_agreement(_document({"per_period": "100 EUR", "per_year": "1000 EUR"}), "c.yaml")

    assert loaded.ok, [str(problem) for problem in loaded.problems]


def test_the_worked_example_of_the_language_reference() -> None:
    remedies = _remedies({"per_period": "400 EUR", "per_year": "800 EUR"}, *TWO_SCHEMES)
    owed = _owed(
        remedies,
        *(("availability", m) for m in ("2026-10", "2026-11", "2026-12")),
        *(("latency", m) for m in ("2026-10", "2026-11")),
    )

    capped = apply_caps(remedies, owed)

    assert [(w, c.scheme, c.amount.amount, c.clipped_by) for w, c in capped] == [
        ("2026-10", "uptime", Decimal("300.00"), ()),
        ("2026-10", "speed", Decimal("100.00"), ("per_period cap 400.00 EUR",)),
        ("2026-11", "uptime", Decimal("300.00"), ()),
        ("2026-11", "speed", Decimal("100.00"), ("per_period cap 400.00 EUR",)),
        ("2026-12", "uptime", Decimal("0.00"), ("per_year cap 800.00 EUR",)),
    ]
