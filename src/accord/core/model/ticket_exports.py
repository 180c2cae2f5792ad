"""Ticket-system exports: a tickets or status-changes source read from the files Jira
Service Management, ServiceNow or Zendesk export, through a preset per system.

A preset maps the system's documented fields to the physical columns Accord's ticket
indicators read: for tickets ``key``, ``opened_at``, ``first_response_at``,
``resolved_at``, ``priority`` and ``status``; for status changes ``key``, ``changed_at``,
``status`` (the new one) and ``from_status``. The source's ``columns`` then map these as
they map a file's columns; ``fields`` adds other columns or replaces the preset's choice
(a CSV header, or a path into each JSON record such as ``fields.customfield_10050``).

What each preset reads:

- jira, csv: the issue navigator's CSV export; the first response is
  ``Custom field (Date of First Response)``; no status history (read it from json).
- jira, json: REST search results with ``expand=changelog,names``; the first response is
  the first completed cycle of the SLA field ``names`` calls ``Time to first response``;
  status changes are the ``changelog`` items of field ``status``.
- servicenow, csv or json: ``incident``, ``task_sla`` and ``sys_audit`` exports; the
  first response is the end of the completed ``task_sla`` whose SLA name contains
  ``response_sla``; status changes are ``sys_audit`` rows of field ``state``.
- zendesk, json: ``tickets``, ``ticket_metric_events`` and ``ticket_audits``; the first
  response is ``reply_time`` fulfilled for instance 1; status changes are ``Change``
  events of field ``status``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from pydantic import Field, model_validator

from accord.core.calendars.spec import TimeZoneField
from accord.core.spec import Spec, problem

__all__ = ["STATUS_COLUMNS", "TICKET_COLUMNS", "TicketExport", "TicketSystem"]

TICKET_COLUMNS: Final = (
    "key",
    "opened_at",
    "first_response_at",
    "resolved_at",
    "priority",
    "status",
)
STATUS_COLUMNS: Final = ("key", "changed_at", "status", "from_status")


class TicketSystem(StrEnum):
    JIRA = "jira"
    SERVICENOW = "servicenow"
    ZENDESK = "zendesk"


class TicketExport(Spec):
    """The ticket system whose export files a source reads, and how to read them."""

    system: TicketSystem = Field(description="jira (Service Management), servicenow or zendesk.")
    layout: Literal["csv", "json"] = Field(
        description="csv or json: the kind of export files (Zendesk exports only json)."
    )
    timezone: TimeZoneField | None = Field(
        default=None,
        description="Time zone of date-times written without one: Jira and ServiceNow CSV "
        "exports write them in the exporting user's zone.",
    )
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="More physical columns, or the preset's replaced: column → CSV header, or "
        "path into each JSON record (e.g. team: fields.customfield_10050).",
    )
    response_sla: str = Field(
        default="Response",
        description="ServiceNow: part of the name of the task_sla definition whose end is "
        "the first response (e.g. 'P1 Response').",
    )

    @model_validator(mode="after")
    def _readable(self) -> TicketExport:
        if self.system is TicketSystem.ZENDESK and self.layout == "csv":
            raise problem(
                "export",
                "Zendesk exports tickets, metric events and audits as JSON only",
                "write layout: json",
                ("layout",),
            )
        if self.layout == "csv" and self.timezone is None:
            raise problem(
                "export",
                f"{self.system} CSV exports write date-times without a zone, in the exporting "
                "user's time zone",
                "name it, e.g. timezone: Europe/Berlin",
            )
        for column in self.fields:
            if not column.replace("_", "").isalnum():
                raise problem(
                    "export",
                    f"column name {column!r} may hold only letters, digits and '_'",
                    "e.g. team: 'Custom field (Team)'",
                    ("fields", column),
                )
        return self

    def columns_provided(self, status_changes: bool) -> tuple[str, ...]:
        """Physical columns a source of this export has (before ``fields``)."""
        return STATUS_COLUMNS if status_changes else TICKET_COLUMNS
