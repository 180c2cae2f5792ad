"""Zendesk exports read as ticket rows and status changes: the first reply of instance 1,
the last solve of a solved ticket, and the status changes of its audits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from accord.connectors.tickets.zendesk import zendesk_status_changes, zendesk_tickets
from accord.core.model.ticket_exports import TicketExport
from tests.connectors.tickets.reading import FILES, by_key, rows, write_json

EXPORT = TicketExport.model_validate({"system": "zendesk", "layout": "json"})
SAMPLES = {
    table: [str(FILES / "zendesk" / f"{table}.json")]
    for table in ("tickets", "ticket_metric_events", "ticket_audits")
}


def event(metric: str, kind: str, time: str, instance: int = 1) -> dict[str, Any]:
    return {"ticket_id": 7, "metric": metric, "instance_id": instance, "type": kind, "time": time}


def one_ticket(tmp_path: Path, status: str, *events: dict[str, Any]) -> dict[str, Any]:
    tables = {
        "tickets": [
            write_json(
                tmp_path / "tickets.json",
                {"tickets": [{"id": 7, "created_at": "2026-10-01T07:00:00Z", "status": status}]},
            )
        ],
        "ticket_metric_events": [
            write_json(tmp_path / "events.json", {"ticket_metric_events": list(events)})
        ],
        "ticket_audits": [write_json(tmp_path / "audits.json", {"audits": []})],
    }
    (ticket,) = rows(zendesk_tickets(EXPORT, tables))
    return ticket


def test_the_sample_export_gives_every_ticket_with_its_clocks() -> None:
    tickets = by_key(zendesk_tickets(EXPORT, SAMPLES))

    assert len(tickets) == 6
    assert tickets["35401"]["opened_at"] == "2026-10-01T07:10:00Z"
    assert tickets["35401"]["first_response_at"] == "2026-10-01T07:40:00Z"
    assert tickets["35401"]["resolved_at"] == "2026-10-01T13:00:00Z"
    assert tickets["35405"]["resolved_at"] is None


def test_the_first_response_is_the_first_reply_of_the_first_instance(tmp_path: Path) -> None:
    ticket = one_ticket(
        tmp_path,
        "open",
        event("reply_time", "activate", "2026-10-01T07:00:00Z"),
        event("reply_time", "fulfill", "2026-10-01T09:00:00Z", instance=2),
        event("reply_time", "fulfill", "2026-10-01T08:00:00Z"),
    )

    assert ticket["first_response_at"] == "2026-10-01T08:00:00Z"


def test_a_reopened_then_solved_ticket_is_resolved_at_its_last_solve(tmp_path: Path) -> None:
    ticket = one_ticket(
        tmp_path,
        "solved",
        event("requester_wait_time", "fulfill", "2026-10-02T10:00:00Z"),
        event("requester_wait_time", "activate", "2026-10-03T08:00:00Z"),
        event("requester_wait_time", "fulfill", "2026-10-04T16:00:00Z"),
    )

    assert ticket["resolved_at"] == "2026-10-04T16:00:00Z"


@pytest.mark.parametrize(
    ("status", "resolved"), [("closed", True), ("open", False), ("pending", False)]
)
def test_only_a_solved_or_closed_ticket_is_resolved(
    tmp_path: Path, status: str, resolved: bool
) -> None:
    ticket = one_ticket(
        tmp_path, status, event("requester_wait_time", "fulfill", "2026-10-02T10:00:00Z")
    )

    assert (ticket["resolved_at"] is not None) is resolved


def test_a_ticket_without_metric_events_has_no_clocks(tmp_path: Path) -> None:
    ticket = one_ticket(tmp_path, "new")

    assert (ticket["first_response_at"], ticket["resolved_at"]) == (None, None)


def test_status_changes_are_the_change_events_on_status() -> None:
    changes = rows(zendesk_status_changes(EXPORT, SAMPLES))

    assert changes
    assert all(change["status"] != change["from_status"] for change in changes)
    first = next(change for change in changes if change["key"] == "35401")
    assert (first["changed_at"], first["from_status"], first["status"]) == (
        "2026-10-01T07:40:00Z",
        "new",
        "open",
    )
    assert "pending" in {change["status"] for change in changes}


def test_zendesk_has_no_csv_export() -> None:
    with pytest.raises(ValidationError, match="JSON only"):
        TicketExport.model_validate({"system": "zendesk", "layout": "csv"})
