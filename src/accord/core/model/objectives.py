"""Objectives (targets with tolerance bands over windows and scopes), exclusions and remedies."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from accord.core.model.fields import (
    DurationField,
    Identifier,
    MeasureField,
    MoneyField,
    PercentageField,
    PredicateField,
    Spec,
    problem,
)
from accord.core.units import Duration, Money, Percentage

__all__ = [
    "ChronicFailure",
    "Consistency",
    "CreditScheme",
    "CreditTier",
    "Exclusion",
    "ExclusionKind",
    "Objective",
    "Remedies",
    "Window",
    "WindowField",
    "WindowKind",
]


class WindowKind(StrEnum):
    CALENDAR = "calendar"
    ROLLING = "rolling"


_CALENDAR_UNITS: Final = ("day", "week", "month", "quarter", "year")
_ROLLING_RE: Final = re.compile(r"^\s*rolling\s+(\d+)\s*(d|days?)\s*$", re.IGNORECASE)


class Window:
    """The period an objective is judged over: a calendar unit or a rolling number of days."""

    __slots__ = ("days", "kind", "unit")

    def __init__(self, kind: WindowKind, unit: str | None = None, days: int | None = None) -> None:
        self.kind = kind
        self.unit = unit
        self.days = days

    @classmethod
    def parse(cls, text: str) -> Window:
        lowered = text.strip().lower()
        if lowered in _CALENDAR_UNITS:
            return cls(WindowKind.CALENDAR, unit=lowered)
        match = _ROLLING_RE.match(lowered)
        if match:
            days = int(match.group(1))
            if not 1 <= days <= 366:
                raise ValueError(f"rolling window {text!r} must be 1 to 366 days")
            return cls(WindowKind.ROLLING, days=days)
        raise ValueError(f"{text!r} is not a window")

    def __str__(self) -> str:
        return self.unit if self.unit else f"rolling {self.days} days"

    def describe(self) -> str:
        """Plain words: 'each calendar month', 'any 28 consecutive days'."""
        if self.unit:
            return f"each calendar {self.unit}"
        return f"any {self.days} consecutive days"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Window) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Window({self})"


def _window(value: object) -> Window:
    if isinstance(value, Window):
        return value
    if not isinstance(value, str):
        raise problem(
            "window",
            f"expected a window such as 'month', got {value!r}",
            "use day, week, month, quarter, year or 'rolling N days'",
        )
    try:
        return Window.parse(value)
    except ValueError as exc:
        raise problem(
            "window", str(exc), "use day, week, month, quarter, year or 'rolling N days'"
        ) from None


WindowField = Annotated[
    Window,
    PlainValidator(_window),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "day, week, month, quarter, year (calendar, in the agreement's time "
            "zone) or 'rolling N days'.",
            "examples": ["month", "rolling 28 days"],
        }
    ),
]


class Consistency(Spec):
    """Consistency across scopes (e.g. geographies): worst and spread are judged too."""

    across: str = Field(description="Scope dimension compared, e.g. region.")
    max_spread: MeasureField = Field(
        description="Largest allowed difference between the best and worst scope."
    )


class Objective(Spec):
    """A target for an indicator over a window and scope, with a tolerance band."""

    id: Identifier = Field(description="Identifier used by remedies and reports.")
    name: str = Field(min_length=1, description="Name as it appears in the document.")
    indicator: Identifier = Field(description="Indicator the objective judges.")
    stage: Identifier | None = Field(default=None, description="Journey stage it belongs to.")
    target: MeasureField = Field(description="Value that meets the objective.")
    tolerance: MeasureField = Field(
        description="Worst value still counted as a deviation rather than a breach; between "
        "target and tolerance (inclusive) is a deviation, beyond it a breach."
    )
    window: WindowField = Field(description="Window the objective is judged over.")
    scope: list[str] = Field(
        default_factory=list,
        description="Dimensions judged separately, e.g. [region, priority]; empty: one scope.",
    )
    where: PredicateField | None = Field(
        default=None, description="Extra condition restricting the events, e.g. priority = 'P1'."
    )
    during: Identifier | None = Field(
        default=None, description="Peak period the objective is restricted to."
    )
    consistency: Consistency | None = Field(
        default=None, description="Consistency requirement across one scope dimension."
    )
    minimum_events: int = Field(
        default=1, ge=0, description="Fewer valid events in a window make it 'insufficient data'."
    )
    exclusions: list[Identifier] | None = Field(
        default=None, description="Exclusions that apply; absent means all that apply to it."
    )
    description: str | None = Field(default=None, description="Why the objective matters.")


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


class CreditTier(Spec):
    """One step of a credit scheme: a credit owed when the value is worse than a threshold."""

    below: MeasureField | None = Field(
        default=None, description="Tier applies when the value is strictly below this."
    )
    above: MeasureField | None = Field(
        default=None, description="Tier applies when the value is strictly above this."
    )
    credit: PercentageField | MoneyField = Field(
        description="Credit as a share of the basis ('10%') or a fixed amount ('500 EUR')."
    )

    @model_validator(mode="after")
    def _one_threshold(self) -> CreditTier:
        if (self.below is None) == (self.above is None):
            raise problem(
                "tier",
                "a tier needs exactly one of 'below' or 'above'",
                "write e.g. {below: 99.9%, credit: 5%}, or {above: 500ms, credit: 5%} where "
                "lower values are better",
            )
        return self

    @property
    def threshold(self) -> Percentage | Duration | Decimal:
        value = self.below if self.below is not None else self.above
        assert value is not None  # guaranteed by _one_threshold
        return value


class CreditScheme(Spec):
    """Service credits owed for objectives, tiered and capped."""

    id: Identifier = Field(description="Identifier of the scheme.")
    objectives: list[Identifier] = Field(min_length=1, description="Objectives it covers.")
    basis: MoneyField = Field(description="Amount credits are a share of, e.g. the monthly fee.")
    basis_description: str = Field(
        default="monthly fee", description="What the basis is, e.g. 'monthly fee for the API'."
    )
    tiers: list[CreditTier] = Field(min_length=1, description="Tiers; the worst matching applies.")
    cap: PercentageField | MoneyField = Field(
        description="Most credit per window, as a share of the basis or an amount."
    )

    def cap_amount(self) -> Money:
        """The cap in money."""
        if isinstance(self.cap, Money):
            return self.cap
        return self.basis.times(self.cap.ratio)

    def tier_amount(self, tier: CreditTier) -> Money:
        """The credit of one tier in money."""
        if isinstance(tier.credit, Money):
            return tier.credit
        return self.basis.times(tier.credit.ratio)


class ChronicFailure(Spec):
    """Repeated failure: N breaches within M consecutive windows, and what follows."""

    id: Identifier = Field(description="Identifier of the clause.")
    objectives: list[Identifier] = Field(min_length=1, description="Objectives it watches.")
    breaches: int = Field(ge=1, description="Number of breaches that trigger it.")
    within_windows: int = Field(ge=1, description="Number of consecutive windows looked at.")
    consequence: str = Field(min_length=1, description="What follows, e.g. right to terminate.")

    @model_validator(mode="after")
    def _fits(self) -> ChronicFailure:
        if self.breaches > self.within_windows:
            raise problem(
                "chronic",
                f"{self.breaches} breaches cannot happen within {self.within_windows} windows",
                "breaches must be at most within_windows",
                ("breaches",),
            )
        return self


class Remedies(Spec):
    """What follows failure: credits, chronic-failure clauses, the claim window."""

    claim_window: DurationField = Field(
        description="Time after a window's report within which credits must be claimed."
    )
    credits: list[CreditScheme] = Field(default_factory=list, description="Credit schemes.")
    chronic: list[ChronicFailure] = Field(default_factory=list, description="Chronic clauses.")
    sole_remedy: bool = Field(
        default=False, description="Whether credits are the consumer's only remedy."
    )
    payment: Literal["invoice_deduction", "refund", "service_extension"] = Field(
        default="invoice_deduction", description="How credits are paid."
    )
