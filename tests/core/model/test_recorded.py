"""Accord's own records as a source: the incident metrics count from the right instant to
the first recorded end (mitigation stands in for a missing one by resolution), and the
columns each recorded kind provides are typed consistently with what reads them."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model.indicator_base import Direction, ValueKind
from accord.core.model.recorded import (
    INCIDENT_INSTANTS,
    METRICS,
    RECORDED_COLUMNS,
    RECORDED_TIMESTAMP,
    IncidentMetricIndicator,
    ObligationsOnTimeIndicator,
)
from tests.core.model.refused import refusal


def metric(name: str, **changes: Any) -> IncidentMetricIndicator:
    return IncidentMetricIndicator.model_validate(
        {
            "id": name,
            "name": name.upper(),
            "source": "incidents",
            "kind": "incident_metric",
            "metric": name,
            **changes,
        }
    )


def test_an_incident_metric_is_a_time_where_lower_is_better_counted_per_incident() -> None:
    mttr = metric("mttr")

    assert (mttr.value_kind, mttr.direction()) == (ValueKind.DURATION, Direction.LOWER_IS_BETTER)
    assert (mttr.since, mttr.statistic, mttr.counts) == ("impact_started", "mean", "incidents")


@pytest.mark.parametrize(
    ("name", "since", "starts", "ends"),
    [
        ("mttr", "impact_started", ("impact_started_at", "detected_at", "reported_at"),
         ("resolved_at",)),
        ("mtta", "detected", ("detected_at", "reported_at"), ("acknowledged_at",)),
        ("mttm", "reported", ("reported_at",), ("mitigated_at", "resolved_at")),
    ],
)  # fmt: skip
def test_a_metric_runs_from_the_first_recorded_start_to_the_first_recorded_end(
    name: str, since: str, starts: tuple[str, ...], ends: tuple[str, ...]
) -> None:
    indicator = metric(name, since=since)

    assert (indicator.start_columns(), indicator.end_columns()) == (starts, ends)
    # The first of each is read; those standing in are read only when the source has them.
    assert indicator.columns_used() == {starts[0], ends[0]}


def test_a_condition_on_the_incidents_adds_its_columns() -> None:
    assert metric("mtta", where="severity = 'sev1'").columns_used() == {
        "impact_started_at",
        "acknowledged_at",
        "severity",
    }


@pytest.mark.parametrize("since", ["detected", "reported"])
def test_time_to_detect_is_only_counted_from_the_impact_start(since: str) -> None:
    written = metric("mttd").model_dump() | {"since": since}

    assert refusal(IncidentMetricIndicator, written) == (
        ("since",),
        "time to detect is counted from the impact start",
        "remove 'since', or measure another metric",
    )


def test_the_formula_names_every_instant_and_the_words_say_where_time_starts() -> None:
    mttm = metric("mttm", since="reported", statistic="median")

    assert mttm.formula() == (
        "median time to mitigate (MTTM): median of (mitigated_at or resolved_at − reported_at) "
        "over incidents with both, counted from reported"
    )
    assert (
        mttm.in_words()
        == "the median time to mitigate, counted from when the incident was reported"
    )
    assert metric("mttd").in_words() == (
        "the mean time to detect, counted from when customers were first affected"
    )


def test_obligations_on_time_is_a_share_of_duties_of_the_kinds_named() -> None:
    written = {
        "id": "updates-on-time",
        "name": "Status updates on time",
        "source": "duties",
        "kind": "obligations_on_time",
        "obligations": ["update", "review"],
    }
    indicator = ObligationsOnTimeIndicator.model_validate(written)

    assert (indicator.value_kind, indicator.direction()) == (
        ValueKind.RATIO,
        Direction.HIGHER_IS_BETTER,
    )
    assert indicator.counts == "obligations"
    assert indicator.columns_used() == {"kind", "state"}
    assert (
        indicator.in_words()
        == "the share of duties of kind update, review done by their due instant"
    )
    assert refusal(ObligationsOnTimeIndicator, {**written, "obligations": []})[0] == (
        "obligations",
    )


def test_every_instant_a_metric_reads_is_a_recorded_timestamp() -> None:
    incidents = RECORDED_COLUMNS["incidents"]
    read = {column for _, ends in METRICS.values() for column in ends}
    read |= {column for starts in INCIDENT_INSTANTS.values() for column in starts}

    assert {incidents[column] for column in read} == {"timestamp"}


@pytest.mark.parametrize("kind", sorted(RECORDED_COLUMNS))
def test_each_recorded_kind_is_placed_in_time_by_one_of_its_timestamps(kind: str) -> None:
    assert RECORDED_COLUMNS[kind][RECORDED_TIMESTAMP[kind]] == "timestamp"
    assert RECORDED_COLUMNS[kind]["id"] == "integer"  # the key of a recorded source
