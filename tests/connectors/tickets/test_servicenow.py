"""ServiceNow exports read as ticket rows and status changes: incidents, their response SLA
from task_sla, state changes from sys_audit, codes by their display names."""

from __future__ import annotations

from pathlib import Path

from accord.connectors.tickets.servicenow import servicenow_status_changes, servicenow_tickets
from accord.core.model.ticket_exports import TicketExport
from tests.connectors.tickets.reading import FILES, by_key, rows

SAMPLES = FILES / "servicenow"
INCIDENT = "number,sys_id,opened_at,priority,state,resolved_at\n"
TASK_SLA = "task,sla,stage,end_time\n"
AUDIT = "documentkey,fieldname,oldvalue,newvalue,sys_created_on\n"


def export(layout: str = "csv", **settings: str) -> TicketExport:
    zone = {"timezone": "Europe/Berlin"} if layout == "csv" else {}
    return TicketExport.model_validate(
        {"system": "servicenow", "layout": layout, **zone, **settings}
    )


def samples(layout: str) -> dict[str, list[str]]:
    return {
        table: [str(SAMPLES / f"{table}.{layout}")]
        for table in ("incident", "task_sla", "sys_audit")
    }


def written(tmp_path: Path, **tables: str) -> dict[str, list[str]]:
    """Tables written as CSV files, by table name."""
    found = {}
    for table, content in tables.items():
        path = tmp_path / f"{table}.csv"
        path.write_text(content, encoding="utf-8")
        found[table] = [str(path)]
    return found


def test_the_csv_and_json_exports_give_the_same_tickets() -> None:
    from_csv = by_key(servicenow_tickets(export("csv"), samples("csv")))
    from_json = rows(servicenow_tickets(export("json"), samples("json")))

    assert len(from_csv) == 6
    for ticket in from_json:
        as_csv = from_csv[ticket["key"]]
        assert ticket["opened_at"] == as_csv["opened_at"]
        assert ticket["first_response_at"] == as_csv["first_response_at"]
        assert (ticket["priority"], ticket["status"]) == (as_csv["priority"], as_csv["status"])


def test_codes_are_read_by_the_names_servicenow_shows() -> None:
    tickets = by_key(servicenow_tickets(export(), samples("csv")))

    assert tickets["INC0010004"]["priority"] == "1 - Critical"
    assert tickets["INC0010001"]["status"] == "Resolved"
    assert tickets["INC0010005"]["status"] == "In Progress"
    assert tickets["INC0010005"]["resolved_at"] is None


def test_the_first_response_is_the_earliest_completed_response_sla(tmp_path: Path) -> None:
    tables = written(
        tmp_path,
        incident=INCIDENT + "INC1,s1,2026-10-01 09:00:00,2,6,2026-10-01 15:00:00\n",
        task_sla=TASK_SLA
        + "INC1,P2 Response,cancelled,2026-10-01 09:05:00\n"  # replaced after a reassignment
        + "INC1,P2 Response,completed,2026-10-01 10:00:00\n"
        + "s1,P2 response,Achieved,2026-10-01 09:30:00\n"  # keyed by sys_id, other case
        + "INC1,P2 Resolution,completed,2026-10-01 09:10:00\n",
        sys_audit=AUDIT,
    )

    (ticket,) = rows(servicenow_tickets(export(), tables))

    assert ticket["first_response_at"] == "2026-10-01 07:30:00+00"


def test_an_incident_whose_response_sla_is_still_running_has_no_first_response(
    tmp_path: Path,
) -> None:
    tables = written(
        tmp_path,
        incident=INCIDENT + "INC2,s2,2026-10-01 09:00:00,9,42,\n",
        task_sla=TASK_SLA + "INC2,P2 Response,in_progress,\n",
        sys_audit=AUDIT,
    )

    (ticket,) = rows(servicenow_tickets(export(), tables))

    assert ticket["first_response_at"] is None
    assert (ticket["priority"], ticket["status"]) == ("9", "42")  # unknown codes as written


def test_the_response_sla_is_named_by_the_export(tmp_path: Path) -> None:
    tables = written(
        tmp_path,
        incident=INCIDENT + "INC3,s3,2026-10-01 09:00:00,2,2,\n",
        task_sla=TASK_SLA
        + "INC3,P2 Response,completed,2026-10-01 09:20:00\n"
        + "INC3,First reply (P2),completed,2026-10-01 09:40:00\n",
        sys_audit=AUDIT,
    )

    (ticket,) = rows(servicenow_tickets(export(response_sla="First Reply"), tables))

    assert ticket["first_response_at"] == "2026-10-01 07:40:00+00"


def test_json_times_are_utc_unless_a_zone_is_named() -> None:
    utc = by_key(servicenow_tickets(export("json"), samples("json")))
    berlin = by_key(servicenow_tickets(export("json", timezone="Europe/Berlin"), samples("json")))

    assert utc["INC0010001"]["opened_at"] == "2026-10-01 07:10:00+00"
    assert berlin["INC0010001"]["opened_at"] == "2026-10-01 05:10:00+00"


def test_state_changes_come_from_the_audit_keyed_by_the_incident_number() -> None:
    changes = rows(servicenow_status_changes(export(), samples("csv")))
    of_0002 = [
        (change["changed_at"], change["from_status"], change["status"])
        for change in changes
        if change["key"] == "INC0010002"
    ]

    assert of_0002 == [
        ("2026-10-02 08:15:00+00", "New", "In Progress"),
        ("2026-10-02 09:00:00+00", "In Progress", "On Hold"),
        ("2026-10-05 07:30:00+00", "On Hold", "In Progress"),
        ("2026-10-05 10:00:00+00", "In Progress", "Resolved"),
    ]


def test_only_state_fields_of_known_incidents_are_status_changes(tmp_path: Path) -> None:
    tables = written(
        tmp_path,
        incident=INCIDENT + "INC4,s4,2026-10-01 09:00:00,2,2,\n",
        task_sla=TASK_SLA,
        sys_audit=AUDIT
        + "s4,incident_state,1,3,2026-10-01 10:00:00\n"
        + "INC4,priority,3,2,2026-10-01 10:05:00\n"
        + "s9,state,1,2,2026-10-01 10:10:00\n",  # an incident not exported
    )

    (change,) = rows(servicenow_status_changes(export(), tables))

    assert (change["key"], change["from_status"], change["status"]) == ("INC4", "New", "On Hold")
