"""The drill-down: the bad slices and worst hours behind verdicts, listed by the engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.engine.builders import MAINTENANCE_SOURCE, evaluate_period, utc
from tests.engine.requests import (
    Row,
    availability,
    maintenance_exclusion,
    only,
    requests_agreement,
    spread,
    uptime_agreement,
    write_maintenance,
    write_requests,
)


def _slice_traffic() -> list[Row]:
    """Four good hours on 2 October, a bad hour (2 of 11 failing) at midnight on the 3rd."""
    rows: list[Row] = []
    for hour in range(4):
        rows += spread(utc(2026, 10, 2, hour), 10, 200)
    return rows + spread(utc(2026, 10, 3), 9, 200) + [(utc(2026, 10, 3, 0, 30), "eu", 500)] * 2


@pytest.mark.parametrize("rule", ["good", "bad", "excluded"])
def test_the_bad_slices_listed_are_exactly_the_verdicts_bad_count(
    tmp_path: Path, rule: str
) -> None:
    write_requests(tmp_path, _slice_traffic())
    evaluation = evaluate_period(uptime_agreement(rule), tmp_path, items=True)
    verdict = only(evaluation)

    assert len(evaluation.slices) == verdict.counts["valid"] - verdict.counts["good"]
    below = [s for s in evaluation.slices if s.reason == "below target"]
    assert [(s.start_at, s.end_at, s.events, s.good) for s in below] == [
        (utc(2026, 10, 3), utc(2026, 10, 3, 1), 11, 9)
    ]
    quiet = [s for s in evaluation.slices if s.reason == "no traffic"]
    assert bool(quiet) == (rule == "bad")
    assert all(s.events == 0 and s.good is None for s in quiet)
    assert utc(2026, 10, 2, 4) in {s.start_at for s in quiet} or rule != "bad"


def test_a_slice_left_out_by_maintenance_is_not_listed_as_bad(tmp_path: Path) -> None:
    write_requests(
        tmp_path,
        [
            *spread(utc(2026, 10, 5, 9), 10, 200),
            (utc(2026, 10, 5, 10, 5), "eu", 500),
            (utc(2026, 10, 5, 11, 45), "eu", 500),
            (utc(2026, 10, 5, 14, 45), "eu", 500),
        ],
    )
    write_maintenance(
        tmp_path, [(utc(2026, 10, 5, 10, 30), utc(2026, 10, 5, 11, 30), utc(2026, 9, 1))]
    )
    agreement = uptime_agreement(
        "excluded", sources=[MAINTENANCE_SOURCE], exclusions=[maintenance_exclusion()]
    )
    evaluation = evaluate_period(agreement, tmp_path, items=True)

    assert [(s.start_at, s.events) for s in evaluation.slices] == [(utc(2026, 10, 5, 14), 1)]


def test_throughput_periods_short_of_the_minimum_are_listed_with_their_local_days(
    tmp_path: Path,
) -> None:
    # 25 October 2026 is 25 hours long in Berlin (the clocks go back).
    rows: list[Row] = []
    for day in (24, 25, 26):
        count = 2 if day == 25 else 5
        rows += spread(dt.datetime(2026, 10, day, 12, tzinfo=dt.UTC), count, 200)
    write_requests(tmp_path, rows)
    volume = {
        "id": "volume",
        "name": "Daily volume",
        "kind": "throughput",
        "source": "requests",
        "per": "1d",
        "minimum": 3,
    }
    objective = availability(indicator="volume", target="90%", tolerance="10%")
    evaluation = evaluate_period(
        requests_agreement(objective, indicators=[volume]), tmp_path, items=True
    )
    verdict = only(evaluation)

    assert len(evaluation.slices) == verdict.counts["valid"] - verdict.counts["good"]
    (short,) = [s for s in evaluation.slices if s.events]
    berlin_day = short.end_at - short.start_at
    assert (short.start_at, berlin_day, short.events) == (
        utc(2026, 10, 24, 22),
        dt.timedelta(hours=25),
        2,
    )


def test_the_worst_hours_are_local_hours_across_the_autumn_clock_change(tmp_path: Path) -> None:
    # 00:30 and 01:30 UTC on 25 October are both 02:30 in Berlin: 02:30 summer time, then
    # 02:30 winter time. They are two hours, each with its own offset.
    rows = spread(utc(2026, 10, 25, 0, 10), 3, 500) + spread(utc(2026, 10, 25, 1, 10), 2, 500)
    rows += spread(utc(2026, 10, 25, 2), 10, 200) + spread(utc(2026, 10, 25, 2, 20), 1, 500)
    write_requests(tmp_path, rows)
    evaluation = evaluate_period(requests_agreement(), tmp_path, items=True)

    shown = [(h.hour.isoformat(), h.bad) for h in evaluation.hours]
    assert shown == [
        ("2026-10-25T02:00:00+02:00", 3),
        ("2026-10-25T02:00:00+01:00", 2),
        ("2026-10-25T03:00:00+01:00", 1),
    ]


def test_the_worst_hours_follow_local_hours_in_a_zone_half_an_hour_off_utc(
    tmp_path: Path,
) -> None:
    # Kolkata is UTC+05:30: 08:40 and 09:10 UTC are 14:10 and 14:40 local, one local hour.
    rows = [
        (utc(2026, 10, 6, 8, 40), "eu", 500),
        (utc(2026, 10, 6, 9, 10), "eu", 500),
        (utc(2026, 10, 6, 9, 40), "eu", 500),
    ]
    write_requests(tmp_path, rows)
    sections: dict[str, Any] = {"timezone": "Asia/Kolkata"}
    agreement = requests_agreement(**sections)
    evaluation = evaluate_period(agreement, tmp_path, items=True)

    assert [(h.hour.isoformat(), h.bad) for h in evaluation.hours] == [
        ("2026-10-06T14:00:00+05:30", 2),
        ("2026-10-06T15:00:00+05:30", 1),
    ]
