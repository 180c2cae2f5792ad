"""Period reports from the numbers: the executive summary (met, deviations, breaches and
where, credits, the trend), the JSON and CSV tables, and the HTML page with its chart. The
PDF is left to the web test of stored reports (WeasyPrint is slow)."""

from __future__ import annotations

from decimal import Decimal

from accord.core.period_report import AgreementResults, PeriodReport, VerdictLine
from accord.reports.period import FORMAT, executive_summary, report_html, report_json


def _line(objective: str, outcome: str, value: str, scope: str = "all") -> VerdictLine:
    return VerdictLine(objective, scope, "2026-10", outcome, value, "99.9%", Decimal("0.98"))


def _report(*agreements: AgreementResults) -> PeriodReport:
    return PeriodReport("bravo", "Bravo Logistics", "2026-10", "2026-09", list(agreements))


HOSTING = AgreementResults(
    "acme-bravo",
    "Acme and bravo",
    ["bravo"],
    verdicts=[
        _line("availability", "breach", "97.5%", "eu"),
        _line("availability", "met", "99.95%", "us"),
        _line("latency", "deviation", "99.85%"),
    ],
    outcomes={"met": 1, "deviation": 1, "breach": 1},
    previous_outcomes={"met": 3},
    credits={"EUR": Decimal("1250.5")},
)
SUPPORT = AgreementResults(
    "acme-support",
    "Acme support",
    ["bravo"],
    verdicts=[_line("first-reply", "no_data", "—")],
    outcomes={"no_data": 1},
    credits={"EUR": Decimal("100"), "USD": Decimal("20")},
)


def test_the_summary_says_what_was_met_what_breached_credits_and_the_trend() -> None:
    assert executive_summary(_report(HOSTING, SUPPORT)) == [
        "In 2026-10, 1 of 4 objective verdicts across 2 agreements were met; 1 deviation "
        "stayed within tolerance and 1 breach did not.",
        "Acme and bravo breached availability (eu) at 97.5% against 99.9%.",
        "1 verdict had no data and could not be judged.",
        "Service credits owed for the period: 1,350.50 EUR and 20.00 USD.",
        "That is worse than 2026-09, which had 0 missed objectives.",
    ]


def test_a_period_without_verdicts_says_so_and_nothing_else() -> None:
    empty = AgreementResults("acme-bravo", "Acme and bravo", ["bravo"])
    assert executive_summary(_report(empty)) == ["No verdict was recorded for 2026-10."]


def test_more_than_three_breaches_are_counted_not_listed() -> None:
    breaches = [_line("availability", "breach", f"9{n}%", f"r{n}") for n in range(5)]
    results = AgreementResults(
        "a",
        "Many regions",
        [],
        verdicts=breaches,
        outcomes={"breach": 5},
        previous_outcomes={"breach": 5},
    )
    summary = executive_summary(_report(results))
    assert summary[1].endswith("availability (r2) at 92% against 99.9% and 2 more.")
    assert summary[-2] == "No service credit is owed for the period."
    assert summary[-1] == "That is as many missed objectives as in 2026-09."


def test_the_json_holds_totals_of_both_periods_and_credits_as_strings() -> None:
    data = report_json(_report(HOSTING, SUPPORT))
    assert (data["format"], data["scope"], data["period"]) == (FORMAT, "bravo", "2026-10")
    assert data["totals"] == {"met": 1, "deviation": 1, "breach": 1, "no_data": 1}
    assert data["previous_totals"]["met"] == 3
    assert data["credits"] == {"EUR": "1350.5", "USD": "20"}
    first = data["agreements"][0]["verdicts"][0]
    assert first == {
        "objective": "availability",
        "scope": "eu",
        "window": "2026-10",
        "outcome": "breach",
        "value": "97.5%",
        "target": "99.9%",
        "coverage": "0.98",
    }


def test_the_page_has_the_summary_and_a_chart_described_in_words() -> None:
    page = report_html(_report(HOSTING, SUPPORT))
    assert "Acme and bravo breached availability (eu) at 97.5% against 99.9%." in page
    assert "breach: 1 in 2026-10, 0 in 2026-09" in page
    assert "met: 1 in 2026-10, 3 in 2026-09" in page
    assert "<script" not in page
