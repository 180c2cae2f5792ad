"""Data sources as written: where the rows are, which logical column places them in time,
and the columns each format (files, pushed batches, Prometheus series, ticket exports,
status feeds, Accord's own records) can provide."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model.recorded import RECORDED_COLUMNS
from accord.core.model.sources import Column, Source
from tests.core.model.refused import refusal


@pytest.mark.parametrize("kind", [["incidents"], {"incidents": 1}, None])
def test_a_recorded_source_whose_kind_is_not_a_word_is_refused_at_its_kind(kind: Any) -> None:
    assert refusal(Source, {"id": "records", "format": "recorded", "kind": kind})[0] == ("kind",)


EVENTS: dict[str, Any] = {
    "id": "requests",
    "kind": "events",
    "format": "csv",
    "path": "payments/requests.csv",
    "columns": {"timestamp": {"column": "ts", "type": "timestamp"}},
}


def source(**changes: Any) -> dict[str, Any]:
    return {**EVENTS, **changes}


def test_a_recorded_source_reads_every_recorded_column_under_its_own_name_by_default() -> None:
    incidents = Source.model_validate({"id": "records", "kind": "incidents", "format": "recorded"})
    duties = Source.model_validate({"id": "duties", "kind": "obligations", "format": "recorded"})

    assert (incidents.timestamp, incidents.key) == ("reported_at", "id")
    assert incidents.columns["resolved_at"] == Column(column="resolved_at", type="timestamp")
    assert set(incidents.columns) == set(RECORDED_COLUMNS["incidents"])
    assert (duties.timestamp, duties.key) == ("due_at", "id")


def test_a_recorded_source_may_place_its_rows_by_another_instant_and_map_fewer_columns() -> None:
    columns = {
        "opened": {"column": "impact_started_at", "type": "timestamp"},
        "sev": {"column": "severity", "type": "string"},
    }
    written = {"id": "records", "kind": "incidents", "format": "recorded", "columns": columns}
    found = Source.model_validate({**written, "timestamp": "opened", "key": None})

    assert (found.timestamp, found.key, set(found.columns)) == ("opened", None, {"opened", "sev"})


def test_the_service_records_incidents_and_obligations_only() -> None:
    assert refusal(Source, {"id": "records", "kind": "events", "format": "recorded"}) == (
        ("kind",),
        "the service records incidents and obligations, not events",
        "set kind: incidents or kind: obligations",
    )


def test_a_recorded_column_is_read_under_its_own_type() -> None:
    columns = {"reported_at": {"column": "reported_at", "type": "timestamp"}}
    written = {"id": "records", "kind": "incidents", "format": "recorded"}

    unknown = {**columns, "sla": {"column": "sla_breached", "type": "boolean"}}
    assert refusal(Source, {**written, "columns": unknown})[:2] == (
        ("columns", "sla", "column"),
        "column 'sla_breached' (for sla) is not a column of the recorded incidents",
    )
    retyped = {**columns, "severity": {"column": "severity", "type": "integer"}}
    assert refusal(Source, {**written, "columns": retyped})[:2] == (
        ("columns", "severity", "type"),
        "the recorded column 'severity' is a string column",
    )


def test_a_file_source_needs_a_path_and_a_pushed_one_has_none() -> None:
    assert refusal(Source, {**source(), "path": None}) == (
        (),
        "the csv source 'requests' needs a 'path'",
        "add e.g. path: data/events.csv",
    )
    assert refusal(Source, source(format="push"))[:2] == (
        ("path",),
        "a push source has no path, but 'requests' names 'payments/requests.csv'",
    )
    assert Source.model_validate({**source(format="push"), "path": None}).path is None


def test_the_timestamp_column_must_be_mapped_and_be_a_timestamp() -> None:
    ts = {"column": "ts", "type": "timestamp"}
    assert refusal(Source, source(columns={"at": ts}))[:2] == (
        ("columns",),  # the default name: the fix is to map it
        "timestamp column 'timestamp' is not among the columns",
    )
    assert refusal(Source, source(timestamp="when", columns={"at": ts}))[:2] == (
        ("timestamp",),  # a name written: it may be the typo
        "timestamp column 'when' is not among the columns",
    )
    assert refusal(Source, source(columns={"timestamp": {"column": "ts", "type": "string"}}))[
        :2
    ] == (
        ("columns", "timestamp", "type"),
        "column 'timestamp' places rows in time, so it must have type timestamp",
    )


def test_the_key_column_must_be_mapped() -> None:
    assert refusal(Source, source(key="ticket"))[:2] == (
        ("key",),
        "key column 'ticket' is not among the columns",
    )


def test_only_a_duration_column_has_a_unit_and_it_must_have_one() -> None:
    ts = {"column": "ts", "type": "timestamp"}
    latency = {"column": "latency_ms", "type": "duration"}

    assert refusal(Source, source(columns={"timestamp": ts, "latency": latency}))[1] == (
        "duration column 'latency_ms' needs a unit"
    )
    assert refusal(Column, {"column": "code", "type": "integer", "unit": "ms"})[:2] == (
        ("unit",),
        "only duration columns take a unit; 'code' has type integer",
    )


PROMETHEUS = {"url": "http://prometheus:9090", "events": "requests_total"}
TIME = {"column": "__time__", "type": "timestamp"}


def test_a_prometheus_source_and_its_query_go_together() -> None:
    assert refusal(Source, source(format="prometheus", path=None))[0] == ("format",)
    assert refusal(Source, source(prometheus=PROMETHEUS))[0] == ("prometheus",)


def test_a_prometheus_source_places_rows_by_the_sample_instant() -> None:
    written = source(format="prometheus", path=None, prometheus=PROMETHEUS)
    found = Source.model_validate({**written, "columns": {"timestamp": TIME}})

    assert found.prometheus is not None
    assert refusal(Source, written)[:2] == (
        ("columns", "timestamp", "column"),
        "a Prometheus source places rows by __time__, not 'ts'",
    )


def test_a_prometheus_column_reads_a_label_or_a_reserved_column_its_series_provide() -> None:
    written = source(format="prometheus", path=None, prometheus=PROMETHEUS)
    labels = {"timestamp": TIME, "region": {"column": "region", "type": "string"}}
    value = {**labels, "up": {"column": "__value__", "type": "number"}}

    assert set(Source.model_validate({**written, "columns": labels}).columns) == {
        "timestamp",
        "region",
    }
    where, message, hint = refusal(Source, {**written, "columns": value})
    assert (where, message) == (
        ("columns", "up", "column"),
        "column '__value__' (for up) is not provided by events series",
    )
    assert hint == "these series provide __time__ and their labels"


TICKETS = {"system": "jira", "layout": "json"}
OPENED = {"column": "opened_at", "type": "timestamp"}


def test_a_ticket_export_is_read_as_tickets_or_status_changes_through_its_preset() -> None:
    written = {"id": "tickets", "kind": "tickets", "format": "export", "path": "jira/*.json"}
    tickets = {**written, "timestamp": "opened", "export": TICKETS}

    assert Source.model_validate({**tickets, "columns": {"opened": OPENED}}).export is not None
    assert refusal(Source, {**written, "columns": {"timestamp": OPENED}})[0] == ("format",)
    assert refusal(Source, {**tickets, "kind": "events", "columns": {"opened": OPENED}})[:2] == (
        ("kind",),
        "a ticket export is read as tickets or status_changes, not events",
    )
    created = {"opened": {"column": "created", "type": "timestamp"}}
    assert refusal(Source, {**tickets, "columns": created})[:2] == (
        ("columns", "opened", "column"),
        "column 'created' (for opened) is not in the jira preset",
    )


def test_a_field_added_to_the_export_may_be_read_as_a_column() -> None:
    export = {**TICKETS, "fields": {"team": "fields.customfield_10050"}}
    columns = {"opened": OPENED, "team": {"column": "team", "type": "string"}}
    written = {"id": "tickets", "kind": "tickets", "format": "export", "path": "jira/*.json"}

    found = Source.model_validate(
        {**written, "timestamp": "opened", "export": export, "columns": columns}
    )
    assert set(found.columns) == {"opened", "team"}


def test_jira_csv_has_no_status_history() -> None:
    changed = {"changed": {"column": "changed_at", "type": "timestamp"}}
    export = {"system": "jira", "layout": "csv", "timezone": "Europe/Berlin"}
    written = {"id": "changes", "kind": "status_changes", "format": "export", "path": "j.csv"}

    assert refusal(
        Source, {**written, "timestamp": "changed", "export": export, "columns": changed}
    )[:2] == (("export", "layout"), "Jira's CSV export has no status history")


def test_a_status_feed_is_read_as_incidents_or_maintenance_through_the_feed_columns() -> None:
    feed = {"url": "https://status.partner.example"}
    started = {"started": {"column": "started_at", "type": "timestamp"}}
    written = {"id": "partner", "kind": "incidents", "format": "status_feed", "status_feed": feed}

    assert Source.model_validate({**written, "timestamp": "started", "columns": started})
    assert refusal(
        Source, {**written, "kind": "events", "timestamp": "started", "columns": started}
    )[:2] == (("kind",), "a status feed is read as incidents or maintenance, not events")
    assert refusal(Source, {**written, "columns": {"timestamp": OPENED}})[:2] == (
        ("columns", "timestamp", "column"),
        "column 'timestamp' reads 'opened_at', which a status feed has not",
    )
