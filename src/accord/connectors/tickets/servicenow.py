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

from sqlglot import exp

from accord.connectors.tickets.sql import (
    SERVICENOW_FORMATS,
    csv_rows,
    json_field,
    json_records,
    local_time,
    text,
)
from accord.core.model.ticket_exports import TicketExport
from accord.engine import sql

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


def _table(export: TicketExport, files: Sequence[str], fields: Sequence[str]) -> exp.Select:
    """A table's rows with the named fields as text columns, and the file's name."""
    filename = exp.column("filename")
    if export.layout == "csv":
        listed = [exp.alias_(text(sql.column(f)), f, quoted=True) for f in fields]
        return exp.select(*listed, filename).from_(csv_rows(files))
    listed = [
        exp.alias_(text(json_field(exp.column("record"), sql.text(f"$.{f}"))), f, quoted=True)
        for f in fields
    ]
    records = json_records(files, "result", "records")
    return exp.select(*listed, filename).from_(records)


def _time(export: TicketExport, column: str, table: str | None = None) -> exp.Expr:
    return local_time(sql.column(column, table), export.timezone or "UTC", SERVICENOW_FORMATS)


def _coded(column: str, codes: Mapping[str, str]) -> exp.Case:
    """A coded column's values by name; other values as they are."""
    return exp.Case(
        this=sql.column(column),
        ifs=[exp.If(this=sql.text(code), true=sql.text(name)) for code, name in codes.items()],
        default=sql.column(column),
    )


#: The first time each incident met its response SLA, from ``task_sla`` rows (as $slas)
#: naming it by number or by sys_id (one row per incident, whichever names it, or both).
_RESPONDED: Final = sql.template(
    """
    SELECT i.number AS task, min($end_time) AS first_response_at
    FROM slas AS s JOIN incidents AS i ON s.task IN (i.number, i.sys_id)
    WHERE contains(lower(s.sla), $response_sla) AND lower(s.stage) IN ('completed', 'achieved')
    GROUP BY i.number
    """
)


def servicenow_tickets(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> exp.Select:
    fields = ["number", "sys_id", "opened_at", "priority", "state", "resolved_at"]
    extra = dict(export.fields)
    incidents = _table(export, tables["incident"], [*fields, *extra.values()])
    slas = _table(export, tables["task_sla"], ["task", "sla", "stage", "end_time"])
    responded = sql.fill(
        _RESPONDED,
        {
            "slas": slas,
            "incidents": _table(export, tables["incident"], ["number", "sys_id"]),
            "end_time": _time(export, "end_time", "s"),
            "response_sla": sql.text(export.response_sla.lower()),
        },
    )
    columns = {
        "key": exp.column("number", table="i"),
        "opened_at": _time(export, "opened_at"),
        "first_response_at": exp.column("first_response_at", table="r"),
        "resolved_at": _time(export, "resolved_at"),
        "priority": _coded("priority", _PRIORITIES),
        "status": _coded("state", _STATES),
        **{name: sql.column(field, "i") for name, field in extra.items()},
    }
    listed = [exp.alias_(value, name, quoted=True) for name, value in columns.items()]
    matched = exp.EQ(this=exp.column("task", table="r"), expression=exp.column("number", table="i"))
    return (
        exp.select(*listed, exp.column("filename", table="i"))
        .from_(incidents.subquery("i"))
        .join(sql.query(responded).subquery("r"), on=matched, join_type="left")
    )


def servicenow_status_changes(
    export: TicketExport, tables: Mapping[str, Sequence[str]]
) -> exp.Select:
    """Changes of an incident's state from the audit log, keyed by the incident's number."""
    incidents = _table(export, tables["incident"], ["number", "sys_id"])
    audit = _table(
        export,
        tables["sys_audit"],
        ["documentkey", "fieldname", "oldvalue", "newvalue", "sys_created_on"],
    )
    matched = exp.column("documentkey", table="a").isin(
        exp.column("sys_id", table="i"), exp.column("number", table="i")
    )
    state = exp.column("fieldname", table="a").isin(sql.text("state"), sql.text("incident_state"))
    return (
        exp.select(
            exp.alias_(exp.column("number", table="i"), "key"),
            exp.alias_(_time(export, "sys_created_on"), "changed_at"),
            exp.alias_(_coded("newvalue", _STATES), "status"),
            exp.alias_(_coded("oldvalue", _STATES), "from_status"),
            exp.column("filename", table="a"),
        )
        .from_(audit.subquery("a"))
        .join(incidents.subquery("i"), on=matched)
        .where(state)
    )
