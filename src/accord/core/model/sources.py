"""Data sources: named tables, sets of files, pushed batches or Prometheus series, each with
the mapping from its physical columns to the logical names indicators use."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, model_validator

from accord.core.model.prometheus import (
    BUCKET_LABEL,
    TIME_COLUMN,
    PrometheusQuery,
)
from accord.core.model.recorded import RECORDED_COLUMNS, RECORDED_TIMESTAMP
from accord.core.model.status_feeds import FEED_COLUMNS, StatusFeed
from accord.core.model.ticket_exports import TicketExport
from accord.core.spec import Identifier, PercentageField, Spec, problem

__all__ = ["Column", "ColumnType", "InsufficientData", "Source", "SourceFormat", "SourceKind"]


class InsufficientData(StrEnum):
    """What follows when a window's data coverage is below the minimum."""

    #: No verdict: the window reads insufficient_data and earns no credit.
    NO_VERDICT = "no_verdict"
    #: Delivering the data is the provider's duty: the window counts as a breach (chronic
    #: clauses count it; a credit scheme owes its first tier).
    BREACH = "breach"


class SourceKind(StrEnum):
    EVENTS = "events"
    PROBES = "probes"
    TICKETS = "tickets"
    STATUS_CHANGES = "status_changes"
    INCIDENTS = "incidents"
    SURVEYS = "surveys"
    BUSINESS = "business"
    MAINTENANCE = "maintenance"
    #: Dated duties (obligations): the service's own records, read with format recorded.
    OBLIGATIONS = "obligations"


class SourceFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    JSONL = "jsonl"
    PUSH = "push"
    PROMETHEUS = "prometheus"
    EXPORT = "export"
    STATUS_FEED = "status_feed"
    RECORDED = "recorded"


class ColumnType(StrEnum):
    TIMESTAMP = "timestamp"
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DURATION = "duration"


class Column(Spec):
    """One logical column of a source, mapped to the physical column that holds it."""

    column: str = Field(min_length=1, description="Name of the column in the file or table.")
    type: ColumnType = Field(description="timestamp, string, integer, number, boolean or duration.")
    unit: Literal["ms", "s", "m", "h"] | None = Field(
        default=None, description="Unit of a duration column's numbers: ms, s, m or h."
    )

    @model_validator(mode="after")
    def _unit_for_durations(self) -> Column:
        if self.type is ColumnType.DURATION and self.unit is None:
            raise problem(
                "column", f"duration column {self.column!r} needs a unit", "add e.g. unit: ms"
            )
        if self.type is not ColumnType.DURATION and self.unit is not None:
            raise problem(
                "column",
                f"only duration columns take a unit; {self.column!r} has type {self.type}",
                "remove the unit, or set type: duration",
                ("unit",),
            )
        return self


