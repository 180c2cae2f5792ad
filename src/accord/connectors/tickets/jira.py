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

from sqlglot import exp

from accord.connectors.tickets.sql import (
    JIRA_CSV_FORMATS,
    csv_rows,
    function,
    json_records,
    local_time,
    record_field,
    text,
)
from accord.core.model.ticket_exports import TicketExport
from accord.engine import sql

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


#: Each issue of REST search results with the id of its first-response SLA field (the
#: field whose display name, in ``names``, is $sla).
_ISSUES: Final = sql.template(
    """
    SELECT p.filename, p.issue AS record,
           list_filter(
               json_keys(p.names),
               lambda k: json_extract_string(p.names, '$."' || k || '"') = $sla
           )[1] AS sla
    FROM (
        SELECT filename, unnest(issues) AS issue, names
        FROM read_json($files, columns = {'issues': 'JSON[]', 'names': 'JSON'}, filename = true)
    ) AS p
    """
)
#: The stop time of the first completed cycle of an issue's first-response SLA field.
_FIRST_RESPONSE: Final = sql.template(
    "json_extract_string(record, '$.fields.\"' || sla || '\".completedCycles[0].stopTime.iso8601')"
)


def jira_tickets(export: TicketExport, files: Sequence[str]) -> exp.Select:
    if export.layout == "csv":
        return _csv_tickets(export, files)
    return _json_tickets(export, files)


def _csv_tickets(export: TicketExport, files: Sequence[str]) -> exp.Select:
    assert export.timezone is not None
    headers = {**_CSV, **export.fields}
    columns = []
    for column, header in headers.items():
        value = sql.column(header)
        read = (
            local_time(value, export.timezone, JIRA_CSV_FORMATS)
            if column in _TIMES
            else text(value)
        )
        columns.append(exp.alias_(read, column, quoted=True))
    return exp.select(*columns, exp.column("filename")).from_(csv_rows(files))


def _json_tickets(export: TicketExport, files: Sequence[str]) -> exp.Select:
    issues = sql.fill(_ISSUES, {"files": sql.files(files), "sla": sql.text(FIRST_RESPONSE_SLA)})
    columns = {
        "key": record_field("key"),
        "opened_at": record_field("fields.created"),
        "first_response_at": text(_FIRST_RESPONSE),
        "resolved_at": record_field("fields.resolutiondate"),
        "priority": record_field("fields.priority.name"),
        "status": record_field("fields.status.name"),
    }
    columns.update({name: record_field(path) for name, path in export.fields.items()})
    listed = [exp.alias_(value, name, quoted=True) for name, value in columns.items()]
    return exp.select(*listed, exp.column("filename")).from_(sql.query(issues).subquery())


def _unnested(record: str, path: str, name: str) -> exp.Expr:
    """The JSON list at ``path`` of a JSON column, one row per item."""
    listed = sql.typed(function("json_extract", exp.column(record), sql.text(path)), "JSON[]")
    return exp.alias_(function("unnest", listed), name)


def jira_status_changes(export: TicketExport, files: Sequence[str]) -> exp.Select:
    """The status items of each issue's changelog (JSON only: CSV exports have none)."""
    del export
    filename = exp.column("filename")
    histories = exp.select(
        filename.copy(),
        exp.alias_(record_field("key"), "key"),
        _unnested("record", "$.changelog.histories", "history"),
    ).from_(json_records(files, "issues"))
    items = exp.select(
        filename.copy(),
        exp.column("key"),
        exp.alias_(record_field("created", "history"), "changed_at"),
        _unnested("history", "$.items", "item"),
    ).from_(histories.subquery())
    return (
        exp.select(
            exp.column("key"),
            exp.column("changed_at"),
            exp.alias_(record_field("toString", "item"), "status"),
            exp.alias_(record_field("fromString", "item"), "from_status"),
            filename.copy(),
        )
        .from_(items.subquery())
        .where(exp.EQ(this=record_field("field", "item"), expression=sql.text("status")))
    )
