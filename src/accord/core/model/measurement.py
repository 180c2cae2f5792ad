"""Indicators: exactly how measurements are computed from the rows of a data source.

Every indicator kind states its formula in ``formula`` so that the rendered document, the
explanation of a verdict and the engine's query say the same thing. Sources themselves live
in ``accord.core.model.sources`` (re-exported here, where the language has always had them);
what every kind shares in ``accord.core.model.indicator_base``; the kinds that measure
Accord's own records (incident metrics, obligations on time) in ``accord.core.model.recorded``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from accord.core.model.indicator_base import Direction, IndicatorBase, ValueKind
from accord.core.model.recorded import IncidentMetricIndicator, ObligationsOnTimeIndicator
from accord.core.model.sources import Column, ColumnType, Source, SourceFormat, SourceKind
from accord.core.spec import (
    CalendarRef,
    DurationField,
    Identifier,
    PercentageField,
    PredicateField,
    Spec,
    problem,
)

__all__ = [
    "BusinessDurationIndicator",
    "BusinessGaugeIndicator",
    "Column",
    "ColumnType",
    "Direction",
    "FirstContactResolutionIndicator",
    "IncidentMetricIndicator",
    "Indicator",
    "IndicatorBase",
    "MeanTimeIndicator",
    "ObligationsOnTimeIndicator",
    "Pauses",
    "PercentileIndicator",
    "RatioIndicator",
    "Source",
    "SourceFormat",
    "SourceKind",
    "SurveyScoreIndicator",
    "ThresholdIndicator",
    "ThroughputIndicator",
    "TimesliceIndicator",
    "ValueKind",
]


class RatioIndicator(IndicatorBase):
    """Share of good events among valid events."""

    kind: Literal["ratio"] = Field(description="ratio")
    good: PredicateField = Field(description="Condition for a good event.")
    valid: PredicateField | None = Field(
        default=None, description="Condition for an event that counts; default every event."
    )

    def columns_used(self) -> set[str]:
        used = super().columns_used() | set(self.good.columns)
        return used | set(self.valid.columns) if self.valid else used

    def formula(self) -> str:
        valid = f" where {self.valid}" if self.valid else ""
        return f"count of events where {self.good} / count of events{valid}"


class ThresholdIndicator(IndicatorBase):
    """Share of events whose measure is at or below a threshold (e.g. latency under 300 ms)."""

    kind: Literal["threshold"] = Field(description="threshold")
    measure: str = Field(description="Logical column holding the measured value.")
    threshold: DurationField | Decimal = Field(
        description="Largest good value; a duration for duration columns, else a number."
    )
    inclusive: bool = Field(
        default=True, description="Whether a value exactly at the threshold counts as good."
    )

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.measure}

    def formula(self) -> str:
        op = "≤" if self.inclusive else "<"
        return f"count of events with {self.measure} {op} {self.threshold} / count of events"


class PercentileIndicator(IndicatorBase):
    """A percentile of a measured value, e.g. p99 latency."""

    kind: Literal["percentile"] = Field(description="percentile")
    measure: str = Field(description="Logical column holding the measured value.")
    percentile: Decimal = Field(gt=0, lt=100, description="Which percentile, e.g. 99 or 99.9.")
    method: Literal["exact", "approximate"] = Field(
        default="exact",
        description="exact: nearest-rank on sorted values; approximate: t-digest sketch.",
    )

    value_kind: ClassVar[ValueKind] = ValueKind.DURATION

    def direction(self) -> Direction:
        return Direction.LOWER_IS_BETTER

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.measure}

    def formula(self) -> str:
        if self.method == "approximate":
            return (
                f"p{self.percentile} of {self.measure}, estimated from a t-digest sketch "
                f"(approximate; the exact value is the nearest rank)"
            )
        return (
            f"p{self.percentile} of {self.measure}, nearest rank: the "
            f"⌈{self.percentile}/100 × n⌉-th smallest of the n values"
        )


class TimesliceIndicator(IndicatorBase):
    """Share of good time slices: the cloud-style monthly uptime percentage."""

    kind: Literal["timeslice"] = Field(description="timeslice")
    counts: ClassVar[str] = "slices"
    slice: DurationField = Field(description="Length of each slice, e.g. '1m' or '5m'.")
    good: PredicateField = Field(description="Condition for a good event within a slice.")
    slice_target: PercentageField = Field(
        description="Share of good events a slice needs to count as good (up)."
    )
    no_traffic: Literal["good", "bad", "excluded"] = Field(
        description="How a slice without events counts: good, bad, or excluded from both sides."
    )

    @model_validator(mode="after")
    def _fixed_slice(self) -> TimesliceIndicator:
        if not self.slice.is_fixed or self.slice.seconds < 1:
            raise problem(
                "slice",
                f"slice {self.slice} must be a fixed length of 1s or more",
                "write e.g. slice: 1m",
                ("slice",),
            )
        return self

    def columns_used(self) -> set[str]:
        return super().columns_used() | set(self.good.columns)

    def formula(self) -> str:
        return (
            f"good {self.slice} slices / counted slices; a slice is good when at least "
            f"{self.slice_target} of its events satisfy {self.good}; slices without traffic "
            f"count as {self.no_traffic}"
        )


class Pauses(Spec):
    """Periods during which a duration clock stops, from a status-change source."""

    source: Identifier = Field(description="A status_changes source keyed like the tickets.")
    status: str = Field(default="status", description="Logical column holding the new status.")
    states: list[str] = Field(
        min_length=1, description="Statuses that pause the clock, e.g. waiting_on_customer."
    )


class BusinessDurationIndicator(IndicatorBase):
    """Elapsed business time between two timestamps of a ticket, on a calendar, minus pauses."""

    kind: Literal["business_duration"] = Field(description="business_duration")
    start: str = Field(description="Logical column where the clock starts, e.g. opened_at.")
    end: str = Field(description="Logical column where it stops, e.g. first_response_at.")
    calendar: CalendarRef = Field(description="Calendar whose working time is counted.")
    pauses: Pauses | None = Field(default=None, description="States that stop the clock.")
    statistic: Literal["within", "mean", "median", "percentile"] = Field(
        description="within: share of tickets within 'threshold'; mean, median, or percentile."
    )
    threshold: DurationField | None = Field(
        default=None, description="For 'within': the business time allowed."
    )
    percentile: Decimal | None = Field(
        default=None, gt=0, lt=100, description="For 'percentile': which one."
    )
    unfinished: Literal["exclude", "count_as_late"] = Field(
        default="count_as_late",
        description="How a ticket still open at the window end counts for 'within'.",
    )

    @model_validator(mode="after")
    def _statistic_fields(self) -> BusinessDurationIndicator:
        if self.statistic == "within" and self.threshold is None:
            raise problem(
                "statistic",
                "statistic 'within' needs a 'threshold'",
                "add e.g. threshold: 4 business hours",
            )
        if self.statistic == "percentile" and self.percentile is None:
            raise problem(
                "statistic", "statistic 'percentile' needs 'percentile'", "add e.g. percentile: 90"
            )
        return self

    @property
    def value_kind(self) -> ValueKind:  # type: ignore[override]
        return ValueKind.RATIO if self.statistic == "within" else ValueKind.DURATION

    def direction(self) -> Direction:
        if self.statistic == "within":
            return Direction.HIGHER_IS_BETTER
        return Direction.LOWER_IS_BETTER

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.start, self.end}

    def formula(self) -> str:
        clock = f"business time on calendar {self.calendar} from {self.start} to {self.end}"
        if self.pauses:
            clock += f", paused while status is {', '.join(self.pauses.states)}"
        if self.statistic == "within":
            return f"share of tickets whose {clock} is ≤ {self.threshold}"
        if self.statistic == "percentile":
            return f"p{self.percentile} of {clock}"
        return f"{self.statistic} of {clock}"


class MeanTimeIndicator(IndicatorBase):
    """Mean or median wall-clock time between two incident timestamps (MTTD, MTTR)."""

    kind: Literal["mean_time"] = Field(description="mean_time")
    start: str = Field(description="Logical column where the interval starts.")
    end: str = Field(description="Logical column where it ends.")
    statistic: Literal["mean", "median"] = Field(default="mean", description="mean or median.")

    value_kind: ClassVar[ValueKind] = ValueKind.DURATION

    def direction(self) -> Direction:
        return Direction.LOWER_IS_BETTER

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.start, self.end}

    def formula(self) -> str:
        return f"{self.statistic} of ({self.end} − {self.start}) over incidents"


class FirstContactResolutionIndicator(IndicatorBase):
    """Share of resolved tickets that were resolved in the first contact."""

    kind: Literal["first_contact_resolution"] = Field(description="first_contact_resolution")
    contacts: str = Field(description="Logical column counting contacts until resolution.")
    resolved: PredicateField = Field(description="Condition for a resolved ticket.")

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.contacts} | set(self.resolved.columns)

    def formula(self) -> str:
        return (
            f"count of tickets where {self.resolved} and {self.contacts} = 1 / "
            f"count of tickets where {self.resolved}"
        )


class SurveyScoreIndicator(IndicatorBase):
    """A customer survey score: mean (CSAT), share satisfied, or Net Promoter Score."""

    kind: Literal["survey_score"] = Field(description="survey_score")
    score: str = Field(description="Logical column holding each response's score.")
    method: Literal["mean", "share_satisfied", "nps"] = Field(
        description="mean of scores; share of scores ≥ 'satisfied_at_least'; or NPS "
        "(% of 9–10 minus % of 0–6, on a 0–10 scale)."
    )
    scale_min: Decimal = Field(default=Decimal(1), description="Lowest possible score.")
    scale_max: Decimal = Field(default=Decimal(5), description="Highest possible score.")
    satisfied_at_least: Decimal | None = Field(
        default=None, description="For share_satisfied: the lowest satisfied score."
    )

    @model_validator(mode="after")
    def _scale(self) -> SurveyScoreIndicator:
        if self.scale_max <= self.scale_min:
            raise problem(
                "scale",
                f"scale_max {self.scale_max} must be above scale_min {self.scale_min}",
                "e.g. scale_min: 1, scale_max: 5",
                ("scale_max",),
            )
        if self.method == "share_satisfied" and self.satisfied_at_least is None:
            raise problem(
                "method",
                "method 'share_satisfied' needs 'satisfied_at_least'",
                "add e.g. satisfied_at_least: 4",
            )
        if self.method == "nps" and (self.scale_min, self.scale_max) != (Decimal(0), Decimal(10)):
            raise problem(
                "method", "NPS is defined on a 0–10 scale", "set scale_min 0, scale_max 10"
            )
        return self

    @property
    def value_kind(self) -> ValueKind:  # type: ignore[override]
        return ValueKind.RATIO if self.method == "share_satisfied" else ValueKind.NUMBER

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.score}

    def formula(self) -> str:
        if self.method == "nps":
            return f"100 × (share of {self.score} ≥ 9 − share of {self.score} ≤ 6)"
        if self.method == "share_satisfied":
            return f"count of responses with {self.score} ≥ {self.satisfied_at_least} / responses"
        return f"mean of {self.score} (scale {self.scale_min}–{self.scale_max})"


class BusinessGaugeIndicator(IndicatorBase):
    """A business figure as a ratio of sums, e.g. renewal rate or churn rate."""

    kind: Literal["business_gauge"] = Field(description="business_gauge")
    numerator: str = Field(description="Logical column summed above the line, e.g. renewed.")
    denominator: str = Field(description="Logical column summed below the line, e.g. due.")
    better: Literal["higher", "lower"] = Field(
        description="higher for renewal-like gauges, lower for churn-like gauges."
    )

    def direction(self) -> Direction:
        return Direction.HIGHER_IS_BETTER if self.better == "higher" else Direction.LOWER_IS_BETTER

    def columns_used(self) -> set[str]:
        return super().columns_used() | {self.numerator, self.denominator}

    def formula(self) -> str:
        return f"sum of {self.numerator} / sum of {self.denominator}"


class ThroughputIndicator(IndicatorBase):
    """Share of periods (hours, days) with at least a minimum number of events, e.g. 'at
    least 10,000 authorisations per hour during peak'."""

    kind: Literal["throughput"] = Field(description="throughput")
    per: DurationField = Field(
        description="Length of each period, e.g. '1h'; '1d' is a local day of the time zone."
    )
    minimum: int = Field(gt=0, description="Fewest events a period needs, e.g. 10000.")
    counts: ClassVar[str] = "periods"

    @model_validator(mode="after")
    def _fixed_period(self) -> ThroughputIndicator:
        if not self.per.is_fixed or self.per.seconds < 60 or self.per.seconds > 86400:
            raise problem(
                "per",
                f"per {self.per} must be a fixed length from 1 minute to 1 day",
                "write e.g. per: 1h",
                ("per",),
            )
        return self

    def formula(self) -> str:
        return (
            f"periods of {self.per} with at least {self.minimum:,} events / counted periods; "
            "a period without events falls short"
        )

    def in_words(self) -> str:
        return (
            f"the share of periods of {self.per} in which at least {self.minimum:,} events "
            "arrived (a period without events falls short)"
        )


Indicator = Annotated[
    RatioIndicator
    | ThresholdIndicator
    | PercentileIndicator
    | TimesliceIndicator
    | BusinessDurationIndicator
    | MeanTimeIndicator
    | FirstContactResolutionIndicator
    | SurveyScoreIndicator
    | BusinessGaugeIndicator
    | ThroughputIndicator
    | IncidentMetricIndicator
    | ObligationsOnTimeIndicator,
    Field(discriminator="kind"),
]
