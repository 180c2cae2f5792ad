"""Throughput: the share of periods with at least a minimum of events ("at least 10,000
authorisations per hour"), judged on hours and on the local days of the time zone."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.verdicts import Outcome, Verdict
from tests.engine.builders import (
    BERLIN,
    MAINTENANCE_SOURCE,
    agreement_of,
    document,
    evaluate_period,
    utc,
    write_csv,
)

EVENTS = {
    "id": "authorisations",
    "kind": "events",
    "format": "csv",
    "path": "authorisations.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "at", "type": "timestamp"},
        "status": {"column": "status", "type": "string"},
    },
}


def throughput(**changes: Any) -> dict[str, Any]:
    return {
        "id": "per-hour",
        "name": "Authorisations per hour",
        "kind": "throughput",
        "source": "authorisations",
        "per": "1h",
        "minimum": 3,
        **changes,
    }


def sections(indicator: dict[str, Any], window: str = "day", **more: Any) -> dict[str, Any]:
    objective = {
        "id": "throughput",
        "name": "Hourly throughput",
        "indicator": indicator["id"],
        "target": "100%",
        "tolerance": "90%",
        "window": window,
    }
    return {
        "sources": [EVENTS, *more.pop("sources", [])],
        "indicators": [indicator],
        "objectives": [objective],
        **more,
    }


def agreement(indicator: dict[str, Any], window: str = "day", **more: Any) -> Agreement:
    return agreement_of(sections(indicator, window, **more))


def write_events(folder: Path, instants: list[dt.datetime], status: str = "approved") -> None:
    write_csv(folder, "authorisations", ["at", "status"], [[at, status] for at in instants])


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=BERLIN)


def judged(agreement: Agreement, folder: Path, period: str = "2026-10-05") -> Verdict:
    [verdict] = evaluate_period(agreement, folder, period).verdicts
    return verdict


def test_an_hour_short_of_the_minimum_or_without_events_falls_short(tmp_path: Path) -> None:
    instants = [local(5, hour, m) for hour in range(20) for m in (1, 2, 3)]
    instants += [local(5, hour, m) for hour in (20, 21) for m in (1, 2)]  # two short hours
    write_events(tmp_path, instants)  # 22:00 and 23:00 have no event at all

    verdict = judged(agreement(throughput()), tmp_path)

    assert verdict.counts == {"good": 20, "valid": 24, "events": 64}
    assert verdict.value == Decimal(20) / 24
    assert verdict.outcome is Outcome.BREACH
    assert "20 of 24 counted periods of 1 hour had at least 3 events" in verdict.computation
    assert "2 without events" in verdict.computation


def test_every_hour_at_the_minimum_is_met(tmp_path: Path) -> None:
    write_events(tmp_path, [local(5, hour, m) for hour in range(24) for m in (0, 20, 40)])

    verdict = judged(agreement(throughput()), tmp_path)

    assert (verdict.value, verdict.outcome) == (1, Outcome.MET)


def test_only_the_events_the_indicator_selects_count(tmp_path: Path) -> None:
    write_events(tmp_path, [local(5, hour, m) for hour in range(24) for m in (0, 20, 40)])
    declined = tmp_path / "authorisations.csv"
    lines = declined.read_text(encoding="utf-8").splitlines()
    # Every hour's first event declined: two approved a hour, below the minimum of three.
    lines = [lines[0]] + [
        line.replace("approved", "declined") if i % 3 == 0 else line
        for i, line in enumerate(lines[1:])
    ]
    declined.write_text("\n".join(lines) + "\n", encoding="utf-8")

    verdict = judged(agreement(throughput(where="status = 'approved'")), tmp_path)

    assert verdict.counts["good"] == 0
    assert verdict.counts["events"] == 48


def test_a_window_without_any_event_is_no_data_not_a_breach(tmp_path: Path) -> None:
    write_events(tmp_path, [local(6, 12)])

    verdict = judged(agreement(throughput()), tmp_path)

    assert verdict.value is None
    assert verdict.outcome is Outcome.NO_DATA


def test_an_hour_touched_by_maintenance_is_left_out_whole(tmp_path: Path) -> None:
    write_events(tmp_path, [local(5, hour, m) for hour in range(24) for m in (0, 20, 40)])
    lines = (tmp_path / "authorisations.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "T08:" not in line]  # 10:00 Berlin is 08:00 UTC
    (tmp_path / "authorisations.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    write_csv(
        tmp_path,
        "maintenance",
        ["starts_at", "ends_at", "announced_at"],
        [[local(5, 10, 15), local(5, 10, 45), utc(2026, 9, 1)]],
    )
    maintenance = {
        "id": "planned-maintenance",
        "kind": "maintenance",
        "description": "Announced maintenance.",
        "source": "maintenance",
        "notice": "5 days",
        "monthly_cap": "4h",
    }
    verdict = judged(
        agreement(throughput(), sources=[MAINTENANCE_SOURCE], exclusions=[maintenance]),
        tmp_path,
    )

    assert verdict.exclusions == {"periods": 1}
    assert verdict.counts["valid"] == 23
    assert verdict.value == 1


def test_per_day_counts_the_local_days_across_the_daylight_saving_change(tmp_path: Path) -> None:
    # Two events every local day of October: at 00:30 and 23:30 Berlin time. Days cut every
    # 24 hours from 1 October would split them after the 25-hour 25 October.
    instants = [local(day, hour, 30) for day in range(1, 32) for hour in (0, 23)]
    write_events(tmp_path, instants)
    daily = throughput(id="per-day", per="1d", minimum=2)

    verdict = judged(agreement(daily, window="month"), tmp_path, period="2026-10")

    assert verdict.counts == {"good": 31, "valid": 31, "events": 62}
    assert verdict.outcome is Outcome.MET


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"per": "30s"}, "must be a fixed length from 1 minute to 1 day"),
        ({"per": "1 month"}, "must be a fixed length from 1 minute to 1 day"),
        ({"minimum": 0}, "minimum"),
    ],
)
def test_a_period_or_minimum_out_of_range_is_a_located_problem(
    change: dict[str, object], message: str
) -> None:
    text = json.dumps(document(sections(throughput(**change))))
    loaded = load_agreement(text, "throughput.yaml")

    assert not loaded.ok
    assert any(message in str(problem) for problem in loaded.problems)


def test_the_signed_document_says_what_is_counted() -> None:
    indicator = agreement(throughput(minimum=10_000)).indicators[0]

    assert indicator.in_words() == (
        "the share of periods of 1 hour in which at least 10,000 events arrived "
        "(a period without events falls short)"
    )
    assert indicator.counts == "periods"
