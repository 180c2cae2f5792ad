"""The agreement: the root of the language, one YAML document per partner SLA."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator

from accord.core.calendars.spec import Calendar, PeakPeriod, TimeZoneField
from accord.core.closing import DEFAULT_DATA_CUTOFF, check_cutoff
from accord.core.exclusions.spec import Exclusion
from accord.core.model.data_handling import DataHandling
from accord.core.model.governance import (
    ChangeManagement,
    Commitment,
    DisputeResolution,
    Governance,
    Responsibility,
)
from accord.core.model.incidents import EscalationLadder, IncidentPolicy
from accord.core.model.measurement import Indicator, Source
from accord.core.model.notifications import Notifications
from accord.core.model.objectives import Objective
from accord.core.model.parties import JourneyStage, Metadata, Party, Term
from accord.core.model.status import StatusPage
from accord.core.model.support import Support
from accord.core.remedies.spec import Remedies
from accord.core.spec import DurationField, Spec, problem
from accord.core.units import Duration, UnitError

__all__ = ["API_VERSION", "Agreement"]

#: The version of the language this model reads. Older versions are migrated on load.
API_VERSION = "accord/v1"


class Agreement(Spec):
    """One service level agreement between a consumer and a provider."""

    api_version: Literal["accord/v1"] = Field(
        alias="apiVersion", description="Version of the agreement language: accord/v1."
    )
    kind: Literal["Agreement"] = Field(description="Always 'Agreement'.")
    metadata: Metadata = Field(description="Identity and version of the agreement.")
    timezone: TimeZoneField = Field(
        description="Time zone in which calendar windows (months, quarters) are cut."
    )
    parties: list[Party] = Field(min_length=2, description="Organisations bound by it.")
    term: Term = Field(description="Effective date, term, renewal and termination.")
    journey: list[JourneyStage] = Field(
        default_factory=list, description="Customer journey stages covered."
    )
    calendars: list[Calendar] = Field(default_factory=list, description="Business calendars.")
    peak_periods: list[PeakPeriod] = Field(default_factory=list, description="Peak periods.")
    sources: list[Source] = Field(default_factory=list, description="Measurement data sources.")
    indicators: list[Indicator] = Field(default_factory=list, description="Indicators (SLIs).")
    objectives: list[Objective] = Field(default_factory=list, description="Objectives (SLOs).")
    exclusions: list[Exclusion] = Field(default_factory=list, description="Exclusions.")
    data_cutoff: DurationField | None = Field(
        default=None,
        description="How long after a window ends its data may still arrive and count; then "
        "the window closes and its verdicts and credits are final (changed only by a "
        "restatement). Whole business days (Monday to Friday in the agreement's time zone) or "
        "wall-clock time. Default: 5 business days.",
    )
    remedies: Remedies | None = Field(default=None, description="Credits and chronic failure.")
    responsibilities: list[Responsibility] = Field(
        default_factory=list, description="Responsibility (RACI) matrix."
    )
    escalation: list[EscalationLadder] = Field(
        default_factory=list, description="Escalation ladders."
    )
    incidents: IncidentPolicy | None = Field(default=None, description="Incident policy.")
    governance: Governance | None = Field(default=None, description="Governance.")
    data_handling: DataHandling | None = Field(default=None, description="Data handling.")
    change_management: ChangeManagement | None = Field(
        default=None, description="Change management."
    )
    disputes: DisputeResolution | None = Field(default=None, description="Dispute resolution.")
    support: Support | None = Field(default=None, description="Support commitments.")
    commitments: list[Commitment] = Field(
        default_factory=list, description="Qualitative commitments."
    )
    status_page: StatusPage | None = Field(
        default=None, description="The public status page (opt-in) and what it shows."
    )
    notifications: Notifications | None = Field(
        default=None, description="Reminders and webhooks (email goes to the parties' contacts)."
    )

    def dump(self) -> dict[str, object]:
        """The agreement as plain data in its normalised written form (round-trips)."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def version_hash(self) -> str:
        """SHA-256 of the canonical form: two files with the same meaning share it."""
        canonical = json.dumps(self.dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @field_validator("data_cutoff")
    @classmethod
    def _cutoff_needs_no_calendar(cls, value: Duration | None) -> Duration | None:
        if value is not None:
            try:
                check_cutoff(value)
            except UnitError as exc:
                raise problem("duration", exc.message, exc.hint) from None
        return value

    def cutoff(self) -> Duration:
        """The data cutoff: as declared, or ``DEFAULT_DATA_CUTOFF``."""
        return self.data_cutoff or DEFAULT_DATA_CUTOFF

    def effective_at(self) -> dt.datetime | None:
        """When this version takes effect (``metadata.effective``) as a UTC instant; a value
        without an offset is local time in the agreement's time zone. ``None``: not declared."""
        declared = self.metadata.effective
        if declared is None:
            return None
        if declared.tzinfo is None:
            declared = declared.replace(tzinfo=ZoneInfo(self.timezone))
        return declared.astimezone(dt.UTC)

    def party(self, party_id: str) -> Party:
        return next(party for party in self.parties if party.id == party_id)

    def provider(self) -> Party:
        return next(party for party in self.parties if party.role == "provider")

    def consumer(self) -> Party:
        return next(party for party in self.parties if party.role == "consumer")
