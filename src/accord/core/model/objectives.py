"""Objectives: targets with tolerance bands over windows and scopes."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from accord.core.model.sources import InsufficientData
from accord.core.spec import (
    DurationField,
    Identifier,
    MeasureField,
    MoneyField,
    PercentageField,
    PredicateField,
    Spec,
    problem,
)

__all__ = [
    "BurnAlertSpec",
    "Consistency",
    "Objective",
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
    credit: MoneyField | None = Field(
        default=None,
        description="A credit the ledger books for each window whose spread is larger, "
        "e.g. 1000 EUR (booked as scheme 'consistency-<objective>').",
    )


class BurnAlertSpec(Spec):
    """A multi-window burn-rate alert (SRE workbook): it fires when both look-back windows
    burn the error budget faster than the rate that spends ``budget`` of the window's budget
    within ``long``."""

    name: str = Field(min_length=1, description="Name shown when it fires, e.g. 'page: fast burn'.")
    long: DurationField = Field(description="Long look-back window, wall-clock time, e.g. 1h.")
    short: DurationField = Field(
        description="Short confirming window, shorter than the long one, e.g. 5m; it lets "
        "the alert clear soon after recovery."
    )
    budget: PercentageField = Field(
        description="Share of the window's error budget that, spent within the long "
        "look-back, fires the alert, e.g. 2%."
    )

    @model_validator(mode="after")
    def _wall_clock_and_ordered(self) -> BurnAlertSpec:
        for name in ("long", "short"):
            length = getattr(self, name)
            if not length.is_fixed:
                raise problem(
                    "burn_alert",
                    f"look-back window {length} must be fixed wall-clock time",
                    "write minutes, hours or days, e.g. '1h' or '3d'",
                    (name,),
                )
        if self.short.seconds >= self.long.seconds:
            raise problem(
                "burn_alert",
                f"the short window {self.short} must be shorter than the long one {self.long}",
                "the workbook pairs e.g. 1h with 5m and 6h with 30m",
                ("short",),
            )
        if self.budget.ratio <= 0:
            raise problem(
                "burn_alert",
                "a burn-rate alert on 0% of the budget would fire on the first bad event",
                "write a share above 0%, e.g. '2%'",
                ("budget",),
            )
        return self


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
    min_coverage: PercentageField | None = Field(
        default=None,
        description="Least data coverage for a window to be judged; below it the outcome is "
        "insufficient_data, never met. Absent: the source's, else 90%.",
    )
    insufficient_data: InsufficientData | None = Field(
        default=None,
        description="What follows below the minimum coverage: no_verdict or breach. Absent: "
        "the source's, else no_verdict.",
    )
    burn_alerts: list[BurnAlertSpec] | None = Field(
        default=None,
        description="Multi-window burn-rate alerts of an occurrence objective; absent: the SRE "
        "workbook's four (2% of the budget in 1h/5m, 5% in 6h/30m, 10% in 1d/2h, 10% in "
        "3d/6h); an empty list: none.",
    )
    description: str | None = Field(default=None, description="Why the objective matters.")
