"""Named edge cases of evaluation, each on a small hand-made data set."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.connectors.batches import write_batch
from accord.connectors.files import FileReader
from accord.core.documents import evaluation_document
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.periods import parse_period
from accord.core.verdicts import Outcome
from accord.engine.evaluate import EvaluationRequest, announced_periods, evaluate
from accord.engine.sources import BadRowPolicy
from accord.reports.verdicts import explain_verdict
from tests.engine.builders import (
    BERLIN,
    MAINTENANCE_SOURCE,
    agreement_of,
    evaluate_period,
    show_instant,
    utc,
    write_csv,
    write_rows,
)
from tests.engine.requests import (
    MID_OCTOBER,
    P90_LATENCY,
    REQUESTS_SOURCE,
    SUCCESS,
    Row,
    availability,
    credits,
    daily,
    maintenance_exclusion,
    only,
    requests_agreement,
    spread,
    uptime_agreement,
    verdicts_of,
    write_maintenance,
    write_requests,
)

# -- data coverage ----------------------------------------------------------------------


def test_a_window_without_data_has_no_data_and_is_never_met(tmp_path: Path) -> None:
    write_requests(tmp_path, spread(utc(2026, 9, 10), 5, 200))
    evaluation = evaluate_period(requests_agreement(remedies=credits()), tmp_path)

    verdict = only(evaluation)
    assert verdict.outcome is Outcome.NO_DATA
    assert verdict.value is None
    assert verdict.coverage.ratio == 0
    assert evaluation.credits == []


def two_of_31_days() -> list[Row]:
    """All good requests, on 14 and 15 October only."""
    return [*spread(utc(2026, 10, 14, 8), 60, 200), *spread(utc(2026, 10, 15, 8), 60, 200)]


def test_a_month_with_2_of_31_days_of_data_is_insufficient_data_by_default(
    tmp_path: Path,
) -> None:
    write_requests(tmp_path, two_of_31_days())
    sections = {"sources": [REQUESTS_SOURCE], "indicators": [SUCCESS]}
    agreement = agreement_of(
        {**sections, "objectives": [availability()], "remedies": credits()}, sparse=False
    )
    evaluation = evaluate_period(agreement, tmp_path)

    verdict = only(evaluation)
    assert verdict.value == 1
    assert verdict.outcome is Outcome.INSUFFICIENT_DATA
    assert verdict.counts_as is None
    assert verdict.coverage.detail == "2 of 31 days"
    assert verdict.coverage.minimum == Decimal("0.9")
    assert verdict.coverage.rule == "at least 90% (default); below it: no verdict"
    assert "insufficient data: coverage must be at least 90% (default); below it: no verdict" in (
        verdict.notes
    )
    assert evaluation.credits == []


@pytest.mark.parametrize(
    ("objective", "source", "outcome"),
    [
        ({"min_coverage": "5%"}, {}, Outcome.MET),
        ({}, {"min_coverage": "5%"}, Outcome.MET),
        ({"min_coverage": "10%"}, {"min_coverage": "5%"}, Outcome.INSUFFICIENT_DATA),
        ({"min_coverage": "5%"}, {"min_coverage": "100%"}, Outcome.MET),
    ],
)
def test_the_objective_s_minimum_coverage_overrides_its_source_s(
    tmp_path: Path, objective: dict[str, str], source: dict[str, str], outcome: Outcome
) -> None:
    write_requests(tmp_path, two_of_31_days())
    agreement = requests_agreement(
        availability(**objective), requests={**REQUESTS_SOURCE, **source}
    )

    assert only(evaluate_period(agreement, tmp_path)).outcome is outcome


def test_insufficient_data_counts_as_a_breach_where_the_provider_must_deliver_it(
    tmp_path: Path,
) -> None:
    write_requests(tmp_path, two_of_31_days())
    source = {**REQUESTS_SOURCE, "min_coverage": "90%", "insufficient_data": "breach"}
    evaluation = evaluate_period(requests_agreement(requests=source, remedies=credits()), tmp_path)

    verdict = only(evaluation)
    assert verdict.outcome is Outcome.INSUFFICIENT_DATA
    assert verdict.counts_as is Outcome.BREACH
    assert verdict.coverage.rule == (
        "at least 90% (source requests); below it: counts as a breach (delivering the data "
        "is the provider's duty)"
    )
    (owed,) = evaluation.credits
    assert owed.credit.tier == 1
    assert "has insufficient data, counted as a breach" in owed.credit.rule


def test_enough_coverage_is_judged_as_usual(tmp_path: Path) -> None:
    write_requests(tmp_path, daily(dt.date(2026, 10, 1), dt.date(2026, 10, 28)))
    agreement = agreement_of(
        {"sources": [REQUESTS_SOURCE], "indicators": [SUCCESS], "objectives": [availability()]},
        sparse=False,
    )
    verdict = only(evaluate_period(agreement, tmp_path))

    assert verdict.coverage.detail == "28 of 31 days"
    assert verdict.outcome is Outcome.MET


def test_a_window_that_has_not_started_says_so(tmp_path: Path) -> None:
    write_requests(tmp_path, two_of_31_days())
    verdict = only(
        evaluate_period(requests_agreement(), tmp_path, period="2026-12", as_of=MID_OCTOBER)
    )

    assert verdict.outcome is Outcome.NO_DATA
    assert verdict.notes[-1].startswith("window not started: it starts 2026-11-30T23:00:00")


def test_too_few_events_are_insufficient_data_and_earn_no_credit(tmp_path: Path) -> None:
    write_requests(tmp_path, spread(MID_OCTOBER, 3, 500))
    agreement = requests_agreement(availability(minimum_events=10), remedies=credits())
    evaluation = evaluate_period(agreement, tmp_path)

    verdict = only(evaluation)
    assert verdict.value == 0
    assert verdict.outcome is Outcome.INSUFFICIENT_DATA
    assert verdict.counts_as is None
    assert any("at least 10 valid events are needed, 3 counted" in n for n in verdict.notes)
    assert evaluation.credits == []


def test_too_few_events_count_as_a_breach_where_the_agreement_says_so(tmp_path: Path) -> None:
    write_requests(tmp_path, spread(MID_OCTOBER, 3, 200))
    objective = availability(minimum_events=10, insufficient_data="breach")
    evaluation = evaluate_period(requests_agreement(objective, remedies=credits()), tmp_path)

    verdict = only(evaluation)
    assert (verdict.outcome, verdict.counts_as) == (Outcome.INSUFFICIENT_DATA, Outcome.BREACH)
    [owed] = evaluation.credits
    assert owed.credit.tier == 1


def test_the_worst_hours_are_listed_worst_first_when_items_are_asked_for(
    tmp_path: Path,
) -> None:
    rows = spread(utc(2026, 10, 3, 9), 50, 200) + spread(utc(2026, 10, 3, 9, 30), 3, 500)
    rows += spread(utc(2026, 10, 7, 14), 20, 200) + spread(utc(2026, 10, 7, 14, 5), 5, 500)
    rows += spread(utc(2026, 10, 8, 1), 5, 500, "us")
    write_requests(tmp_path, rows)
    evaluation = evaluate_period(requests_agreement(), tmp_path, items=True)

    assert [(h.scope, h.hour, h.bad, h.valid) for h in evaluation.hours] == [
        ("region=eu", utc(2026, 10, 7, 14), 5, 25),
        ("region=us", utc(2026, 10, 8, 1), 5, 5),
        ("region=eu", utc(2026, 10, 3, 9), 3, 53),
    ]
    assert evaluation.tickets == []
    assert evaluate_period(requests_agreement(), tmp_path).hours == []


# -- verdicts, ties and credits ---------------------------------------------------------


def test_all_bad_data_is_a_breach_with_the_worst_tier_credit_within_the_cap(
    tmp_path: Path,
) -> None:
    write_requests(tmp_path, spread(MID_OCTOBER, 20, 503))
    evaluation = evaluate_period(requests_agreement(remedies=credits()), tmp_path)

    assert only(evaluation).outcome is Outcome.BREACH
    (owed,) = evaluation.credits
    assert owed.window == "2026-10"
    assert owed.credit.tier == 3
    assert owed.credit.amount.amount == Decimal(1000)
    assert owed.credit.amount.currency == "EUR"
    assert not owed.credit.capped
    assert owed.credit.claim_deadline == "2026-12-31T23:00:00+00:00"


def test_a_target_of_100_percent_leaves_a_zero_budget_without_dividing_by_zero(
    tmp_path: Path,
) -> None:
    write_requests(
        tmp_path,
        [
            *spread(MID_OCTOBER, 999, 200),
            (utc(2026, 10, 20), "eu", 500),
            *spread(MID_OCTOBER, 10, 200, "us"),
        ],
    )
    agreement = requests_agreement(availability(target="100%", tolerance="99%"))
    evaluation = evaluate_period(agreement, tmp_path)

    eu, us = verdicts_of(evaluation)["region=eu"], verdicts_of(evaluation)["region=us"]
    assert eu.outcome is Outcome.DEVIATION
    assert eu.budget is not None
    assert (eu.budget.allowed_events, eu.budget.spent_events) == (0, 1)
    assert eu.budget.consumed_ratio is None
    assert eu.budget.exhausted
    assert us.outcome is Outcome.MET
    assert us.budget is not None
    assert us.budget.consumed_ratio == 0
    assert json.dumps(evaluation_document(evaluation))
    explained = explain_verdict(evaluation.agreement, evaluation.record(eu))
    assert "Error budget" in explained
    assert "Budget projected to run out: exhausted" in explained


def test_a_value_exactly_at_the_target_is_met_and_at_the_tolerance_a_deviation(
    tmp_path: Path,
) -> None:
    rows = [*spread(MID_OCTOBER, 3, 200), (utc(2026, 10, 16), "eu", 500)]
    rows += [(utc(2026, 10, 16, 1), "us", 200), (utc(2026, 10, 16, 2), "us", 500)]
    write_requests(tmp_path, rows)
    agreement = requests_agreement(availability(target="75%", tolerance="50%"))
    verdicts = verdicts_of(evaluate_period(agreement, tmp_path))

    assert verdicts["region=eu"].value == Decimal("0.75")
    assert verdicts["region=eu"].outcome is Outcome.MET
    assert verdicts["region=us"].value == Decimal("0.5")
    assert verdicts["region=us"].outcome is Outcome.DEVIATION


@pytest.mark.parametrize(
    ("latencies", "expected"),
    [([700, 700, 800], Outcome.MET), ([1100, 1100, 100], Outcome.DEVIATION)],
)
def test_a_percentile_exactly_at_the_target_or_tolerance_is_not_pushed_over_it(
    tmp_path: Path, latencies: list[int], expected: Outcome
) -> None:
    rows: list[Row] = [
        (MID_OCTOBER + dt.timedelta(minutes=i), "eu", 200, ms, "provider")
        for i, ms in enumerate(latencies)
    ]
    write_requests(tmp_path, rows)
    tail = {
        "id": "tail",
        "name": "Median latency",
        "kind": "percentile",
        "source": "requests",
        "measure": "latency",
        "percentile": 50,
    }
    objective = {
        "id": "latency",
        "name": "Latency",
        "indicator": "tail",
        "target": "700ms",
        "tolerance": "1100ms",
        "window": "month",
    }
    verdict = only(
        evaluate_period(requests_agreement(objective, indicators=[tail]), tmp_path), "latency"
    )

    assert verdict.value == Decimal(latencies[0]) / 1000
    assert verdict.outcome is expected


def test_a_credit_tier_applies_only_strictly_below_its_threshold(tmp_path: Path) -> None:
    write_requests(tmp_path, [*spread(MID_OCTOBER, 9, 200), (utc(2026, 10, 16), "eu", 500)])
    agreement = requests_agreement(availability(tolerance="90%"), remedies=credits())
    evaluation = evaluate_period(agreement, tmp_path)

    assert only(evaluation).value == Decimal("0.9")
    (owed,) = evaluation.credits
    assert owed.credit.tier == 1
    assert owed.credit.amount.amount == Decimal(100)


# -- calendar windows -------------------------------------------------------------------


def test_the_leap_day_belongs_to_february_2028(tmp_path: Path) -> None:
    rows = [
        (utc(2028, 1, 31, 22, 59, 59), "eu", 500),
        (utc(2028, 1, 31, 23), "eu", 200),
        (utc(2028, 2, 29, 12), "eu", 200),
        (utc(2028, 2, 29, 22, 59, 59), "eu", 200),
        (utc(2028, 2, 29, 23), "eu", 500),
    ]
    write_requests(tmp_path, rows)
    verdict = only(evaluate_period(requests_agreement(), tmp_path, period="2028-02"))

    assert verdict.window.label == "2028-02"
    assert verdict.window.end_at - verdict.window.start_at == dt.timedelta(days=29)
    assert verdict.counts == {"good": 3, "valid": 3}
    assert verdict.coverage.detail == "2 of 29 days"


def test_october_2026_in_berlin_lasts_745_hours_across_the_dst_change(tmp_path: Path) -> None:
    rows = [
        (utc(2026, 9, 30, 21, 59, 59), "eu", 500),
        (utc(2026, 9, 30, 22), "eu", 200),
        (utc(2026, 10, 25, 0, 30), "eu", 200),  # 02:30 summer time
        (utc(2026, 10, 25, 1, 30), "eu", 200),  # 02:30 winter time, one hour later
        (utc(2026, 10, 31, 22, 59, 59), "eu", 200),
        (utc(2026, 10, 31, 23), "eu", 500),
    ]
    write_requests(tmp_path, rows)
    verdict = only(evaluate_period(requests_agreement(), tmp_path))

    assert verdict.window.start_at == utc(2026, 9, 30, 22)
    assert verdict.window.end_at == utc(2026, 10, 31, 23)
    assert verdict.counts == {"good": 4, "valid": 4}
    assert verdict.coverage.detail == "3 of 31 days"


def test_a_peak_period_restricts_the_events_to_its_local_hours(tmp_path: Path) -> None:
    local = [
        (dt.datetime(2026, 10, 5, 10, tzinfo=BERLIN), 500),  # Monday, inside
        (dt.datetime(2026, 10, 5, 18, tzinfo=BERLIN), 200),  # Monday evening
        (dt.datetime(2026, 10, 10, 10, tzinfo=BERLIN), 500),  # Saturday
        (dt.datetime(2026, 10, 26, 9, 30, tzinfo=BERLIN), 200),  # Monday after the DST change
        (dt.datetime(2026, 10, 26, 8, 30, tzinfo=BERLIN), 500),  # before opening
    ]
    write_requests(tmp_path, [(at.astimezone(dt.UTC), "eu", status) for at, status in local])
    peak = {
        "id": "office-hours",
        "timezone": "Europe/Berlin",
        "hours": {"weekdays": ["09:00-17:00"]},
    }
    objective = availability(during="office-hours", target="50%", tolerance="50%")
    verdict = only(evaluate_period(requests_agreement(objective, peak_periods=[peak]), tmp_path))

    assert verdict.counts == {"good": 1, "valid": 2}
    assert verdict.outcome is Outcome.MET


# -- exclusions -------------------------------------------------------------------------


def maintenance_agreement() -> Agreement:
    return requests_agreement(
        availability(target="50%", tolerance="50%"),
        sources=[MAINTENANCE_SOURCE],
        exclusions=[maintenance_exclusion()],
    )


def test_maintenance_announced_too_late_is_not_excluded(tmp_path: Path) -> None:
    start = utc(2026, 10, 5, 22)
    write_requests(tmp_path, spread(start, 30, 500) + spread(MID_OCTOBER, 10, 200))
    write_maintenance(tmp_path, [(start, start + dt.timedelta(minutes=30), utc(2026, 10, 4))])
    evaluation = evaluate_period(maintenance_agreement(), tmp_path)

    (period,) = evaluation.excluded
    assert not period.counted
    assert "less than the 5 days notice" in period.reason
    verdict = only(evaluation)
    assert verdict.counts == {"good": 10, "valid": 40}
    assert verdict.exclusions == {}


def test_maintenance_beyond_the_monthly_cap_counts_as_normal_time(tmp_path: Path) -> None:
    start = utc(2026, 10, 5, 22)
    later = utc(2026, 10, 20, 22)
    write_requests(
        tmp_path, spread(start, 180, 500) + spread(later, 10, 500) + spread(MID_OCTOBER, 300, 200)
    )
    write_maintenance(
        tmp_path,
        [
            (start, start + dt.timedelta(hours=3), utc(2026, 9, 1)),
            (later, later + dt.timedelta(hours=1), utc(2026, 9, 1)),
        ],
    )
    evaluation = evaluate_period(maintenance_agreement(), tmp_path)

    clipped, used_up = evaluation.excluded
    assert clipped.counted
    assert (clipped.start_at, clipped.end_at) == (start, start + dt.timedelta(hours=1))
    assert "clipped at the monthly cap of 1 hour" in clipped.reason
    assert not used_up.counted
    assert "used up" in used_up.reason
    verdict = only(evaluation)
    assert verdict.exclusions == {"events": 60}
    assert verdict.counts == {"good": 300, "valid": 300 + 120 + 10}


def test_consumer_caused_events_are_excluded_and_counted(tmp_path: Path) -> None:
    rows: list[Row] = [
        (MID_OCTOBER + dt.timedelta(minutes=i), "eu", 500, None, "consumer") for i in range(7)
    ]
    write_requests(tmp_path, [*rows, *spread(MID_OCTOBER, 10, 200)])
    exclusion = {
        "id": "buyer-caused",
        "kind": "consumer_caused",
        "description": "Requests the buyer broke.",
        "source": "requests",
        "where": "blame = 'consumer'",
    }
    verdict = only(evaluate_period(requests_agreement(exclusions=[exclusion]), tmp_path))

    assert verdict.exclusions == {"events": 7}
    assert verdict.counts == {"good": 10, "valid": 10}
    assert verdict.outcome is Outcome.MET


# -- remedies and findings across windows and scopes ------------------------------------


def chronic_agreement() -> Agreement:
    remedies = {
        **credits(),
        "chronic": [
            {
                "id": "repeated",
                "objectives": ["availability"],
                "breaches": 2,
                "within_windows": 3,
                "consequence": "The buyer may terminate.",
            }
        ],
    }
    return requests_agreement(remedies=remedies)


@pytest.mark.parametrize(
    ("august", "triggered", "breached"),
    [(500, True, ("2026-08", "2026-10")), (200, False, ("2026-10",))],
)
def test_the_chronic_clause_triggers_after_n_breaches_in_m_windows(
    tmp_path: Path, august: int, triggered: bool, breached: tuple[str, ...]
) -> None:
    rows = [
        *spread(utc(2026, 7, 10), 5, 500),  # July: outside the three windows looked at
        *spread(utc(2026, 8, 10), 5, august),
        *spread(utc(2026, 9, 10), 5, 200),
        *spread(MID_OCTOBER, 5, 500),
    ]
    write_requests(tmp_path, rows)
    evaluation = evaluate_period(chronic_agreement(), tmp_path)

    (finding,) = evaluation.chronic
    assert finding.triggered is triggered
    assert finding.breached_windows == breached
    assert finding.looked_at == ("2026-08", "2026-09", "2026-10")
    assert {v.window.label for v in evaluation.history} == {"2026-08", "2026-09"}


@pytest.mark.parametrize(
    ("us_bad", "outcome"),
    [(2, Outcome.BREACH), (1, Outcome.MET)],
)
def test_consistency_across_regions_is_breached_when_the_spread_is_too_wide(
    tmp_path: Path, us_bad: int, outcome: Outcome
) -> None:
    rows = spread(MID_OCTOBER, 20, 200)
    rows += spread(MID_OCTOBER, 20 - us_bad, 200, "us") + spread(MID_OCTOBER, us_bad, 500, "us")
    write_requests(tmp_path, rows)
    objective = availability(
        target="50%", tolerance="50%", consistency={"across": "region", "max_spread": "5%"}
    )
    evaluation = evaluate_period(requests_agreement(objective), tmp_path)

    (finding,) = evaluation.consistency
    assert finding.outcome is outcome
    assert finding.spread == Decimal(us_bad) / 20
    assert (finding.worst_scope, finding.best_scope) == ("region=us", "region=eu")


# -- error budgets and burn rates -------------------------------------------------------

FAST_BURN = "page: 2% of budget in 1h"


def burn_agreement() -> Agreement:
    return requests_agreement(availability(target="99.9%", tolerance="99%"))


def test_a_burn_rate_alert_fires_when_both_windows_burn_too_fast(tmp_path: Path) -> None:
    # 4 bad of 100 in the last five minutes: a burn rate of 40 over 5m and 1h, above
    # 2% × 745 h / 1 h = 14.9.
    recent = MID_OCTOBER - dt.timedelta(minutes=4)
    rows = spread(utc(2026, 10, 2), 1000, 200)
    rows += [(recent, "eu", 200)] * 96 + [(recent, "eu", 500)] * 4
    write_requests(tmp_path, rows)
    verdict = only(evaluate_period(burn_agreement(), tmp_path, as_of=MID_OCTOBER))

    assert verdict.budget is not None
    assert any(alert.startswith(FAST_BURN) for alert in verdict.budget.alerts)


def test_a_burn_rate_alert_stays_quiet_when_only_the_long_window_burns(tmp_path: Path) -> None:
    # The bad events are 50 minutes old: the 1h window burns at 20, the 5m one not at all.
    earlier = MID_OCTOBER - dt.timedelta(minutes=50)
    recent = MID_OCTOBER - dt.timedelta(minutes=2)
    rows = spread(utc(2026, 10, 2), 1000, 200)
    rows += [(earlier, "eu", 200)] * 96 + [(earlier, "eu", 500)] * 4 + [(recent, "eu", 200)] * 100
    write_requests(tmp_path, rows)
    verdict = only(evaluate_period(burn_agreement(), tmp_path, as_of=MID_OCTOBER))

    assert verdict.budget is not None
    assert not any(alert.startswith(FAST_BURN) for alert in verdict.budget.alerts)


OCTOBER_START = dt.datetime(2026, 10, 1, tzinfo=BERLIN).astimezone(dt.UTC)


def steady(minutes: int, bad_every: int) -> list[Row]:
    """An event a minute from the start of October, every ``bad_every``-th one bad."""
    return [
        (OCTOBER_START + dt.timedelta(minutes=i), "eu", 500 if i % bad_every == 0 else 200)
        for i in range(minutes)
    ]


def steady_agreement() -> Agreement:
    return requests_agreement(availability(target="95%", tolerance="90%"))


@pytest.mark.parametrize("hours", [1, 24, 240, 372, 500, 744])
def test_at_exactly_the_allowed_error_rate_the_budget_burns_at_one_and_lasts(
    tmp_path: Path, hours: int
) -> None:
    # 5% errors against a 95% target (one minute in 20), at every point of the 745-hour
    # October (the case is 0.1% against 99.9%; 5% keeps every hour exact).
    write_requests(tmp_path, steady(hours * 60, 20))
    as_of = OCTOBER_START + dt.timedelta(hours=hours)
    budget = only(evaluate_period(steady_agreement(), tmp_path, as_of=as_of)).budget

    assert budget is not None
    assert budget.burn_rate == 1
    assert budget.consumed_ratio == Decimal(hours) / 745
    assert budget.window_events == 745 * 60
    assert budget.allowed_events == 745 * 3
    assert budget.projected_exhaustion_at is None
    assert budget.alerts == ()
    # Every look-back of whole hours (1h, 2h, 6h, 1d, 3d) burns at 1 too.
    assert [rate.rate for rate in budget.burn_rates if rate.span >= dt.timedelta(hours=1)] == [
        1
    ] * 5


def test_the_budget_of_an_open_window_projects_when_it_runs_out(tmp_path: Path) -> None:
    # Twice the allowed error rate: the budget lasts half the window, 372.5 hours.
    write_requests(tmp_path, steady(240 * 60, 10))
    as_of = OCTOBER_START + dt.timedelta(hours=240)
    budget = only(evaluate_period(steady_agreement(), tmp_path, as_of=as_of)).budget

    assert budget is not None
    assert budget.burn_rate == 2
    assert budget.consumed_ratio == Decimal(480) / 745
    assert budget.projected_exhaustion_at == OCTOBER_START + dt.timedelta(hours=372, minutes=30)
    assert "14,400 valid events in 10 days of 31.04 days → 44700 expected" in budget.method


def test_declared_alert_pairs_replace_the_workbooks(tmp_path: Path) -> None:
    recent = MID_OCTOBER - dt.timedelta(minutes=4)
    rows = spread(utc(2026, 10, 2), 1000, 200)
    rows += [(recent, "eu", 200)] * 96 + [(recent, "eu", 500)] * 4
    write_requests(tmp_path, rows)
    declared = [{"name": "page: 90% in 2h", "long": "2h", "short": "10m", "budget": "90%"}]
    agreement = requests_agreement(
        availability(target="99.9%", tolerance="99%", burn_alerts=declared)
    )
    budget = only(evaluate_period(agreement, tmp_path, as_of=MID_OCTOBER)).budget

    # 4 of 100 over the last 2h and 10m: a burn of 40, below 90% × 745h / 2h = 335.25.
    assert budget is not None
    assert budget.alerts == ()
    assert [(r.span, r.rate) for r in budget.burn_rates] == [
        (dt.timedelta(minutes=10), 40),
        (dt.timedelta(hours=2), 40),
    ]


def test_consistency_compares_regions_within_each_value_of_the_other_scope_dimensions(
    tmp_path: Path,
) -> None:
    columns = {**REQUESTS_SOURCE["columns"], "service": {"column": "service", "type": "string"}}
    # Within each service the regions agree (api 100%, db 90%), although api in eu and
    # db in us are 10 points apart.
    rows: list[list[Any]] = []
    for service, bad in (("api", 0), ("db", 1)):
        for region in ("eu", "us"):
            rows += [[MID_OCTOBER, region, 200, None, "provider", service]] * (10 - bad)
            rows += [[MID_OCTOBER, region, 500, None, "provider", service]] * bad
    header = ["at", "region", "status", "latency_ms", "blame", "service"]
    write_csv(tmp_path, "requests", header, rows)
    objective = availability(
        target="50%",
        tolerance="50%",
        scope=["region", "service"],
        consistency={"across": "region", "max_spread": "5%"},
    )
    agreement = requests_agreement(objective, requests={**REQUESTS_SOURCE, "columns": columns})
    evaluation = evaluate_period(agreement, tmp_path)

    assert [(f.worst_scope, f.spread, f.outcome) for f in evaluation.consistency] == [
        ("region=eu, service=api", 0, Outcome.MET),
        ("region=eu, service=db", 0, Outcome.MET),
    ]


@pytest.mark.parametrize("method", ["exact", "approximate"])
def test_a_percentile_states_its_method_in_the_formula(tmp_path: Path, method: str) -> None:
    rows: list[Row] = [
        (MID_OCTOBER + dt.timedelta(seconds=ms), "eu", 200, ms, "provider") for ms in range(1, 1001)
    ]
    write_requests(tmp_path, rows)
    tail = {**P90_LATENCY, "method": method}
    objective = {
        "id": "latency",
        "name": "Latency",
        "indicator": "tail",
        "target": "950ms",
        "tolerance": "1s",
        "window": "month",
    }
    evaluation = evaluate_period(requests_agreement(objective, indicators=[tail]), tmp_path)
    verdict = only(evaluation, "latency")

    assert verdict.value is not None
    if method == "exact":
        assert verdict.value == Decimal("0.9")
        assert "⌈90/100 × n⌉-th smallest" in verdict.formula
    else:
        assert abs(verdict.value - Decimal("0.9")) <= Decimal("0.01")
        assert "t-digest" in verdict.formula
    assert verdict.outcome is Outcome.MET


def test_announced_periods_lists_what_the_maintenance_source_announces(tmp_path: Path) -> None:
    write_maintenance(
        tmp_path,
        [
            (utc(2026, 10, 5, 10, 30), utc(2026, 10, 5, 11, 30), utc(2026, 9, 1)),
            (utc(2026, 11, 15, 1), utc(2026, 11, 15, 3), utc(2026, 11, 1)),
        ],
    )
    agreement = uptime_agreement(
        "excluded", sources=[MAINTENANCE_SOURCE], exclusions=[maintenance_exclusion()]
    )
    found = announced_periods(agreement, ["planned"], FileReader(), tmp_path, {})
    assert [(p.start_at, p.end_at, p.announced_at) for p in found["planned"]] == [
        (utc(2026, 10, 5, 10, 30), utc(2026, 10, 5, 11, 30), utc(2026, 9, 1)),
        (utc(2026, 11, 15, 1), utc(2026, 11, 15, 3), utc(2026, 11, 1)),
    ]
    assert announced_periods(agreement, [], FileReader(), tmp_path, {}) == {}


# -- pushed sources -------------------------------------------------------------------
# Evaluated from their committed batch files, exactly like the same rows in a file.

PUSHED_COLUMNS = {
    "at": {"column": "ts", "type": "timestamp"},
    "id": {"column": "request_id", "type": "string"},
    "region": {"column": "region", "type": "string"},
    "status": {"column": "http_status", "type": "integer"},
    "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
}
PUSHED_INDICATORS = [
    {"id": "success", "name": "Success", "kind": "ratio", "source": "requests",
     "good": "status < 500"},
    {"id": "fast", "name": "Fast", "kind": "threshold", "source": "requests",
     "measure": "latency", "threshold": "800ms"},
    {"id": "tail", "name": "p90 latency", "kind": "percentile", "source": "requests",
     "measure": "latency", "percentile": 90},
    {"id": "uptime", "name": "Uptime", "kind": "timeslice", "source": "requests",
     "slice": "1h", "good": "status < 500", "slice_target": "90%", "no_traffic": "good"},
]  # fmt: skip
PUSHED_OBJECTIVES = [
    {"id": "availability", "name": "Availability", "indicator": "success", "target": "97.5%",
     "tolerance": "95%", "window": "month", "scope": ["region"]},
    {"id": "speed", "name": "Speed", "indicator": "fast", "target": "80%",
     "tolerance": "75%", "window": "week"},
    {"id": "tail", "name": "Tail", "indicator": "tail", "target": "800ms",
     "tolerance": "1s", "window": "month", "scope": ["region"]},
    {"id": "uptime", "name": "Uptime", "indicator": "uptime", "target": "99%",
     "tolerance": "95%", "window": "month"},
]  # fmt: skip


def pushed_agreement(
    source: dict[str, Any], objectives: list[dict[str, Any]] = PUSHED_OBJECTIVES
) -> Agreement:
    requests = {"id": "requests", "kind": "events", "timestamp": "at", "key": "id", **source}
    return agreement_of(
        {
            "sources": [{**requests, "columns": PUSHED_COLUMNS}],
            "indicators": PUSHED_INDICATORS,
            "objectives": objectives,
        }
    )


def pushed_events(count: int) -> list[dict[str, Any]]:
    """Deterministic events over October 2026, some failing, some slow, zones mixed."""
    start = utc(2026, 9, 28)
    return [
        {
            "ts": start + dt.timedelta(minutes=97 * i + i % 7),
            "request_id": f"req-{i:05d}",
            "region": ("eu", "us", "apac")[i % 3],
            "http_status": 503 if i % 41 == 0 or (i % 3 == 1 and i % 17 == 0) else 200,
            "latency_ms": 120 + (i * 37) % 900 if i % 11 else 800,
        }
        for i in range(count)
    ]


def as_pushed(rows: list[dict[str, Any]]) -> list[dict[str, object]]:
    """Events as a client sends them: instants as zoned text."""
    return [{**row, "ts": show_instant(row["ts"], i % 3)} for i, row in enumerate(rows)]


def run_pushed(agreement: Agreement, data_dir: Path, pushed: dict[str, list[Path]]) -> Evaluation:
    period = parse_period("2026-10", agreement.timezone)
    request = EvaluationRequest(
        reader=FileReader(),
        data_dir=data_dir,
        period=period,
        as_of=period.end_at,
        policy=BadRowPolicy.REJECT,
        pushed=pushed,
    )
    return evaluate(agreement, request)


def pushed_summary(evaluation: Evaluation) -> list[tuple[object, ...]]:
    return [
        (
            v.objective,
            v.scope_label,
            v.window.label,
            v.outcome,
            v.value,
            v.counts,
            v.coverage,
            v.computation,
            v.budget,
        )
        for v in evaluation.verdicts
    ]


def test_a_pushed_source_evaluates_from_its_batches_like_the_same_events_in_a_csv_file(
    tmp_path: Path,
) -> None:
    rows = pushed_events(600)
    write_rows(tmp_path, "requests", "csv", rows)
    from_file = run_pushed(
        pushed_agreement({"format": "csv", "path": "requests.csv"}), tmp_path, {}
    )

    batches: list[Path] = []
    held: set[str] = set()
    pushed = as_pushed(rows)
    for index, start in enumerate(range(0, len(pushed), 250)):
        result = write_batch(
            source=pushed_agreement({"format": "push"}).sources[0],
            events=pushed[start : start + 300],  # overlapping: retried events are dropped
            batch_dir=tmp_path / "batches",
            batch_id=f"batch-{index}",
            known=held.intersection,
            policy=BadRowPolicy.REJECT,
            quarantine_dir=None,
        )
        assert result.path is not None
        batches.append(result.path)
        held.update(result.keys)
    from_batches = run_pushed(pushed_agreement({"format": "push"}), tmp_path, {"requests": batches})

    assert len(batches) == 3
    assert from_batches.sources[0].rows_accepted == 600
    assert from_batches.sources[0].files == [str(path) for path in batches]
    assert {v.outcome for v in from_file.verdicts} == {
        Outcome.MET,
        Outcome.DEVIATION,
        Outcome.BREACH,
    }
    assert pushed_summary(from_batches) == pushed_summary(from_file)
    assert len(from_batches.verdicts) == len(from_file.verdicts) > 8


def test_a_pushed_source_without_batches_has_no_data_not_an_error(tmp_path: Path) -> None:
    unscoped = [{**objective, "scope": []} for objective in PUSHED_OBJECTIVES]
    evaluation = run_pushed(pushed_agreement({"format": "push"}, unscoped), tmp_path, {})

    assert evaluation.verdicts
    assert {v.outcome for v in evaluation.verdicts} == {Outcome.NO_DATA}
    assert all(v.value is None for v in evaluation.verdicts)
    (report,) = evaluation.sources
    assert (report.source, report.files, report.rows_read) == ("requests", [], 0)


def test_an_empty_batch_list_is_no_data_too(tmp_path: Path) -> None:
    unscoped = [{**PUSHED_OBJECTIVES[0], "scope": []}]
    evaluation = run_pushed(
        pushed_agreement({"format": "push"}, unscoped), tmp_path, {"requests": []}
    )

    assert [v.outcome for v in evaluation.verdicts] == [Outcome.NO_DATA]


def test_a_scoped_objective_without_any_data_is_reported_not_dropped(tmp_path: Path) -> None:
    result = run_pushed(pushed_agreement({"format": "push"}), tmp_path, {})
    silent = [v for v in result.verdicts if v.objective == "availability"]
    assert [v.outcome for v in silent] == [Outcome.NO_DATA]
    assert silent[0].scope == {"region": "(none seen)"}