class Source(Spec):
    """A named table or set of files with the mapping from its columns to logical names."""

    id: Identifier = Field(description="Identifier used by indicators.")
    kind: SourceKind = Field(
        description="events, probes, tickets, status_changes, incidents, surveys, business, "
        "maintenance or obligations."
    )
    format: SourceFormat = Field(
        description="csv, parquet, jsonl, push (sent to the API), prometheus (series read "
        "from a Prometheus server, see 'prometheus'), export (a ticket system's export "
        "files, see 'export'), status_feed (a partner's status page, see 'status_feed') or "
        "recorded (the incidents or obligations the service records for this agreement; "
        "columns and timestamp may then be left out: every recorded column under its own "
        "name, incidents placed by reported_at, obligations by due_at)."
    )
    path: str | None = Field(
        default=None,
        description="File, glob or partitioned folder, relative to the data directory.",
    )
    timestamp: str = Field(
        default="timestamp",
        description="Logical column that places a row in time (must be a timestamp column).",
    )
    key: str | None = Field(
        default=None, description="Logical column that identifies a row (e.g. ticket id)."
    )
    columns: dict[str, Column] = Field(
        min_length=1, description="Logical column name → physical column and type."
    )
    owner: Identifier | None = Field(default=None, description="Party that supplies the data.")
    expected_on: Identifier | None = Field(
        default=None,
        description="Calendar whose working days are the days rows are expected on (events "
        "and probes): data coverage counts those days only, so a carrier that never delivers "
        "on Sundays is not short of data. Without it, every local day is expected.",
    )
    min_coverage: PercentageField | None = Field(
        default=None,
        description="Least share of the expected days with data for a window to be judged "
        "(events and probes); below it the outcome is insufficient_data. Objectives may "
        "override it; absent on both: 90%.",
    )
    insufficient_data: InsufficientData | None = Field(
        default=None,
        description="What follows below the minimum coverage: no_verdict (default) or breach "
        "(delivering the data is the provider's duty). Objectives may override it.",
    )
    description: str | None = Field(default=None, description="What the data is.")
    prometheus: PrometheusQuery | None = Field(
        default=None,
        description="For format prometheus: the server and the PromQL series selector whose "
        "samples are the rows. Columns then name series labels, or __time__ (the row's "
        "instant), __good__ (good events), __value__ (a sample's value) and le (a "
        "histogram bucket's upper bound).",
    )
    export: TicketExport | None = Field(
        default=None,
        description="For format export (tickets and status_changes sources): the ticket "
        "system whose export files are under 'path', read through its preset. Columns then "
        "name the preset's columns (key, opened_at, first_response_at, resolved_at, "
        "priority, status; for status changes key, changed_at, status, from_status) or "
        "those added under 'fields'.",
    )

    status_feed: StatusFeed | None = Field(
        default=None,
        description="For format status_feed (incidents and maintenance sources): the "
        "partner's status page whose declared incidents (or maintenance) are the rows. "
        "Columns then name id, name, type, impact, status, announced_at, started_at, "
        "ended_at and components.",
    )

    @model_validator(mode="before")
    @classmethod
    def _recorded_defaults(cls, data: Any) -> Any:
        """A recorded source reads fixed columns: left out, they are all of them under
        their own names, placed in time by the kind's natural instant."""
        if not isinstance(data, dict) or data.get("format") != SourceFormat.RECORDED.value:
            return data
        kind = data.get("kind")
        found = dict(data)
        if not isinstance(kind, str) or kind not in RECORDED_COLUMNS:
            # Only so that the kind is the problem named (a list or mapping as well: neither
            # is hashable, so it is tested for a string first).
            found.setdefault("columns", {"timestamp": {"column": "-", "type": "timestamp"}})
            return found
        found.setdefault("timestamp", RECORDED_TIMESTAMP[kind])
        found.setdefault("key", "id")
        found.setdefault(
            "columns",
            {
                name: {"column": name, "type": type_}
                for name, type_ in RECORDED_COLUMNS[kind].items()
            },
        )
        return found

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        self._check_location()
        self._check_prometheus()
        self._check_export()
        self._check_status_feed()
        self._check_recorded()
        timestamp = self.columns.get(self.timestamp)
        if timestamp is None:
            raise problem(
                "source",
                f"timestamp column {self.timestamp!r} is not among the columns",
                f"map it under columns, e.g. {self.timestamp}: {{column: ts, type: timestamp}}",
                ("timestamp",) if self.timestamp != "timestamp" else ("columns",),
            )
        if timestamp.type is not ColumnType.TIMESTAMP:
            raise problem(
                "source",
                f"column {self.timestamp!r} places rows in time, so it must have type timestamp",
                "set type: timestamp",
                ("columns", self.timestamp, "type"),
            )
        if self.key is not None and self.key not in self.columns:
            raise problem(
                "source",
                f"key column {self.key!r} is not among the columns",
                f"map it under columns, or use one of {', '.join(self.columns)}",
                ("key",),
            )
        return self

    def _check_location(self) -> None:
        """Files have a path; pushed and Prometheus sources have none."""
        elsewhere = self.format in (
            SourceFormat.PUSH,
            SourceFormat.PROMETHEUS,
            SourceFormat.STATUS_FEED,
            SourceFormat.RECORDED,
        )
        if elsewhere and self.path is not None:
            raise problem(
                "source",
                f"a {self.format} source has no path, but {self.id!r} names {self.path!r}",
                "remove the path, or choose a file format",
                ("path",),
            )
        if not elsewhere and self.path is None:
            raise problem(
                "source",
                f"the {self.format} source {self.id!r} needs a 'path'",
                "add e.g. path: data/events.csv",
            )

    def _check_status_feed(self) -> None:
        """A status feed is read as incidents or maintenance, through the feed's columns."""
        if (self.format is SourceFormat.STATUS_FEED) != (self.status_feed is not None):
            raise problem(
                "source",
                "'status_feed' goes with format status_feed, and format status_feed needs it",
                "e.g. status_feed: {url: 'https://status.partner.example'}",
                ("status_feed",) if self.status_feed is not None else ("format",),
            )
        if self.status_feed is None:
            return
        if self.kind not in (SourceKind.INCIDENTS, SourceKind.MAINTENANCE):
            raise problem(
                "source",
                f"a status feed is read as incidents or maintenance, not {self.kind}",
                "set kind: incidents or kind: maintenance",
                ("kind",),
            )
        for name, column in self.columns.items():
            if column.column not in FEED_COLUMNS:
                raise problem(
                    "source",
                    f"column {name!r} reads {column.column!r}, which a status feed has not",
                    f"use one of {', '.join(FEED_COLUMNS)}",
                    ("columns", name, "column"),
                )

    def _check_recorded(self) -> None:
        """The service records incidents and obligations; a recorded source reads their
        columns, each with its own type."""
        if self.format is not SourceFormat.RECORDED:
            return
        provided = RECORDED_COLUMNS.get(self.kind.value)
        if provided is None:
            raise problem(
                "source",
                f"the service records incidents and obligations, not {self.kind}",
                "set kind: incidents or kind: obligations",
                ("kind",),
            )
        for name, column in self.columns.items():
            type_ = provided.get(column.column)
            if type_ is None:
                raise problem(
                    "source",
                    f"column {column.column!r} (for {name}) is not a column of the recorded "
                    f"{self.kind}",
                    f"use one of {', '.join(provided)}",
                    ("columns", name, "column"),
                )
            if column.type.value != type_:
                raise problem(
                    "source",
                    f"the recorded column {column.column!r} is a {type_} column",
                    f"set type: {type_}",
                    ("columns", name, "type"),
                )

    def _check_export(self) -> None:
        """A ticket export is read as tickets or status changes, through columns its preset
        (or its added fields) provides."""
        if (self.format is SourceFormat.EXPORT) != (self.export is not None):
            raise problem(
                "source",
                "'export' goes with format export, and format export needs it",
                "e.g. export: {system: jira, layout: json}",
                ("export",) if self.export is not None else ("format",),
            )
        if self.export is None:
            return
        changes = self.kind is SourceKind.STATUS_CHANGES
        if self.kind not in (SourceKind.TICKETS, SourceKind.STATUS_CHANGES):
            raise problem(
                "source",
                f"a ticket export is read as tickets or status_changes, not {self.kind}",
                "set kind: tickets (or status_changes for the status history)",
                ("kind",),
            )
        if changes and self.export.system == "jira" and self.export.layout == "csv":
            raise problem(
                "source",
                "Jira's CSV export has no status history",
                "read status changes from the REST JSON (search with expand=changelog)",
                ("export", "layout"),
            )
        provided = set(self.export.columns_provided(changes)) | set(self.export.fields)
        for name, column in self.columns.items():
            if column.column not in provided:
                raise problem(
                    "source",
                    f"column {column.column!r} (for {name}) is not in the "
                    f"{self.export.system} preset",
                    f"use one of {', '.join(sorted(provided))}, or add it under export.fields",
                    ("columns", name, "column"),
                )

    def _check_prometheus(self) -> None:
        """A Prometheus source names its series, places rows by __time__ and uses only the
        reserved columns its kind of series provides."""
        if (self.format is SourceFormat.PROMETHEUS) != (self.prometheus is not None):
            raise problem(
                "source",
                "'prometheus' goes with format prometheus, and format prometheus needs it",
                'e.g. prometheus: {url: http://prometheus:9090, events: requests_total{job="x"}}',
                ("prometheus",) if self.prometheus is not None else ("format",),
            )
        if self.prometheus is None:
            return
        provided = self.prometheus.columns_provided()
        for name, column in self.columns.items():
            reserved = column.column.startswith("__") or column.column == BUCKET_LABEL
            if reserved and column.column not in provided:
                raise problem(
                    "source",
                    f"column {column.column!r} (for {name}) is not provided by "
                    f"{self.prometheus.selected()} series",
                    f"these series provide {', '.join(sorted(provided))} and their labels",
                    ("columns", name, "column"),
                )
        timestamp = self.columns.get(self.timestamp)
        if timestamp is not None and timestamp.column != TIME_COLUMN:
            raise problem(
                "source",
                f"a Prometheus source places rows by {TIME_COLUMN}, not {timestamp.column!r}",
                f"map it as {self.timestamp}: {{column: {TIME_COLUMN}, type: timestamp}}",
                ("columns", self.timestamp, "column"),
            )
