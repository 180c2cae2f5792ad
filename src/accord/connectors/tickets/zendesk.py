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

from accord.connectors.tickets.sql import json_records, record_field
from accord.core.model.ticket_exports import TicketExport
from accord.engine.sources import quote

__all__ = ["TABLES", "zendesk_status_changes", "zendesk_tickets"]

TABLES: Final = ("tickets", "ticket_metric_events", "ticket_audits")


def zendesk_tickets(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> str:
    events = json_records(tables["ticket_metric_events"], "ticket_metric_events")
    fields = {
        "ticket": record_field("ticket_id"),
        "metric": record_field("metric"),
        "instance": record_field("instance_id"),
        "type": record_field("type"),
        "happened": record_field("time"),
    }
    metrics = (
        f"(SELECT {', '.join(f'{sql} AS {name}' for name, sql in fields.items())} FROM {events})"
    )
    reached = (
        "(SELECT ticket, "
        "min(happened) FILTER (WHERE metric = 'reply_time' AND instance = '1' "
        "AND type = 'fulfill') AS first_response_at, "
        "max(happened) FILTER (WHERE metric = 'requester_wait_time' "
        "AND type = 'fulfill') AS solved_at "
        f"FROM {metrics} GROUP BY ticket)"
    )
    tickets = json_records(tables["tickets"], "tickets")
    status = record_field("status", "t.record")
    columns = {
        "key": record_field("id", "t.record"),
        "opened_at": record_field("created_at", "t.record"),
        "first_response_at": "m.first_response_at",
        "resolved_at": f"CASE WHEN {status} IN ('solved', 'closed') THEN m.solved_at END",
        "priority": record_field("priority", "t.record"),
        "status": status,
        **{name: record_field(path, "t.record") for name, path in export.fields.items()},
    }
    listed = ", ".join(f"{sql} AS {quote(name)}" for name, sql in columns.items())
    return (
        f"SELECT {listed}, t.filename FROM {tickets} AS t LEFT JOIN {reached} AS m "
        f"ON m.ticket = {record_field('id', 't.record')}"
    )


def zendesk_status_changes(export: TicketExport, tables: Mapping[str, Sequence[str]]) -> str:
    del export
    audits = json_records(tables["ticket_audits"], "audits")
    events = (
        f"(SELECT filename, {record_field('ticket_id')} AS key, "
        f"{record_field('created_at')} AS changed_at, "
        "unnest(CAST(json_extract(record, '$.events') AS JSON[])) AS event FROM "
        f"{audits})"
    )
    return (
        f"SELECT key, changed_at, {record_field('value', 'event')} AS status, "
        f"{record_field('previous_value', 'event')} AS from_status, filename FROM {events} "
        f"WHERE {record_field('type', 'event')} = 'Change' "
        f"AND {record_field('field_name', 'event')} = 'status'"
    )
