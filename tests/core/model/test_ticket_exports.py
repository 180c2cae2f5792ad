"""Ticket-system exports as a source declares them: Zendesk only as JSON, CSV exports only
with the zone their date-times were written in, extra columns named safely."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.model.ticket_exports import (
    STATUS_COLUMNS,
    TICKET_COLUMNS,
    TicketExport,
    TicketSystem,
)


def export(**fields: Any) -> TicketExport:
    return TicketExport.model_validate(fields)


def refusal(**fields: Any) -> tuple[str, str, tuple[Any, ...]]:
    with pytest.raises(ValidationError) as error:
        export(**fields)
    (found,) = error.value.errors()
    context = found.get("ctx", {})
    return found["msg"], context.get("hint", ""), tuple(context.get("at", ()))


def test_a_json_export_needs_no_zone_and_defaults_its_response_sla() -> None:
    jira = export(system="jira", layout="json")

    assert jira.system is TicketSystem.JIRA
    assert jira.timezone is None
    assert jira.response_sla == "Response"


@pytest.mark.parametrize("system", ["jira", "servicenow"])
def test_a_csv_export_must_name_the_zone_its_times_were_written_in(system: str) -> None:
    message, hint, _ = refusal(system=system, layout="csv")

    assert message == (
        f"{system} CSV exports write date-times without a zone, in the exporting user's time zone"
    )
    assert hint == "name it, e.g. timezone: Europe/Berlin"
    assert export(system=system, layout="csv", timezone="Europe/Berlin").timezone == "Europe/Berlin"


def test_zendesk_exports_only_json() -> None:
    message, hint, at = refusal(system="zendesk", layout="csv", timezone="UTC")

    assert message == "Zendesk exports tickets, metric events and audits as JSON only"
    assert (hint, at) == ("write layout: json", ("layout",))


@pytest.mark.parametrize("column", ["team name", "team;drop", "a-b", ""])
def test_an_extra_column_name_may_hold_only_letters_digits_and_underscores(column: str) -> None:
    _, _, at = refusal(system="jira", layout="json", fields={column: "fields.customfield_1"})

    assert at == ("fields", column)


def test_an_extra_column_may_be_named_in_any_alphabet() -> None:
    fields = {"équipe_2": "Custom field (Team)"}

    assert export(system="jira", layout="csv", timezone="UTC", fields=fields).fields == fields


def test_an_unknown_zone_or_system_is_refused() -> None:
    assert (
        refusal(system="jira", layout="csv", timezone="Berlin")[0] == "unknown time zone 'Berlin'"
    )
    with pytest.raises(ValidationError):
        export(system="freshdesk", layout="json")


def test_the_columns_provided_are_those_of_tickets_or_of_status_changes() -> None:
    jira = export(system="jira", layout="json")

    assert jira.columns_provided(status_changes=False) == TICKET_COLUMNS
    assert jira.columns_provided(status_changes=True) == STATUS_COLUMNS
    assert "first_response_at" in TICKET_COLUMNS
    assert "from_status" in STATUS_COLUMNS
