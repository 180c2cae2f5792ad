"""Jira Service Management exports → ticket rows and status changes.

CSV: the issue navigator's export, headers as Jira writes them (``Issue key``, ``Created``,
``Resolved``, ``Priority``, ``Status``, ``Custom field (…)``), date-times in the exporting
user's zone. JSON: REST search results (``/rest/api/2/search?expand=changelog,names``):
``issues[].key``, ``fields.created`` (with its offset), ``fields.resolutiondate``,
``fields.priority.name``, ``fields.status.name``; the first response is the stop time of
the first completed cycle of the SLA field that ``names`` calls ``Time to first response``;
status changes are the ``changelog.histories[].items[]`` of field ``status``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from accord.connectors.tickets.sql import (
    JIRA_CSV_FORMATS,
    files_sql,
    json_records,
    literal,
    local_time,
    record_field,
    text,
)
from accord.core.model.ticket_exports import TicketExport
from accord.engine.sources import quote

__all__ = ["jira_status_changes", "jira_tickets"]

_CSV: Final = {
    "key": "Issue key",
    "opened_at": "Created",
    "first_response_at": "Custom field (Date of First Response)",
    "resolved_at": "Resolved",
    "priority": "Priority",
    "status": "Status",
}
_TIMES: Final = {"opened_at", "first_response_at", "resolved_at"}
FIRST_RESPONSE_SLA: Final = "Time to first response"


def jira_tickets(export: TicketExport, files: Sequence[str]) -> str:
    if export.layout == "csv":
        return _csv_tickets(export, files)
    return _json_tickets(export, files)


def _csv_tickets(export: TicketExport, files: Sequence[str]) -> str:
    assert export.timezone is not None
    headers = {**_CSV, **export.fields}
    columns = []
    for column, header in headers.items():
        value = quote(header)
        sql = (
            local_time(value, export.timezone, JIRA_CSV_FORMATS)
            if column in _TIMES
            else text(value)
        )
        columns.append(f"{sql} AS {quote(column)}")
    reader = f"read_csv({files_sql(files)}, header = true, all_varchar = true, filename = true)"
    return f"SELECT {', '.join(columns)}, filename FROM {reader}"


def _json_tickets(export: TicketExport, files: Sequence[str]) -> str:
    issues = (
        "(SELECT p.filename, p.issue AS record, "
        "list_filter(json_keys(p.names), "
        "lambda k: json_extract_string(p.names, '$.\"' || k || '\"') "
        f"= {literal(FIRST_RESPONSE_SLA)})[1] AS sla FROM (SELECT filename, unnest(issues) "
        f"AS issue, names FROM read_json({files_sql(files)}, columns = {{'issues': 'JSON[]', "
        "'names': 'JSON'}, filename = true)) AS p)"
    )
    first_response = text(
        "json_extract_string(record, '$.fields.\"' || sla || "
        "'\".completedCycles[0].stopTime.iso8601')"
    )
    columns = {
        "key": record_field("key"),
        "opened_at": record_field("fields.created"),
        "first_response_at": first_response,
        "resolved_at": record_field("fields.resolutiondate"),
        "priority": record_field("fields.priority.name"),
        "status": record_field("fields.status.name"),
    }
    columns.update({name: record_field(path) for name, path in export.fields.items()})
    listed = ", ".join(f"{sql} AS {quote(name)}" for name, sql in columns.items())
    return f"SELECT {listed}, filename FROM {issues}"


def jira_status_changes(export: TicketExport, files: Sequence[str]) -> str:
    """The status items of each issue's changelog (JSON only: CSV exports have none)."""
    del export
    histories = (
        f"(SELECT filename, {record_field('key')} AS key, "
        "unnest(CAST(json_extract(record, '$.changelog.histories') AS JSON[])) AS history "
        f"FROM {json_records(files, 'issues')})"
    )
    items = (
        f"(SELECT filename, key, {record_field('created', 'history')} AS changed_at, "
        "unnest(CAST(json_extract(history, '$.items') AS JSON[])) AS item FROM "
        f"{histories})"
    )
    return (
        f"SELECT key, changed_at, {record_field('toString', 'item')} AS status, "
        f"{record_field('fromString', 'item')} AS from_status, filename FROM {items} "
        f"WHERE {record_field('field', 'item')} = 'status'"
    )
