"""Zendesk exports → ticket rows and status changes.

JSON from the Support API (or its incremental exports): ``tickets`` (``id``,
``created_at``, ``priority``, ``status``), ``ticket_metric_events`` (``ticket_id``,
``metric``, ``instance_id``, ``type``, ``time``): the first response is ``reply_time``
fulfilled for instance 1, the resolution the last ``requester_wait_time`` fulfilment of a
ticket now solved or closed; and ``ticket_audits`` (``audits[].ticket_id``,
``created_at``, ``events[]`` of type ``Change`` on ``field_name`` ``status``), the status
history, ``pending`` and ``hold`` being where Zendesk's own clocks pause.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from sqlglot import exp

from accord.connectors.tickets.sql import function, json_records, record_field
from accord.core.model.ticket_exports import TicketExport
from accord.engine import sql

__all__ = ["TABLES", "zendesk_status_changes", "zendesk_tickets"]

TABLES: Final = ("tickets", "ticket_metric_events", "ticket_audits")


#: Per ticket, when the first reply was fulfilled and when the requester's wait last ended
#: (solved), from its metric events ($metrics).
_REACHED: Final = sql.template(
    """
    SELECT ticket,
           min(happened) FILTER (WHERE metric = 'reply_time' AND instance = '1'
                                 AND type = 'fulfill') AS first_response_at,
           max(happened) FILTER (WHERE metric = 'requester_wait_time'
                                 AND type = 'fulfill') AS solved_at
    FROM metrics GROUP BY ticket
    """
)


def zendesk_tickets(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> exp.Select:
    events = json_records(tables["ticket_metric_events"], "ticket_metric_events")
    fields = {
        "ticket": record_field("ticket_id"),
        "metric": record_field("metric"),
        "instance": record_field("instance_id"),
        "type": record_field("type"),
        "happened": record_field("time"),
    }
    metrics = exp.select(*(exp.alias_(value, name) for name, value in fields.items())).from_(events)
    reached = sql.query(sql.fill(_REACHED, {"metrics": metrics}))
    status = record_field("status", "t.record")
    solved = status.copy().isin(sql.text("solved"), sql.text("closed"))
    columns = {
        "key": record_field("id", "t.record"),
        "opened_at": record_field("created_at", "t.record"),
        "first_response_at": exp.column("first_response_at", table="m"),
        "resolved_at": exp.Case().when(solved, exp.column("solved_at", table="m")),
        "priority": record_field("priority", "t.record"),
        "status": status,
        **{name: record_field(path, "t.record") for name, path in export.fields.items()},
    }
    listed = [exp.alias_(value, name, quoted=True) for name, value in columns.items()]
    tickets = json_records(tables["tickets"], "tickets").this.subquery("t")
    same = exp.EQ(this=exp.column("ticket", table="m"), expression=record_field("id", "t.record"))
    return (
        exp.select(*listed, exp.column("filename", table="t"))
        .from_(tickets)
        .join(reached.subquery("m"), on=same, join_type="left")
    )


def zendesk_status_changes(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> exp.Select:
    del export
    audits = json_records(tables["ticket_audits"], "audits")
    listed = sql.typed(
        function("json_extract", exp.column("record"), sql.text("$.events")), "JSON[]"
    )
    events = exp.select(
        exp.column("filename"),
        exp.alias_(record_field("ticket_id"), "key"),
        exp.alias_(record_field("created_at"), "changed_at"),
        exp.alias_(function("unnest", listed), "event"),
    ).from_(audits)
    changed = exp.and_(
        exp.EQ(this=record_field("type", "event"), expression=sql.text("Change")),
        exp.EQ(this=record_field("field_name", "event"), expression=sql.text("status")),
    )
    return (
        exp.select(
            exp.column("key"),
            exp.column("changed_at"),
            exp.alias_(record_field("value", "event"), "status"),
            exp.alias_(record_field("previous_value", "event"), "from_status"),
            exp.column("filename"),
        )
        .from_(events.subquery())
        .where(changed)
    )
