"""Service credits (tiers, cap, claim deadline) and chronic-failure clauses."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from accord.core.loader import load_agreement
from accord.core.model.measurement import Direction, ValueKind
from accord.core.periods import WindowSpan
from accord.core.remedies.credits import assess_chronic, assess_credit, chronic_credits
from accord.core.remedies.spec import ChronicFailure, CreditScheme
from accord.core.units import Duration, Money, add_duration
from accord.core.verdicts import Coverage, Outcome, Verdict, WorkingTime
from tests.services.world import agreement_document

OCTOBER = WindowSpan(
    "2026-10",
    dt.datetime(2026, 9, 30, 22, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC),
)
TWO_MONTHS = Duration.parse("2 months")


def verdict(
    value: str | None,
    outcome: Outcome = Outcome.BREACH,
    objective: str = "availability",
    region: str = "eu",
    window: WindowSpan = OCTOBER,
    direction: Direction = Direction.HIGHER_IS_BETTER,
) -> Verdict:
    return Verdict(
        objective=objective,
        scope={"region": region},
        window=window,
        outcome=outcome,
        value=None if value is None else Decimal(value),
        target=Decimal("0.999"),
        tolerance=Decimal("0.99"),
        value_kind=ValueKind.RATIO,
        direction=direction,
        counts={},
        formula="",
        computation="",
        coverage=Coverage(Decimal(1), ""),
        agreement_version="0" * 64,
    )


def scheme(**changes: Any) -> CreditScheme:
    return CreditScheme.model_validate(
        {
            "id": "uptime-credits",
            "objectives": ["availability"],
            "basis": "2000 EUR",
            "tiers": [
                {"below": "99.9%", "credit": "10%"},
                {"below": "99%", "credit": "25%"},
                {"below": "95%", "credit": "100%"},
            ],
            "cap": "100%",
            **changes,
        }
    )


def credit_of(*verdicts: Verdict, **changes: Any) -> tuple[int, Decimal] | None:
    owed = assess_credit(scheme(**changes), verdicts, TWO_MONTHS, "Europe/Berlin")
    return None if owed is None else (owed.tier, owed.amount.amount)


# -- tiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.9995", None),
        ("0.999", None),  # exactly at the first threshold: nothing
        ("0.9989", (1, Decimal("200.00"))),
        ("0.99", (1, Decimal("200.00"))),  # exactly at the second threshold: still tier 1
        ("0.9899", (2, Decimal("500.00"))),
        ("0.95", (2, Decimal("500.00"))),
        ("0.5", (3, Decimal("2000.00"))),
        ("0", (3, Decimal("2000.00"))),
    ],
)
def test_a_tier_applies_only_strictly_below_its_threshold(
    value: str, expected: tuple[int, Decimal] | None
) -> None:
    assert credit_of(verdict(value)) == expected


def test_the_worst_scope_of_the_window_sets_the_tier_once() -> None:
    owed = assess_credit(
        scheme(),
        [verdict("0.998", region="eu"), verdict("0.97", region="us"), verdict("0.9991")],
        TWO_MONTHS,
        "Europe/Berlin",
    )

    assert owed is not None
    assert (owed.tier, owed.scope, owed.amount) == (2, "region=us", Money(Decimal(500), "EUR"))
    assert "tier 2 of uptime-credits: availability (region=us) is below 99%" in owed.rule


def test_verdicts_of_other_objectives_and_without_data_earn_nothing() -> None:
    assert credit_of(verdict("0.5", objective="latency")) is None
    assert credit_of(verdict(None, Outcome.NO_DATA)) is None
    assert credit_of(verdict("0.5", Outcome.NO_DATA)) is None  # too few events


def test_tiers_above_a_threshold_apply_where_lower_is_better() -> None:
    tiers = [{"above": "300ms", "credit": "10%"}, {"above": "1s", "credit": "50%"}]
    slow = verdict("1.0", direction=Direction.LOWER_IS_BETTER)
    slower = verdict("1.001", direction=Direction.LOWER_IS_BETTER)

    assert credit_of(slow, tiers=tiers) == (1, Decimal("200.00"))
    assert credit_of(slower, tiers=tiers) == (2, Decimal("1000.00"))


def test_a_credit_above_the_cap_is_capped() -> None:
    owed = assess_credit(scheme(cap="20%"), [verdict("0.97")], TWO_MONTHS, "Europe/Berlin")

    assert owed is not None
    assert owed.capped
    assert owed.amount == Money(Decimal("400.00"), "EUR")
    assert owed.rule.endswith("capped at 20%")


def test_a_fixed_credit_and_a_fixed_cap_are_amounts() -> None:
    tiers = [{"below": "99.9%", "credit": "150 EUR"}, {"below": "99%", "credit": "900 EUR"}]
    assert credit_of(verdict("0.98"), tiers=tiers, cap="600 EUR") == (2, Decimal("600.00"))
    assert credit_of(verdict("0.995"), tiers=tiers, cap="600 EUR") == (1, Decimal("150.00"))


def test_credits_are_rounded_to_the_currency() -> None:
    assert credit_of(verdict("0.998"), basis="999.99 EUR") == (1, Decimal("100.00"))
    assert credit_of(verdict("0.998"), basis="12345 JPY") == (1, Decimal("1234"))


# -- claim deadlines --------------------------------------------------------------------


def test_the_claim_deadline_counts_calendar_months_from_the_window_end() -> None:
    owed = assess_credit(scheme(), [verdict("0.5")], TWO_MONTHS, "Europe/Berlin")

    assert owed is not None
    # 1 November 00:00 in Berlin + 2 months = 1 January 00:00 in Berlin.
    assert owed.claim_deadline == "2026-12-31T23:00:00+00:00"


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (dt.date(2026, 1, 31), "2 months", dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 31), "1 month", dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), "1 month", dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 30), "3 months", dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 31), "12 months", dt.date(2027, 12, 31)),
        (dt.date(2028, 2, 29), "1 year", dt.date(2029, 2, 28)),
        (dt.date(2026, 1, 31), "30 days", dt.date(2026, 3, 2)),
    ],
)
def test_months_step_local_calendar_dates_and_clip_to_the_month_end(
    start: dt.date, duration: str, expected: dt.date
) -> None:
    noon = dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC)
    moved = add_duration(noon, Duration.parse(duration), "Europe/Berlin")

    assert moved.tzinfo is dt.UTC
    assert moved.date() == expected


def test_a_month_across_the_dst_change_keeps_the_local_time() -> None:
    before = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)  # 14:00 summer time
    moved = add_duration(before, Duration.parse("1 month"), "Europe/Berlin")

    assert moved == dt.datetime(2026, 11, 1, 13, tzinfo=dt.UTC)  # 14:00 winter time


# -- chronic failure --------------------------------------------------------------------


def month(label: str) -> WindowSpan:
    year, number = (int(part) for part in label.split("-"))
    start = dt.datetime(year, number, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=dt.UTC)
    return WindowSpan(label, start, end)


def clause(breaches: int = 2, within: int = 3) -> ChronicFailure:
    return ChronicFailure.model_validate(
        {
            "id": "repeated",
            "objectives": ["availability"],
            "breaches": breaches,
            "within_windows": within,
            "consequence": "The consumer may terminate.",
        }
    )


def history(outcomes: dict[str, list[Outcome]]) -> list[Verdict]:
    return [
        verdict("0.9", outcome, region=f"r{i}", window=month(label))
        for label, per_scope in outcomes.items()
        for i, outcome in enumerate(per_scope)
    ]


def test_the_chronic_clause_triggers_after_n_breached_windows_among_the_last_m() -> None:
    met, breach = Outcome.MET, Outcome.BREACH
    finding = assess_chronic(
        clause(),
        history(
            {
                "2026-07": [breach],
                "2026-08": [met, breach],
                "2026-09": [met, met],
                "2026-10": [breach, breach],
            }
        ),
    )

    assert finding.triggered
    assert finding.looked_at == ("2026-08", "2026-09", "2026-10")
    assert finding.breached_windows == ("2026-08", "2026-10")
    assert finding.consequence == "The consumer may terminate."


def test_the_chronic_clause_counts_a_window_once_however_many_scopes_breach() -> None:
    breach = Outcome.BREACH
    finding = assess_chronic(clause(), history({"2026-10": [breach, breach, breach]}))

    assert not finding.triggered
    assert finding.breached_windows == ("2026-10",)


def test_deviations_and_other_objectives_do_not_count_as_breaches() -> None:
    verdicts = history({"2026-09": [Outcome.DEVIATION], "2026-10": [Outcome.NO_DATA]})
    verdicts.append(verdict("0.1", objective="latency", window=month("2026-08")))

    assert not assess_chronic(clause(breaches=1), verdicts).triggered


def ticket_verdict(hours: str, calendar: str = "office") -> Verdict:
    """A p90 response time of ``hours`` business hours on a calendar with 8-hour days."""
    return replace(
        verdict(None, direction=Direction.LOWER_IS_BETTER),
        value=Decimal(hours) * 3600,
        value_kind=ValueKind.DURATION,
        working_time=WorkingTime(calendar, Decimal(8 * 3600)),
    )


def test_a_tier_in_business_days_counts_the_calendars_working_day() -> None:
    tiers = [
        {"above": "4 business hours", "credit": "5%"},
        {"above": "1 business day", "credit": "10%"},
    ]

    # 9 business hours is more than one 8-hour working day, not less than 24 hours.
    assert credit_of(ticket_verdict("9"), tiers=tiers) == (2, Decimal("200.00"))
    assert credit_of(ticket_verdict("8"), tiers=tiers) == (1, Decimal("100.00"))


def test_a_business_duration_verdict_shows_business_time_except_on_24x7() -> None:
    assert ticket_verdict("1").show(Decimal(3600)) == "1 business hour"
    assert ticket_verdict("1").show(Decimal(36000)) == "10 business hours"
    assert ticket_verdict("1", calendar="24x7").show(Decimal(36000)) == "10 hours"
    assert verdict("0.5").show(Decimal("0.5")) == "50%"


def test_a_tier_above_a_negotiated_cap_is_valid_and_clipped_by_the_cap() -> None:
    """10% / 30% / 100% tiers under a 50% cap: the agreement is valid, the cap clips."""
    tiers = [
        {"below": "99.9%", "credit": "10%"},
        {"below": "99%", "credit": "30%"},
        {"below": "95%", "credit": "100%"},
    ]
    document = agreement_document("bravo", target="99.9%")
    document["remedies"]["credits"][0] |= {"tiers": tiers, "cap": "50%"}
    loaded = load_agreement(json.dumps(document), "capped.yaml")
    assert loaded.ok, [str(problem) for problem in loaded.problems]
    owed = assess_credit(
        scheme(tiers=tiers, cap="50%"), [verdict("0.9")], TWO_MONTHS, "Europe/Berlin"
    )
    assert owed is not None
    assert (owed.tier, owed.amount, owed.capped) == (3, Money(Decimal("1000.00"), "EUR"), True)


def _months(*labels: str) -> dict[str, WindowSpan]:
    spans = {}
    for label in labels:
        year, month = (int(part) for part in label.split("-"))
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
        spans[label] = WindowSpan(label, dt.datetime(year, month, 1, tzinfo=dt.UTC), end)
    return spans


def test_a_chronic_credit_is_owed_for_each_breached_window_while_the_clause_is_triggered() -> None:
    """The worked example of the language reference: 1 breach within 2 months, 500 EUR."""
    months = _months("2026-09", "2026-10", "2026-11", "2026-12")
    clause = ChronicFailure(
        id="chronic",
        objectives=["availability"],
        breaches=1,
        within_windows=2,
        consequence="terminate",
        credit=Money(Decimal(500), "EUR"),
    )
    history = [
        verdict("0.999", Outcome.MET, window=months["2026-09"]),
        verdict("0.5", window=months["2026-10"]),
        verdict("0.999", Outcome.MET, window=months["2026-11"]),
        verdict("0.5", window=months["2026-12"]),
    ]

    owed = chronic_credits(clause, history, TWO_MONTHS, "Europe/Berlin")

    assert [(label, c.amount) for label, c in owed] == [
        ("2026-10", Money(Decimal("500.00"), "EUR")),
        ("2026-12", Money(Decimal("500.00"), "EUR")),
    ]
    assert owed[0][1].rule == (
        "chronic failure chronic: 1 of the last 2 windows breached (2026-10) → 500.00 EUR"
    )
    assert (
        chronic_credits(clause.model_copy(update={"credit": None}), history, TWO_MONTHS, "UTC")
        == []
    )
