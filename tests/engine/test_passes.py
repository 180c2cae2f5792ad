"""How a batch of objectives sharing rows is measured: which statements, over which units.

The numbers themselves are held to the oracle in ``test_oracle.py`` (time slices next to a
ratio and a percentile, with and without a peak period, with slices that nest in local
days and slices that do not); here the plan is checked: one scan where one suffices.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model import Agreement
from accord.core.periods import WindowSpan, parse_period, windows_in_period
from accord.engine.passes import BatchPlan, plan_batch
from accord.engine.queries import ObjectiveQuery, Restrictions
from tests.engine.builders import agreement_of

PROBES = {
    "id": "probes",
    "kind": "probes",
    "format": "csv",
    "path": "probes.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "ok": {"column": "ok", "type": "boolean"},
        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
    },
}
SLICES = {"kind": "timeslice", "good": "ok = true", "slice_target": "95%", "no_traffic": "good"}
INDICATORS = {
    "answered": {"kind": "ratio", "good": "ok = true"},
    "fast": {"kind": "threshold", "measure": "latency", "threshold": "300ms"},
    "p90": {"kind": "percentile", "measure": "latency", "percentile": 90},
    "uptime": {**SLICES, "slice": "1m"},
    "uptime-7m": {**SLICES, "slice": "7m"},
    "uptime-1h": {**SLICES, "slice": "1h"},
}
TARGETS = {"p90": ("800ms", "1500ms")}


def agreement(objectives: list[str], timezone: str = "Europe/Berlin", **extra: Any) -> Agreement:
    """One objective per name, on the indicator of that name ('answered#2' is a second
    objective on 'answered'), all per region over a month."""
    indicators = list(dict.fromkeys(name.split("#")[0] for name in objectives))
    sections: dict[str, Any] = {
        "timezone": timezone,
        "sources": [PROBES],
        "indicators": [
            {"id": name, "name": name, "source": "probes", **INDICATORS[name]}
            for name in indicators
        ],
        "objectives": [
            {
                "id": name.replace("#", "-"),
                "name": name,
                "indicator": name.split("#")[0],
                "target": TARGETS.get(name, ("99%", "95%"))[0],
                "tolerance": TARGETS.get(name, ("99%", "95%"))[1],
                "window": "month",
                "scope": ["region"],
                **extra,
            }
            for name in objectives
        ],
    }
    if "during" in extra:
        sections["peak_periods"] = [
            {"id": "office", "timezone": timezone, "hours": {"weekdays": ["09:00-17:00"]}}
        ]
    return agreement_of(sections)


def plan(model: Agreement) -> tuple[BatchPlan, WindowSpan]:
    window = model.objectives[0].window
    span = windows_in_period(window, parse_period("2026-10", model.timezone))[0]
    peaks = {peak.id: peak for peak in model.peak_periods}
    queries = []
    for objective in model.objectives:
        indicator = next(i for i in model.indicators if i.id == objective.indicator)
        restrictions = Restrictions(model.timezone, peaks.get(objective.during or ""))
        queries.append(ObjectiveQuery(objective, indicator, model.sources[0], restrictions))
    return plan_batch(span, queries), span


def test_time_slices_carry_the_counts_of_the_objectives_sharing_their_rows() -> None:
    batch, _ = plan(agreement(["answered", "fast", "uptime"]))

    assert batch.apart == ()
    (statement,) = batch.statements
    assert "__slice" in statement
    assert "o0_good" in statement
    assert "o1_good" in statement
    assert "o2_good_slices" in statement
    # One local-day count for the counts, one for the kept slices: both from the slices.
    assert statement.count("count(DISTINCT") == 2


def test_a_percentile_next_to_time_slices_has_its_own_per_scope_statement() -> None:
    batch, _ = plan(agreement(["answered", "p90", "uptime"]))

    sliced, per_scope = batch.statements
    assert "quantile_disc" in per_scope
    assert "__slice" not in per_scope
    # The slices need not read the latency column: the percentile's counts stay with it.
    assert "latency" not in sliced
    assert "o1_valid" in per_scope
    assert "o1_valid" not in sliced


def test_equal_aggregates_are_taken_once_per_slice() -> None:
    batch, _ = plan(agreement(["answered", "answered#2", "uptime"]))

    (statement,) = batch.statements
    outer, inner = statement.split("FROM (SELECT", 1)
    # The two ratio objectives and the slices share one partial count of good probes.
    assert inner.count("count(*) FILTER (WHERE coalesce((ok = TRUE), false))") == 1
    assert inner.count("count(*) AS") == 1
    assert "o0_good" in outer
    assert "o1_good" in outer


@pytest.mark.parametrize(
    ("slicer", "timezone"),
    [
        ("uptime-7m", "Europe/Berlin"),  # 7 minutes do not divide the day
        # Clocks go forward half an hour on 4 October: later local days start mid-slice.
        ("uptime-1h", "Australia/Lord_Howe"),
    ],
)
def test_slices_that_straddle_local_midnight_are_measured_apart(slicer: str, timezone: str) -> None:
    batch, _ = plan(agreement(["answered", slicer], timezone))

    assert batch.apart == (1,)
    (statement,) = batch.statements
    assert "__day" in statement
    assert "__slice" not in statement


@pytest.mark.parametrize("timezone", ["America/New_York", "Asia/Kathmandu"])
def test_hour_slices_nest_in_the_days_of_a_zone_whose_offset_moves_by_hours(timezone: str) -> None:
    # Slices are cut from the window's start, a local midnight, even at UTC+5:45.
    batch, _ = plan(agreement(["answered", "uptime-1h"], timezone))

    assert batch.apart == ()
    assert "__slice" in batch.statements[0]


def test_a_peak_period_keeps_time_slices_apart() -> None:
    batch, _ = plan(agreement(["answered", "uptime"], during="office"))

    assert batch.apart == (1,)
    (statement,) = batch.statements
    assert "EXTRACT(isodow" in statement  # the ratio's rows are those at peak instants


def test_counts_alone_are_taken_per_local_day_without_a_distinct_count() -> None:
    batch, _ = plan(agreement(["answered", "fast"]))

    (statement,) = batch.statements
    assert "__day" in statement
    assert "DISTINCT" not in statement


def test_a_percentile_alone_is_one_per_scope_statement() -> None:
    batch, _ = plan(agreement(["p90"]))

    (statement,) = batch.statements
    assert "quantile_disc" in statement
    assert "count(DISTINCT" in statement


def test_time_slices_alone_are_each_measured_by_their_own_statement() -> None:
    batch, _ = plan(agreement(["uptime", "uptime-1h"]))

    assert batch == BatchPlan((), (0, 1))
