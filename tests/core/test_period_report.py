"""What a period report adds up: outcome counts per period across agreements (every outcome
present, worst first) and credits per currency, never mixed."""

from __future__ import annotations

from decimal import Decimal

from accord.core.period_report import OUTCOME_ORDER, AgreementResults, PeriodReport


def report(*agreements: AgreementResults) -> PeriodReport:
    return PeriodReport("portfolio", "Acme", "2026-10", "2026-09", list(agreements))


def test_outcomes_are_listed_worst_first() -> None:
    assert OUTCOME_ORDER == ("breach", "deviation", "no_data", "met")


def test_outcome_counts_add_up_across_agreements_with_every_outcome_present() -> None:
    payments = AgreementResults(
        "payments", "Payments", ["PayCo"], outcomes={"met": 3, "breach": 1},
        previous_outcomes={"met": 4},
    )  # fmt: skip
    hosting = AgreementResults("hosting", "Hosting", ["Stratus"], outcomes={"met": 2, "no_data": 1})

    totals = report(payments, hosting).totals()

    assert totals == {"breach": 1, "deviation": 0, "no_data": 1, "met": 5}
    assert list(totals) == list(OUTCOME_ORDER)
    assert report(payments, hosting).totals(previous=True) == {
        "breach": 0,
        "deviation": 0,
        "no_data": 0,
        "met": 4,
    }


def test_credits_are_summed_per_currency() -> None:
    payments = AgreementResults(
        "payments", "Payments", ["PayCo"], credits={"EUR": Decimal("2000.00")}
    )
    hosting = AgreementResults(
        "hosting", "Hosting", ["Stratus"], credits={"EUR": Decimal("150.50"), "USD": Decimal("99")}
    )

    assert report(payments, hosting).credits() == {
        "EUR": Decimal("2150.50"),
        "USD": Decimal("99"),
    }


def test_an_empty_portfolio_has_zero_counts_and_no_credits() -> None:
    assert report().totals() == dict.fromkeys(OUTCOME_ORDER, 0)
    assert report().credits() == {}
