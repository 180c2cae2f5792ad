"""Notifications: who is told what, by email and signed webhook, and when reminders go out."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from accord.core.spec import DurationField, Identifier, Spec, problem
from accord.core.units import Duration

__all__ = ["EVENTS", "Notifications", "Webhook"]

#: What a notification can be about.
EVENTS = (
    "reminder",
    "incident",
    "escalation",
    "obligation_missed",
    "review",
    "breach_notice",
    "amendment",
    "dispute",
)


def _default_reminders() -> list[Duration]:
    return [Duration.parse("30 days"), Duration.parse("7 days")]


class Webhook(Spec):
    """An endpoint told of events with an HMAC-SHA256 signed POST (see docs/concepts.md)."""

    id: Identifier = Field(description="Identifier of the endpoint.")
    url: str = Field(pattern=r"^https?://\S+$", description="Where the POST goes.")
    format: Literal["generic", "slack", "teams"] = Field(
        default="generic", description="generic (Accord's JSON), slack or teams payloads."
    )
    events: list[
        Literal[
            "reminder",
            "incident",
            "escalation",
            "obligation_missed",
            "review",
            "review_invitation",
            "breach_notice",
            "amendment",
            "dispute",
        ]
    ] = Field(default_factory=list, description="Events it receives; empty means all.")


class Notifications(Spec):
    """Reminders before notice deadlines and the webhooks told of events. Email goes to the
    contacts of the party concerned (and of each escalation level)."""

    reminders: list[DurationField] = Field(
        default_factory=_default_reminders,
        description="Lead times before a notice deadline at which a reminder is sent.",
    )
    webhooks: list[Webhook] = Field(default_factory=list, description="Webhook endpoints.")

    @model_validator(mode="after")
    def _fixed_leads(self) -> Notifications:
        for index, lead in enumerate(self.reminders):
            if not lead.is_fixed:
                raise problem(
                    "reminder",
                    f"a reminder {lead} before a deadline has no fixed length",
                    "write it in days or weeks, e.g. '30 days'",
                    ("reminders", index),
                )
        return self
