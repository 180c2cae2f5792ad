"""Who the agreement binds, for how long, and which customer journey it covers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from accord.core.spec import DurationField, Identifier, Spec, problem

__all__ = [
    "Contact",
    "JourneyStage",
    "Metadata",
    "Party",
    "PartyRole",
    "Renewal",
    "RenewalMode",
    "StageKind",
    "Term",
]


class Metadata(Spec):
    """What the agreement is called and which version of it this file is."""

    id: Identifier = Field(description="Stable identifier of the agreement across versions.")
    title: str = Field(min_length=1, description="Title of the agreement as people call it.")
    version: str = Field(
        min_length=1, description="Version label chosen by the authors, e.g. '2.1'."
    )
    summary: str | None = Field(
        default=None, description="One paragraph on what the partner delivers and why it matters."
    )
    labels: dict[str, str] = Field(
        default_factory=dict, description="Free-form labels, e.g. business unit or risk tier."
    )
    effective: dt.datetime | None = Field(
        default=None,
        description="When this version takes effect: a date (local midnight in the "
        "agreement's time zone, e.g. '2026-11-01'), a local date and time, or an instant with "
        "an offset. Windows that start from then on are judged by this version. Default: "
        "when the version is uploaded (the first version: from the start of the agreement).",
    )


class PartyRole(StrEnum):
    CONSUMER = "consumer"
    PROVIDER = "provider"
    SUBCONTRACTOR = "subcontractor"
    AUDITOR = "auditor"
    OTHER = "other"


class Contact(Spec):
    """A person or desk that can be reached on behalf of a party."""

    name: str = Field(min_length=1, description="Person or desk name.")
    role: str | None = Field(default=None, description="What the contact is for.")
    email: str | None = Field(
        default=None,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="E-mail address.",
    )
    phone: str | None = Field(default=None, description="Phone number, international format.")


class Party(Spec):
    """An organisation named in the agreement."""

    id: Identifier = Field(description="Identifier used to refer to the party elsewhere.")
    name: str = Field(min_length=1, description="Legal name.")
    role: PartyRole = Field(description="consumer, provider, subcontractor, auditor or other.")
    lei: str | None = Field(
        default=None,
        pattern=r"^[A-Z0-9]{18}[0-9]{2}$",
        description="Legal Entity Identifier (ISO 17442), as registers such as DORA's ask.",
    )
    contacts: list[Contact] = Field(default_factory=list, description="Named contacts.")


class RenewalMode(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class Renewal(Spec):
    """How the term continues when it ends."""

    mode: RenewalMode = Field(description="auto: renews unless a party gives notice; manual.")
    period: DurationField | None = Field(
        default=None, description="Length of each renewal, e.g. '12 months'."
    )
    notice: DurationField = Field(
        description="Notice a party must give before the end of term to stop (auto) "
        "or to request (manual) renewal."
    )


class Term(Spec):
    """When the agreement starts and ends, and how it renews or terminates."""

    effective: dt.date = Field(description="First day the agreement applies.")
    duration: DurationField | None = Field(
        default=None, description="Initial term, e.g. '24 months'. Give this or 'end'."
    )
    end: dt.date | None = Field(default=None, description="Last day of the initial term.")
    renewal: Renewal = Field(description="Renewal rule.")
    termination_notice: DurationField = Field(
        description="Notice either party must give to terminate for convenience."
    )
    governing_law: str | None = Field(
        default=None, description="Law governing the agreement, e.g. 'German law'."
    )

    @model_validator(mode="after")
    def _one_end(self) -> Term:
        if self.duration is None and self.end is None:
            raise problem("term", "the term needs 'duration' or 'end'", "e.g. duration: 24 months")
        if self.duration is not None and self.end is not None:
            raise problem(
                "term",
                "give either 'duration' or 'end', not both",
                "remove one of them",
                ("end",),
            )
        return self


class StageKind(StrEnum):
    ORDER_INTAKE = "order_intake"
    INTEGRATION = "integration"
    DELIVERY = "delivery"
    INCIDENT_HANDLING = "incident_handling"
    FOLLOW_UP = "follow_up"
    OTHER = "other"


class JourneyStage(Spec):
    """A step of the customer journey the agreement covers."""

    id: Identifier = Field(description="Identifier used by objectives and responsibilities.")
    name: str = Field(min_length=1, description="Name of the stage as customers see it.")
    kind: StageKind = Field(
        description="order_intake, integration, delivery, incident_handling, follow_up or other."
    )
    description: str | None = Field(default=None, description="What happens in this stage.")
    customer_outcome: str | None = Field(
        default=None, description="What the customer experiences when the stage goes well."
    )
