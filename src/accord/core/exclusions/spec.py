"""How exclusions are written: maintenance, force majeure and consumer-caused events."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from accord.core.spec import DurationField, Identifier, PredicateField, Spec, problem

__all__ = ["Exclusion", "ExclusionKind"]


class ExclusionKind(StrEnum):
    MAINTENANCE = "maintenance"
    FORCE_MAJEURE = "force_majeure"
    CONSUMER_CAUSED = "consumer_caused"


class Exclusion(Spec):
    """Time or events that do not count against objectives."""

    id: Identifier = Field(description="Identifier used by objectives.")
    kind: ExclusionKind = Field(description="maintenance, force_majeure or consumer_caused.")
    description: str = Field(min_length=1, description="The rule in plain words.")
    source: Identifier | None = Field(
        default=None,
        description="Source listing the excluded periods or events (maintenance "
        "announcements, incidents).",
    )
    where: PredicateField | None = Field(
        default=None, description="Condition on the source selecting the excluded rows."
    )
    ends: str | None = Field(
        default=None,
        description="For a source listing periods: the logical column where each period "
        "ends (the source's timestamp is where it starts); default 'ends_at' when the source "
        "has it. Without one, the exclusion removes the source's matching rows themselves.",
    )
    match: list[str] = Field(
        default_factory=list,
        description="Columns a period and an event must share for the event to be excluded, "
        "e.g. [region]: an outage declared in one region excludes only that region's events.",
    )
    notice: DurationField | None = Field(
        default=None, description="Maintenance: minimum advance notice for it to count."
    )
    monthly_cap: DurationField | None = Field(
        default=None, description="Maintenance: most excluded time per calendar month."
    )
    window: str | None = Field(
        default=None, description="Maintenance: when it may take place, in words."
    )

    @model_validator(mode="after")
    def _maintenance_rules(self) -> Exclusion:
        if self.kind is ExclusionKind.MAINTENANCE and self.notice is None:
            raise problem(
                "exclusion",
                f"maintenance exclusion {self.id!r} needs a 'notice' period",
                "add e.g. notice: 5 days",
            )
        if self.kind is not ExclusionKind.MAINTENANCE and (self.notice or self.monthly_cap):
            raise problem(
                "exclusion",
                f"only maintenance exclusions have 'notice' or 'monthly_cap', not {self.kind}",
                "remove them, or set kind: maintenance",
                ("notice",) if self.notice else ("monthly_cap",),
            )
        if self.monthly_cap is not None and not self.monthly_cap.is_fixed:
            raise problem(
                "exclusion",
                f"the monthly cap {self.monthly_cap} is not wall-clock time",
                "write it in minutes, hours or days, e.g. '4h'",
                ("monthly_cap",),
            )
        return self
