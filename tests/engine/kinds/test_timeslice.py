"""Time slices: the share of good slices, a slice good when its share of good events reaches
the slice target; slices without traffic count as the rule says; a slice touched by
maintenance is left out whole; during a peak only the peak's slices count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from accord.core.verdicts import Outcome
from tests.engine.builders import BERLIN, MAINTENANCE_SOURCE, evaluate_period, utc
from tests.engine.requests import (
    MID_OCTOBER,
    P90_LATENCY,
    UPTIME,
    Row,
    availability,
    maintenance_exclusion,
    only,
    requests_agreement,
    spread,
    uptime_agreement,
    verdicts_of,
    write_maintenance,
    write_requests,
)


def test_a_percentile_measured_beside_time_slices_keeps_its_coverage_and_exclusions(
    tmp_path: Path,
) -> None:
    rows: list[Row] = [
        (utc(2026, 10, day, 12) + dt.timedelta(minutes=m), "eu", 200, 100 + m, "provider")
        for day in (5, 6, 7)
        for m in range(10)
    ]
    write_requests(tmp_path, [*rows, (utc(2026, 10, 8, 12), "eu", 200, 5000, "consumer")])
    latency = {**availability(indicator="tail", target="200ms", tolerance="1s"), "id": "latency"}
    blame = {
        "id": "consumer-caused",
        "kind": "consumer_caused",
        "description": "Requests the buyer broke.",
        "source": "requests",
        "where": "blame = 'consumer'",
    }
    agreement = requests_agreement(
        latency,
        availability(indicator="uptime", id="uptime", target="99%", tolerance="50%"),
        indicators=[P90_LATENCY, {**UPTIME, "no_traffic": "good"}],
        exclusions=[blame],
    )
    verdict = only(evaluate_period(agreement, tmp_path), "latency")

    assert verdict.value == Decimal("0.108")  # the consumer's 5 s request is left out
    assert verdict.coverage.detail == "4 of 31 days"  # its excluded row still counts a day
    assert verdict.exclusions == {"events": 1}


@pytest.mark.parametrize(
    ("rule", "good", "counted"),
    [("good", 744, 745), ("bad", 4, 745), ("excluded", 4, 5)],
)
def test_time_slices_without_traffic_count_as_the_rule_says(
    tmp_path: Path, rule: str, good: int, counted: int
) -> None:
    rows: list[Row] = []
    for hour in range(4):
        rows += spread(utc(2026, 10, 2, hour), 10, 200)
    rows += spread(utc(2026, 10, 3), 9, 200) + [(utc(2026, 10, 3, 0, 30), "eu", 500)] * 2
    write_requests(tmp_path, rows)
    verdict = only(evaluate_period(uptime_agreement(rule), tmp_path))

    assert verdict.counts["good"] == good
    assert verdict.counts["valid"] == counted
    assert verdict.value == Decimal(good) / counted
    assert f"counted as {rule}" in verdict.computation


@pytest.mark.parametrize("rule", ["good", "bad", "excluded"])
def test_a_scope_without_any_traffic_has_no_data_under_every_rule(
    tmp_path: Path, rule: str
) -> None:
    write_requests(tmp_path, [*spread(MID_OCTOBER, 3, 200), (utc(2026, 9, 1), "us", 200)])
    verdicts = verdicts_of(evaluate_period(uptime_agreement(rule), tmp_path))

    assert verdicts["region=eu"].value is not None
    assert verdicts["region=us"].value is None
    assert verdicts["region=us"].outcome is Outcome.NO_DATA


def test_a_slice_touched_by_maintenance_is_excluded_whole(tmp_path: Path) -> None:
    # Bad events at 10:05 and 11:45 UTC; maintenance 10:30-11:30 covers part of both slices.
    write_requests(
        tmp_path,
        [
            *spread(utc(2026, 10, 5, 9), 10, 200),
            (utc(2026, 10, 5, 10, 5), "eu", 500),
            (utc(2026, 10, 5, 11, 45), "eu", 500),
        ],
    )
    write_maintenance(
        tmp_path, [(utc(2026, 10, 5, 10, 30), utc(2026, 10, 5, 11, 30), utc(2026, 9, 1))]
    )
    agreement = uptime_agreement(
        "excluded", sources=[MAINTENANCE_SOURCE], exclusions=[maintenance_exclusion()]
    )
    verdict = only(evaluate_period(agreement, tmp_path))

    assert verdict.exclusions == {"slices": 2}
    assert verdict.counts["good"] == 1
    assert verdict.counts["valid"] == 1
    assert verdict.value == 1


def test_time_slices_during_a_peak_period_count_only_the_peak_slices(tmp_path: Path) -> None:
    # Weekdays 09:00-17:00 in Berlin: 22 weekdays in October 2026, 8 hourly slices each.
    write_requests(tmp_path, spread(dt.datetime(2026, 10, 5, 10, tzinfo=BERLIN), 10, 200))
    peak = {
        "id": "office-hours",
        "timezone": "Europe/Berlin",
        "hours": {"weekdays": ["09:00-17:00"]},
    }
    objective = availability(
        indicator="uptime", target="99%", tolerance="50%", during="office-hours"
    )
    agreement = requests_agreement(
        objective, indicators=[{**UPTIME, "no_traffic": "bad"}], peak_periods=[peak]
    )
    verdict = only(evaluate_period(agreement, tmp_path))

    assert (verdict.counts["good"], verdict.counts["valid"]) == (1, 176)
