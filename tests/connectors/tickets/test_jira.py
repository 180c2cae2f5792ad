"""Jira Service Management exports read as ticket rows and status changes: CSV in the
exporting user's zone (across clock changes), JSON with its offsets and its SLA field found
by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.connectors.tickets.jira import jira_status_changes, jira_tickets
from accord.core.model.ticket_exports import TicketExport
from tests.connectors.tickets.reading import FILES, by_key, rows, write_json

CSV = str(FILES / "jira" / "issues.csv")
JSON = FILES / "jira" / "issues.json"
HEADER = "Issue key,Created,Resolved,Custom field (Date of First Response),Priority,Status\n"


def csv_export(**fields: str) -> TicketExport:
    return TicketExport.model_validate(
        {"system": "jira", "layout": "csv", "timezone": "Europe/Berlin", "fields": fields}
    )


JSON_EXPORT = TicketExport.model_validate({"system": "jira", "layout": "json"})


def test_a_csv_export_is_read_in_the_exporting_users_zone() -> None:
    tickets = by_key(jira_tickets(csv_export(team="Custom field (Team)"), [CSV]))

    assert len(tickets) == 6
    assert tickets["PAY-101"] == {
        "key": "PAY-101",
        "opened_at": "2026-10-01 07:10:00+00",  # 9:10 AM in Berlin, summer time
        "first_response_at": "2026-10-01 07:40:00+00",
        "resolved_at": "2026-10-01 13:00:00+00",
        "priority": "High",
        "status": "Resolved",
        "team": "Payments",
    }


def test_an_unresolved_issue_has_no_resolution_time() -> None:
    tickets = by_key(jira_tickets(csv_export(), [CSV]))

    assert tickets["PAY-105"]["resolved_at"] is None
    assert tickets["PAY-105"]["status"] == "In Progress"


def test_local_times_take_the_offset_of_their_own_date_across_the_autumn_change(
    tmp_path: Path,
) -> None:
    export = tmp_path / "dst.csv"
    export.write_text(
        HEADER + "PAY-1,24/Oct/26 11:30 PM,26/Oct/26 9:00 AM,,High,Resolved\n", encoding="utf-8"
    )

    (ticket,) = rows(jira_tickets(csv_export(), [str(export)]))

    assert ticket["opened_at"] == "2026-10-24 21:30:00+00"  # CEST, UTC+2
    assert ticket["resolved_at"] == "2026-10-26 08:00:00+00"  # CET, UTC+1


def test_the_repeated_and_the_skipped_hour_are_read_as_standard_time(tmp_path: Path) -> None:
    # 02:30 happens twice on 25 October 2026 in Berlin and not at all on 29 March 2026; the
    # export cannot say which, so both are read at UTC+1 (the later of the two, the earlier
    # instant after the gap).
    export = tmp_path / "dst.csv"
    export.write_text(
        HEADER + "PAY-1,25/Oct/26 2:30 AM,29/Mar/26 2:30 AM,,High,Resolved\n", encoding="utf-8"
    )

    (ticket,) = rows(jira_tickets(csv_export(), [str(export)]))

    assert ticket["opened_at"] == "2026-10-25 01:30:00+00"
    assert ticket["resolved_at"] == "2026-03-29 01:30:00+00"


def test_midnight_four_digit_years_and_iso_dates_are_read(tmp_path: Path) -> None:
    export = tmp_path / "formats.csv"
    export.write_text(
        HEADER + "PAY-2,01/Oct/2026 12:15 AM,2026-10-02 17:45,,Low,Resolved\n", encoding="utf-8"
    )

    (ticket,) = rows(jira_tickets(csv_export(), [str(export)]))

    assert ticket["opened_at"] == "2026-09-30 22:15:00+00"  # 00:15 local is the day before in UTC
    assert ticket["resolved_at"] == "2026-10-02 15:45:00+00"


def test_a_date_no_format_fits_is_passed_on_as_written_for_the_checks_to_refuse(
    tmp_path: Path,
) -> None:
    export = tmp_path / "odd.csv"
    export.write_text(HEADER + "PAY-3,yesterday,,,Low,Open\n", encoding="utf-8")

    (ticket,) = rows(jira_tickets(csv_export(), [str(export)]))

    assert ticket["opened_at"] == "yesterday"
    assert ticket["first_response_at"] is None


def test_json_keeps_the_offsets_jira_wrote() -> None:
    tickets = by_key(jira_tickets(JSON_EXPORT, [str(JSON)]))

    assert len(tickets) == 6
    assert tickets["PAY-101"]["opened_at"] == "2026-10-01T09:10:00.000+0200"
    assert tickets["PAY-101"]["first_response_at"] == "2026-10-01T09:40:00.000+0200"
    assert tickets["PAY-105"]["resolved_at"] is None


def _renamed_sla_field(data: dict[str, Any], old: str, new: str) -> None:
    data["names"][new] = data["names"].pop(old)
    for issue in data["issues"]:
        if old in issue["fields"]:
            issue["fields"][new] = issue["fields"].pop(old)


def test_the_first_response_field_is_found_by_its_name_whatever_its_id(tmp_path: Path) -> None:
    data = json.loads(JSON.read_text(encoding="utf-8"))
    sla_id = next(key for key, name in data["names"].items() if name == "Time to first response")
    _renamed_sla_field(data, sla_id, "customfield_99999")
    data["issues"][0]["fields"]["customfield_99999"]["completedCycles"] = []

    tickets = by_key(jira_tickets(JSON_EXPORT, [write_json(tmp_path / "issues.json", data)]))

    assert tickets["PAY-101"]["first_response_at"] is None  # no cycle completed yet
    assert tickets["PAY-102"]["first_response_at"] == "2026-10-02T10:15:00.000+0200"


def test_status_changes_are_the_changelog_items_of_the_status_field_only() -> None:
    changes = rows(jira_status_changes(JSON_EXPORT, [str(JSON)]))
    of_102 = [
        (change["changed_at"][:16], change["from_status"], change["status"])
        for change in changes
        if change["key"] == "PAY-102"
    ]

    assert of_102 == [
        ("2026-10-02T10:15", "Waiting for support", "In Progress"),
        ("2026-10-02T11:00", "In Progress", "Waiting for customer"),
        ("2026-10-05T09:30", "Waiting for customer", "In Progress"),
        ("2026-10-05T12:00", "In Progress", "Resolved"),
    ]
    assert {change["key"] for change in changes} == {f"PAY-{n}" for n in range(101, 107)}


def test_a_change_of_another_field_is_not_a_status_change(tmp_path: Path) -> None:
    data = json.loads(JSON.read_text(encoding="utf-8"))
    history = data["issues"][0]["changelog"]["histories"][0]
    history["items"].append({"field": "assignee", "fromString": "A", "toString": "B"})

    changes = rows(jira_status_changes(JSON_EXPORT, [write_json(tmp_path / "i.json", data)]))

    assert "B" not in {change["status"] for change in changes}
    assert len(changes) == len(rows(jira_status_changes(JSON_EXPORT, [str(JSON)])))
