"""ServiceNow exports → ticket rows and status changes.

Three tables, exported as CSV (list export: field names as headers, date-times in the
exporting user's zone) or JSON (the Table API's ``result`` or the JSON export's
``records``, date-times in UTC unless a zone is named): ``incident`` (``number``,
``sys_id``, ``opened_at``, ``priority``, ``state``, ``resolved_at``), ``task_sla``
(``task``, ``sla``, ``stage``, ``end_time``): the first response is the end of the
incident's completed SLA whose name contains ``response_sla``; and ``sys_audit``
(``documentkey``, ``fieldname``, ``oldvalue``, ``newvalue``, ``sys_created_on``): its
changes of ``state`` are the status history. Codes are written as ServiceNow displays
them (state 3 is ``On Hold``, priority 1 is ``1 - Critical``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from accord.connectors.tickets.sql import (
    SERVICENOW_FORMATS,
    files_sql,
    json_records,
    literal,
    local_time,
    text,
)
from accord.core.model.ticket_exports import TicketExport
from accord.engine.sources import quote

__all__ = ["TABLES", "servicenow_status_changes", "servicenow_tickets"]

TABLES: Final = ("incident", "task_sla", "sys_audit")
_STATES: Final = {
    "1": "New",
    "2": "In Progress",
    "3": "On Hold",
    "6": "Resolved",
    "7": "Closed",
    "8": "Canceled",
}
_PRIORITIES: Final = {
    "1": "1 - Critical",
    "2": "2 - High",
    "3": "3 - Moderate",
    "4": "4 - Low",
    "5": "5 - Planning",
}


def _table(export: TicketExport, files: Sequence[str], fields: Sequence[str]) -> str:
    """A table's rows with the named fields as text columns, and the file's name."""
    if export.layout == "csv":
        reader = f"read_csv({files_sql(files)}, header = true, all_varchar = true, filename = true)"
        listed = ", ".join(f"{text(quote(f))} AS {quote(f)}" for f in fields)
        return f"(SELECT {listed}, filename FROM {reader})"
    listed = ", ".join(
        f"{text(f'json_extract_string(record, {literal(chr(36) + chr(46) + f)})')} AS {quote(f)}"
        for f in fields
    )
    return f"(SELECT {listed}, filename FROM {json_records(files, 'result', 'records')})"


def _time(export: TicketExport, column: str) -> str:
    return local_time(quote(column), export.timezone or "UTC", SERVICENOW_FORMATS)


def _coded(column: str, codes: Mapping[str, str]) -> str:
    cases = " ".join(f"WHEN {literal(code)} THEN {literal(name)}" for code, name in codes.items())
    return f"CASE {quote(column)} {cases} ELSE {quote(column)} END"


def servicenow_tickets(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> str:
    fields = ["number", "sys_id", "opened_at", "priority", "state", "resolved_at"]
    extra = dict(export.fields)
    incidents = _table(export, tables["incident"], [*fields, *extra.values()])
    slas = _table(export, tables["task_sla"], ["task", "sla", "stage", "end_time"])
    responded = (
        f"(SELECT task, min({_time(export, 'end_time')}) AS first_response_at FROM {slas} "
        f"WHERE contains(lower(sla), {literal(export.response_sla.lower())}) "
        "AND lower(stage) IN ('completed', 'achieved') GROUP BY task)"
    )
    columns = {
        "key": "i.number",
        "opened_at": _time(export, "opened_at"),
        "first_response_at": "r.first_response_at",
        "resolved_at": _time(export, "resolved_at"),
        "priority": _coded("priority", _PRIORITIES),
        "status": _coded("state", _STATES),
        **{name: f"i.{quote(field)}" for name, field in extra.items()},
    }
    listed = ", ".join(f"{sql} AS {quote(name)}" for name, sql in columns.items())
    return (
        f"SELECT {listed}, i.filename FROM {incidents} AS i LEFT JOIN {responded} AS r "
        "ON r.task IN (i.number, i.sys_id)"
    )


def servicenow_status_changes(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> str:
    """Changes of an incident's state from the audit log, keyed by the incident's number."""
    incidents = _table(export, tables["incident"], ["number", "sys_id"])
    audit = _table(
        export,
        tables["sys_audit"],
        ["documentkey", "fieldname", "oldvalue", "newvalue", "sys_created_on"],
    )
    return (
        f"SELECT i.number AS key, {_time(export, 'sys_created_on')} AS changed_at, "
        f"{_coded('newvalue', _STATES)} AS status, {_coded('oldvalue', _STATES)} AS from_status, "
        f"a.filename FROM {audit} AS a JOIN {incidents} AS i "
        "ON a.documentkey IN (i.sys_id, i.number) WHERE a.fieldname IN ('state', 'incident_state')"
    )
