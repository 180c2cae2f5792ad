"""Checks of the indicators that measure incidents and obligations read from a file: the
instants they count between are timestamp columns of the source, and the duties they count
are kinds the service records."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model import Agreement
from accord.core.validation.recorded import check_recorded_indicators
from accord.core.validation.refs import Finding, Refs
from tests.engine.builders import document


def incidents_file(**columns: str) -> dict[str, Any]:
    return {
        "id": "incident-file",
        "kind": "incidents",
        "format": "csv",
        "path": "incidents.csv",
        "timestamp": "reported_at",
        "columns": {
            name: {"column": name, "type": kind}
            for name, kind in {"reported_at": "timestamp", **columns}.items()
        },
    }


def restore_time(**fields: Any) -> dict[str, Any]:
    return {
        "id": "restore",
        "name": "Mean time to restore",
        "kind": "incident_metric",
        "source": "incident-file",
        "metric": "mttr",
        **fields,
    }


def run(sources: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> list[Finding]:
    model = Agreement.model_validate(document({"sources": sources, "indicators": indicators}))
    return list(check_recorded_indicators(model, Refs(model, frozenset(), frozenset())))


def test_an_incident_file_with_both_instants_as_timestamps_is_accepted() -> None:
    source = incidents_file(impact_started_at="timestamp", resolved_at="timestamp")

    assert run([source], [restore_time()]) == []


def test_the_first_instant_of_the_metric_is_what_must_be_there() -> None:
    """Counted from the impact start by default, with stand-ins (detection, report) read
    when present: the impact start itself is the column the file must map."""
    source = incidents_file(detected_at="timestamp", resolved_at="timestamp")

    (finding,) = run([source], [restore_time()])

    assert finding.path == ("indicators", 0, "source")
    assert finding.message == (
        "source 'incident-file' has no column 'impact_started_at', which this indicator reads"
    )
    assert finding.hint == (
        "map it under the source's columns, e.g. impact_started_at: "
        "{column: impact_started_at, type: timestamp}"
    )


@pytest.mark.parametrize(
    ("since", "metric", "start"),
    [("reported", "mttr", "reported_at"), ("detected", "mtta", "detected_at")],
)
def test_counted_from_another_instant_that_one_is_read(since: str, metric: str, start: str) -> None:
    end = "resolved_at" if metric == "mttr" else "acknowledged_at"
    source = incidents_file(**{start: "timestamp", end: "timestamp"})

    assert run([source], [restore_time(since=since, metric=metric)]) == []


def test_an_instant_mapped_as_text_is_refused_with_the_type_to_set() -> None:
    source = incidents_file(impact_started_at="timestamp", resolved_at="string")

    (finding,) = run([source], [restore_time()])

    assert finding.message == (
        "column 'resolved_at' of source 'incident-file' is a string column, not timestamp"
    )
    assert finding.hint == "set type: timestamp"


def duties_file(**columns: str) -> dict[str, Any]:
    return {
        "id": "duties",
        "kind": "obligations",
        "format": "csv",
        "path": "duties.csv",
        "timestamp": "due_at",
        "columns": {
            name: {"column": name, "type": kind}
            for name, kind in {"due_at": "timestamp", **columns}.items()
        },
    }


def on_time(*obligations: str) -> dict[str, Any]:
    return {
        "id": "updates-on-time",
        "name": "Updates on time",
        "kind": "obligations_on_time",
        "source": "duties",
        "obligations": list(obligations),
    }


def test_duties_are_counted_by_kind_and_state_as_text() -> None:
    found = run([duties_file(kind="string", state="integer")], [on_time("update")])

    assert [f.message for f in found] == [
        "column 'state' of source 'duties' is an integer column, not string",
    ]


def test_an_obligation_kind_the_service_does_not_record_is_placed_and_the_kinds_listed() -> None:
    found = run([duties_file(kind="string", state="string")], [on_time("update", "status")])

    (finding,) = found
    assert finding.path == ("indicators", 0, "obligations", 1)
    assert finding.message == "no obligation kind 'status'"
    assert "update" in finding.hint.removeprefix("the kinds are ").split(", ")


def test_an_indicator_on_an_unknown_source_is_left_to_the_reference_check() -> None:
    unknown = restore_time(source="nowhere")

    found = run([duties_file(kind="string", state="string")], [unknown, on_time("nonsense")])

    assert [f.path for f in found] == [("indicators", 1, "obligations", 0)]
