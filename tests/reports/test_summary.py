"""The executive summary of a rendered agreement: each promise with its tolerance band, credits
in money with the cap, the chronic clause and the claim window, parties, term and contacts."""

from __future__ import annotations

from tests.reports.examples import section


def test_executive_summary_states_each_promise_with_its_tolerance_band(payments_md: str) -> None:
    summary = section(payments_md, "Executive summary")
    assert (
        "Authorisation availability of at least 99.95% each calendar month per region; "
        "99.90% to below 99.95% is a deviation, below 99.90% a breach" in summary
    )
    assert "Authorisations answered within 800 ms of at least 99% each calendar month; " in summary
    assert "98% to below 99% is a deviation, below 98% a breach." in summary
    assert (
        "99th percentile authorisation latency of at most 1200 milliseconds over any 7 "
        "consecutive days during Black Friday to Cyber Monday; above 1200 milliseconds up to "
        "1500 milliseconds is a deviation, above 1500 milliseconds a breach." in summary
    )


def test_executive_summary_states_credits_in_money_with_cap_chronic_clause_and_claim_window(
    payments_md: str,
) -> None:
    summary = section(payments_md, "Executive summary")
    assert (
        "PayCo Payments Ltd credits Acme Retail GmbH a share of the monthly platform fee "
        "(40,000.00 EUR): 5% (2,000.00 EUR) below 99.95%, 15% (6,000.00 EUR) below 99.5% and "
        "30% (12,000.00 EUR) below 99%." in summary
    )
    assert "capped at 30% of the monthly platform fee (12,000.00 EUR) per window" in summary
    assert (
        "(3 breaches of Monthly authorisation availability within 6 consecutive windows): "
        "Acme may terminate without penalty on 30 days' notice." in summary
    )
    assert "must claim credits within 30 days" in summary
    assert "Service credits are the sole remedy" in summary


def test_executive_summary_names_parties_term_measurement_and_whom_to_call(
    payments_md: str,
) -> None:
    summary = section(payments_md, "Executive summary")
    assert "binds Acme Retail GmbH (the consumer" in summary
    assert "PayCo Payments Ltd (the provider" in summary
    assert "takes effect on 1 January 2026 and runs for 24 months, until 31 December 2027" in (
        summary
    )
    assert "renews automatically for 12 months at a time" in summary
    assert "at least 90 days before the end of the term" in summary
    assert "the share of events where `status < 500` among events where `status <> 429`" in (
        summary
    )
    assert "NOC duty manager, PayCo Payments Ltd, noc@payco.example; escalates after 30 min" in (
        summary
    )
    assert "PayCo NOC (operations), noc@payco.example, +44 20 7946 0000." in summary
