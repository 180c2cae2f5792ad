"""Escalation ladders and the incident policy: severities with their clocks, post-incident
reviews, and the notice regimes a security incident starts (``accord.core.model.regimes``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from accord.core.model.regimes import NoticeRegime
from accord.core.spec import CalendarRef, DurationField, Identifier, Spec, problem

__all__ = [
    "AutoOpen",
    "EscalationLadder",
    "EscalationLevel",
    "IncidentPolicy",
    "PostIncidentReview",
    "Severity",
]


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


class AutoOpen(Spec):
    """When the service opens an incident by itself: once per objective, scope and window
    that breaches, and once per burn-rate alert that fires there."""

    on: list[Literal["breach", "burn_alert"]] = Field(
        min_length=1, description="breach (a recorded verdict breaches), burn_alert (fires)."
    )
    severity: Identifier = Field(description="The severity it is opened with.")


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
    open_on: AutoOpen | None = Field(
        default=None, description="Open incidents from breaching verdicts or burn-rate alerts."
    )
    regimes: list[Identifier] = Field(
        default_factory=lambda: ["contract"],
        description="Notice regimes a security incident starts: contract, gdpr-art-33, "
        "nis2-art-23, dora-art-19 (built in) or one of notice_regimes.",
    )
    notice_regimes: list[NoticeRegime] = Field(
        default_factory=list, description="The agreement's own notice regimes, as data."
    )
