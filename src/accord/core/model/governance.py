"""Working together: responsibilities, governance reviews and reports, change management,
dispute resolution and qualitative commitments."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.core.calendars.spec import DateRange
from accord.core.spec import DurationField, Identifier, Spec

__all__ = [
    "ChangeFreeze",
    "ChangeManagement",
    "ChangeType",
    "Commitment",
    "DisputeResolution",
    "DisputeStep",
    "Governance",
    "Mediation",
    "Report",
    "Responsibility",
]


class Responsibility(Spec):
    """One row of the responsibility (RACI) matrix."""

    element: str = Field(min_length=1, description="Service element, e.g. 'API availability'.")
    stage: Identifier | None = Field(default=None, description="Journey stage it belongs to.")
    responsible: list[Identifier] = Field(min_length=1, description="Parties doing the work.")
    accountable: Identifier = Field(description="The one party answerable for it.")
    consulted: list[Identifier] = Field(default_factory=list, description="Parties consulted.")
    informed: list[Identifier] = Field(default_factory=list, description="Parties informed.")


class Report(Spec):
    """A report one party owes the other."""

    name: str = Field(min_length=1, description="Name of the report.")
    schedule: Literal["weekly", "monthly", "quarterly", "yearly"] = Field(description="Cadence.")
    formats: list[Literal["html", "pdf", "csv", "json"]] = Field(
        min_length=1, description="Formats it is delivered in."
    )
    recipients: list[Identifier] = Field(min_length=1, description="Parties receiving it.")


class Governance(Spec):
    """Regular reviews, reports and the data-sharing protocol."""

    review_cadence: Literal["monthly", "quarterly", "half_yearly", "yearly"] = Field(
        description="How often the joint performance review meets."
    )
    participants: list[Identifier] = Field(min_length=1, description="Parties that attend.")
    review_within: DurationField | None = Field(
        default=None,
        description="Time after each review period ends within which its review meets "
        "(local dates in the agreement's time zone). Absent: one month.",
    )
    calendar: Identifier | None = Field(
        default=None,
        description="Business calendar review_within counts on (e.g. '10 business days' "
        "counts only its working hours). Absent: 24x7, with months stepping local dates.",
    )
    reports: list[Report] = Field(default_factory=list, description="Reports owed.")
    data_sharing: str = Field(min_length=1, description="How performance data is shared.")
    audit_rights: str | None = Field(default=None, description="Who may audit what, how often.")


class ChangeType(Spec):
    """A kind of change the agreement names (a data-location change, a sub-processor change, a
    maintenance-window change), with its own notice period and approvals."""

    id: Identifier = Field(description="Identifier, e.g. 'data-location'.")
    name: str | None = Field(default=None, description="Human name.")
    notice: DurationField = Field(description="Notice before a change of this type takes effect.")
    approval: list[Identifier] | None = Field(
        default=None,
        description="Parties that must approve a change of this type (default: the approval "
        "of change management).",
    )


class ChangeFreeze(Spec):
    """Local dates on which no change may take effect (e.g. the year-end peak)."""

    name: str = Field(min_length=1, description="E.g. 'Year-end peak'.")
    dates: list[DateRange] = Field(
        min_length=1, description="Date ranges (local dates, inclusive) of the freeze."
    )
    change_types: list[Identifier] = Field(
        default_factory=list,
        description="Change types it freezes; empty: every change.",
    )


class ChangeManagement(Spec):
    """How updates, migrations and deprecations are announced, approved and rolled back."""

    notice: DurationField = Field(description="Notice before a change that affects the service.")
    emergency_notice: DurationField | None = Field(
        default=None, description="Notice for an emergency change."
    )
    approval: list[Identifier] = Field(min_length=1, description="Parties that must approve.")
    testing: str | None = Field(default=None, description="How changes are tested first.")
    rollback: str = Field(min_length=1, description="Rollback commitment.")
    deprecation_notice: DurationField | None = Field(
        default=None, description="Notice before a feature is removed."
    )
    migration_support: str | None = Field(default=None, description="Help offered to migrate.")
    change_types: list[ChangeType] = Field(
        default_factory=list,
        description="Kinds of change with their own notice period and approvals.",
    )
    freezes: list[ChangeFreeze] = Field(
        default_factory=list,
        description="Freeze windows: local dates on which no change may take effect.",
    )


class DisputeStep(Spec):
    """One step of the dispute procedure, with its time limit and decider."""

    name: str = Field(min_length=1, description="E.g. 'Operational review'.")
    within: DurationField = Field(description="Time allowed for the step.")
    decided_by: str = Field(min_length=1, description="Who decides at this step.")


class Mediation(Spec):
    """Mediation by an outside body when the dispute steps fail."""

    provider: str = Field(min_length=1, description="Mediation body.")
    costs: str = Field(min_length=1, description="How costs are shared.")


class DisputeResolution(Spec):
    """How a party challenges a verdict or credit."""

    raise_within: DurationField = Field(description="Time after a report to raise a dispute.")
    escalation: Identifier | None = Field(default=None, description="Escalation ladder used.")
    steps: list[DisputeStep] = Field(min_length=1, description="Steps, in order.")
    mediation: Mediation | None = Field(default=None, description="Mediation, if steps fail.")
    evidence: str = Field(
        default="incident reports, uptime dashboards, measurement data and customer feedback",
        description="Evidence the parties rely on.",
    )


class Commitment(Spec):
    """A qualitative commitment: expected behaviour judged in governance reviews."""

    id: Identifier = Field(description="Identifier.")
    party: Identifier = Field(description="Party that commits.")
    behaviour: str = Field(min_length=1, description="The expected behaviour.")
    evidence: str | None = Field(default=None, description="How it is evidenced in reviews.")
