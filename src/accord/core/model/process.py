"""How the parties work together: responsibilities, escalation, incidents, governance, data
handling, change, disputes, support and qualitative commitments."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from accord.core.model.fields import CalendarRef, DurationField, Identifier, Spec, problem

__all__ = [
    "ChangeManagement",
    "Commitment",
    "DataHandling",
    "DisputeResolution",
    "DisputeStep",
    "Encryption",
    "EscalationLadder",
    "EscalationLevel",
    "Governance",
    "IncidentPolicy",
    "Mediation",
    "PostIncidentReview",
    "Report",
    "Responsibility",
    "Retention",
    "Severity",
    "Support",
    "SupportChannel",
]


class Responsibility(Spec):
    """One row of the responsibility (RACI) matrix."""

    element: str = Field(min_length=1, description="Service element, e.g. 'API availability'.")
    stage: Identifier | None = Field(default=None, description="Journey stage it belongs to.")
    responsible: list[Identifier] = Field(min_length=1, description="Parties doing the work.")
    accountable: Identifier = Field(description="The one party answerable for it.")
    consulted: list[Identifier] = Field(default_factory=list, description="Parties consulted.")
    informed: list[Identifier] = Field(default_factory=list, description="Parties informed.")


class EscalationLevel(Spec):
    """One rung of an escalation ladder."""

    level: int = Field(ge=1, description="1 for the first rung, then 2, 3 …")
    party: Identifier = Field(description="Party owning this level.")
    owner: str = Field(min_length=1, description="Role or person, e.g. 'Head of Operations'.")
    contact: str | None = Field(default=None, description="How to reach the owner.")
    within: DurationField = Field(description="Time allowed at this level before escalating.")
    authority: str = Field(min_length=1, description="What this level may decide.")


class EscalationLadder(Spec):
    """Ordered levels with named owners and time limits, used by incidents and disputes."""

    id: Identifier = Field(description="Identifier used by the incident policy and disputes.")
    name: str | None = Field(default=None, description="Human name.")
    levels: list[EscalationLevel] = Field(min_length=1, description="Levels, lowest first.")

    @model_validator(mode="after")
    def _ordered(self) -> EscalationLadder:
        numbers = [level.level for level in self.levels]
        for index, number in enumerate(numbers):
            if number != index + 1:
                raise problem(
                    "ladder",
                    f"level {number} stands at position {index + 1} of the escalation "
                    f"ladder {self.id!r}; levels must be numbered 1, 2, 3 … in order",
                    "list the levels from the first rung up, numbered 1, 2, 3 …",
                    ("levels", index, "level"),
                )
        return self


class Severity(Spec):
    """One class of the incident severity scheme, with its clocks."""

    id: Identifier = Field(description="Identifier, e.g. sev1.")
    name: str = Field(min_length=1, description="Name, e.g. 'Critical'.")
    classification: str = Field(min_length=1, description="Rule for classifying an incident.")
    acknowledge: DurationField = Field(description="Time to acknowledge.")
    update_every: DurationField = Field(description="Interval between status updates.")
    resolve: DurationField = Field(description="Time to resolve or work around.")
    calendar: CalendarRef = Field(default="24x7", description="Calendar the clocks run on.")


class PostIncidentReview(Spec):
    """The review that follows an incident."""

    required_for: list[Identifier] = Field(min_length=1, description="Severities that need one.")
    deadline: DurationField = Field(description="Time from resolution to the written review.")
    contents: list[str] = Field(
        default_factory=lambda: ["root cause", "contributing factors", "preventive actions"],
        description="What the review must contain.",
    )
    actions_tracked: bool = Field(
        default=True, description="Whether preventive actions are tracked to completion."
    )


class IncidentPolicy(Spec):
    """Severity scheme, clocks, escalation and review duties for incidents."""

    severities: list[Severity] = Field(min_length=1, description="Severity classes, worst first.")
    escalation: Identifier = Field(description="Escalation ladder used for incidents.")
    on_call: str = Field(min_length=1, description="Who is on call and how they are reached.")
    review: PostIncidentReview = Field(description="Post-incident review duty.")
    security_breach_notification: DurationField = Field(
        description="Time to notify the consumer of a security or personal-data breach."
    )
    regulatory_cooperation: str | None = Field(
        default=None, description="Cooperation with authorities (e.g. GDPR, NIS2, DORA clocks)."
    )


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
    reports: list[Report] = Field(default_factory=list, description="Reports owed.")
    data_sharing: str = Field(min_length=1, description="How performance data is shared.")
    audit_rights: str | None = Field(default=None, description="Who may audit what, how often.")


class Encryption(Spec):
    """Encryption standards for stored and transmitted data."""

    at_rest: str = Field(min_length=1, description="E.g. 'AES-256'.")
    in_transit: str = Field(min_length=1, description="E.g. 'TLS 1.2 or newer'.")


class Retention(Spec):
    """How long one category of data is kept."""

    data: str = Field(min_length=1, description="Category of data.")
    period: DurationField = Field(description="How long it is kept.")


class DataHandling(Spec):
    """Who handles which data where, and how it is protected."""

    processor: Identifier = Field(description="Party processing the consumer's data.")
    locations: list[str] = Field(min_length=1, description="Where data is stored and processed.")
    location_change_notice: DurationField | None = Field(
        default=None, description="Notice before data moves to a new location."
    )
    encryption: Encryption = Field(description="Encryption standards.")
    access: str = Field(min_length=1, description="Access control rules.")
    retention: list[Retention] = Field(default_factory=list, description="Retention periods.")
    certifications: list[str] = Field(
        default_factory=list, description="Certifications the processor keeps, e.g. ISO 27001."
    )
    risk_assessment: str | None = Field(
        default=None, description="Third-party risk assessments and attestations."
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


class SupportChannel(Spec):
    """One way to reach support, with the hours it is staffed."""

    channel: Literal["phone", "email", "chat", "portal", "api"] = Field(description="Channel.")
    address: str = Field(min_length=1, description="Number, address or URL.")
    calendar: CalendarRef = Field(default="24x7", description="When it is staffed.")
    severities: list[Identifier] = Field(
        default_factory=list, description="Severities it accepts; empty means all."
    )


class Support(Spec):
    """How customers and the consumer get help."""

    channels: list[SupportChannel] = Field(min_length=1, description="Support channels.")
    languages: list[str] = Field(min_length=1, description="Languages, as BCP 47 tags.")
    accessibility: list[str] = Field(
        default_factory=list, description="Accessibility commitments, e.g. WCAG 2.2 AA."
    )


class Commitment(Spec):
    """A qualitative commitment: expected behaviour judged in governance reviews."""

    id: Identifier = Field(description="Identifier.")
    party: Identifier = Field(description="Party that commits.")
    behaviour: str = Field(min_length=1, description="The expected behaviour.")
    evidence: str | None = Field(default=None, description="How it is evidenced in reviews.")
