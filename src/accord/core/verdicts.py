"""Verdicts: whether an objective was met, missed inside its tolerance, or breached.

Values are compared in canonical units: ratios in [0, 1], durations in seconds (business
seconds for business durations), scores as plain numbers. Ties go to the better side: a
value exactly at the target is met, exactly at the tolerance is a deviation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from accord.core.model.measurement import Direction, ValueKind
from accord.core.periods import WindowSpan
from accord.core.units import Duration, Money, Percentage, format_decimal

__all__ = [
    "Budget",
    "Coverage",
    "CreditOwed",
    "Outcome",
    "Verdict",
    "canonical",
    "judge",
    "show_seconds",
    "show_value",
]


class Outcome(StrEnum):
    MET = "met"
    DEVIATION = "deviation"
    BREACH = "breach"
    NO_DATA = "no_data"


def canonical(
    value: Percentage | Duration | Decimal,
    business_day_seconds: Callable[[], Decimal] | None = None,
) -> Decimal:
    """A target, tolerance or threshold in canonical units.

    Business days become business seconds through the calendar's working-day length.
    """
    if isinstance(value, Percentage):
        return value.ratio
    if isinstance(value, Duration):
        if value.business and value.unit == "day":
            if business_day_seconds is None:
                raise ValueError(f"{value} needs a calendar to be measured")
            return value.amount * business_day_seconds()
        return value.seconds
    return value


def judge(value: Decimal, target: Decimal, tolerance: Decimal, direction: Direction) -> Outcome:
    """Met at or better than the target; deviation down to the tolerance (inclusive)."""
    sign = 1 if direction is Direction.HIGHER_IS_BETTER else -1
    if sign * value >= sign * target:
        return Outcome.MET
    if sign * value >= sign * tolerance:
        return Outcome.DEVIATION
    return Outcome.BREACH


def show_value(value: Decimal | None, kind: ValueKind) -> str:
    """A canonical value in the units people read: 99.95%, 1.2 seconds, 4.3."""
    if value is None:
        return "—"
    if kind is ValueKind.RATIO:
        return f"{format_decimal(round(value * 100, 4))}%"
    if kind is ValueKind.DURATION:
        return show_seconds(value)
    return format_decimal(round(value, 4))


def show_seconds(seconds: Decimal) -> str:
    """Seconds in the largest readable unit, to three significant decimals."""
    for size, unit in (
        (Decimal(86400), "days"),
        (Decimal(3600), "hours"),
        (Decimal(60), "minutes"),
    ):
        if abs(seconds) >= size:
            return f"{format_decimal(round(seconds / size, 2))} {unit}"
    if abs(seconds) >= 1 or seconds == 0:
        return f"{format_decimal(round(seconds, 3))} seconds"
    return f"{format_decimal(round(seconds * 1000, 1))} ms"


@dataclass(frozen=True)
class Coverage:
    """How much of the window the data covers; missing data is a finding, not a pass."""

    ratio: Decimal
    detail: str


@dataclass(frozen=True)
class Budget:
    """Error budget of an occurrence objective in one window (SRE workbook definitions)."""

    allowed_ratio: Decimal
    allowed_events: Decimal
    spent_events: int
    remaining_events: Decimal
    #: Share of the budget spent; ``None`` when the budget is zero and something was spent.
    consumed_ratio: Decimal | None
    burn_rate: Decimal | None
    projected_exhaustion_at: str | None
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreditOwed:
    """A service credit under a scheme for one window, with the rule that produced it."""

    scheme: str
    objective: str
    scope: str
    tier: int
    amount: Money
    capped: bool
    claim_deadline: str
    rule: str


@dataclass(frozen=True)
class Verdict:
    """One objective × scope × window, with everything needed to recompute it."""

    objective: str
    scope: dict[str, str]
    window: WindowSpan
    outcome: Outcome
    value: Decimal | None
    target: Decimal
    tolerance: Decimal
    value_kind: ValueKind
    direction: Direction
    counts: dict[str, int]
    formula: str
    computation: str
    coverage: Coverage
    agreement_version: str
    exclusions: dict[str, int] = field(default_factory=dict)
    budget: Budget | None = None
    notes: tuple[str, ...] = ()

    @property
    def scope_label(self) -> str:
        return ", ".join(f"{key}={value}" for key, value in self.scope.items()) or "all"
