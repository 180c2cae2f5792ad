"""Verdicts: whether an objective was met, missed inside its tolerance, or breached.

Values are compared in canonical units: ratios in [0, 1], durations in seconds (business
seconds for business durations), scores as plain numbers. Ties go to the better side: a
value exactly at the target is met, exactly at the tolerance is a deviation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

from accord.core.calendars.spec import ALWAYS
from accord.core.model.measurement import Direction, ValueKind
from accord.core.periods import WindowSpan
from accord.core.units import Duration, Money, Percentage, format_decimal

__all__ = [
    "SCHEME_CAP",
    "Budget",
    "BurnRate",
    "Coverage",
    "CreditOwed",
    "Outcome",
    "Verdict",
    "WorkingTime",
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
    #: The data covers less of the window than the agreement's minimum: never met.
    INSUFFICIENT_DATA = "insufficient_data"


def canonical(
    value: Percentage | Duration | Decimal, working_time: WorkingTime | None = None
) -> Decimal:
    """A target, tolerance or threshold in canonical units.

    Business days become business seconds through the working-day length of the calendar
    the value is measured on.
    """
    if isinstance(value, Percentage):
        return value.ratio
    if isinstance(value, Duration):
        if value.business and value.unit == "day":
            if working_time is None:
                raise ValueError(f"{value} needs a calendar to be measured")
            return value.amount * working_time.day_seconds
        return value.seconds
    return value


@dataclass(frozen=True)
class WorkingTime:
    """The calendar whose working time a verdict's durations count (business durations)."""

    calendar: str
    #: Length of one business day of it, in seconds (its typical working day).
    day_seconds: Decimal

    @property
    def is_business(self) -> bool:
        """Whether only working hours count: on 24x7 business time is wall-clock time."""
        return self.calendar != ALWAYS


def judge(value: Decimal, target: Decimal, tolerance: Decimal, direction: Direction) -> Outcome:
    """Met at or better than the target; deviation down to the tolerance (inclusive)."""
    sign = 1 if direction is Direction.HIGHER_IS_BETTER else -1
    if sign * value >= sign * target:
        return Outcome.MET
    if sign * value >= sign * tolerance:
        return Outcome.DEVIATION
    return Outcome.BREACH


def show_value(value: Decimal | None, kind: ValueKind, *, business: bool = False) -> str:
    """A canonical value in the units people read: 99.95%, 1.2 seconds, 4.3.

    ``business``: a duration counts a business calendar's working time and says so.
    """
    if value is None:
        return "—"
    if kind is ValueKind.RATIO:
        return f"{format_decimal(round(value * 100, 4))}%"
    if kind is ValueKind.DURATION:
        return show_seconds(value, business=business)
    return format_decimal(round(value, 4))


def show_seconds(seconds: Decimal, *, business: bool = False) -> str:
    """Seconds in the largest readable unit, to three significant decimals.

    Business seconds are shown in hours at most: a business day's length depends on the
    calendar, so '1.5 business days' would be ambiguous.
    """
    units = (
        (Decimal(86400), "day"),
        (Decimal(3600), "hour"),
        (Decimal(60), "minute"),
        (Decimal(1), "second"),
    )
    for size, unit in units[1:] if business else units:
        if abs(seconds) >= size or (unit == "second" and seconds == 0):
            amount = format_decimal(round(seconds / size, 3 if size == 1 else 2))
            plural = "" if amount == "1" else "s"
            return f"{amount} {'business ' if business else ''}{unit}{plural}"
    return f"{format_decimal(round(seconds * 1000, 1))} ms"


@dataclass(frozen=True)
class Coverage:
    """How much of the window the data covers; missing data is a finding, not a pass."""

    ratio: Decimal
    detail: str
    #: The least coverage the agreement accepts, and where that rule comes from.
    minimum: Decimal | None = None
    rule: str = ""


@dataclass(frozen=True)
class BurnRate:
    """How fast one look-back window ending at the evaluation instant spends the budget."""

    span: dt.timedelta
    bad: int
    valid: int
    #: bad / valid ÷ (1 − target); ``None`` without valid events or without a budget.
    rate: Decimal | None


@dataclass(frozen=True)
class Budget:
    """Error budget of an occurrence objective in one window (SRE workbook definitions).

    ``allowed_events`` is (1 − target) × the window's volume; while the window is open that
    volume is projected from the traffic so far, as ``method`` states.
    """

    allowed_ratio: Decimal
    allowed_events: Decimal
    spent_events: int
    remaining_events: Decimal
    #: Share of the whole window's budget spent; ``None`` when the budget is zero and
    #: something was spent.
    consumed_ratio: Decimal | None
    #: Burn rate since the window's start: bad / valid so far ÷ (1 − target).
    burn_rate: Decimal | None
    #: When the budget runs out at the window's burn rate so far, if within the window.
    projected_exhaustion_at: dt.datetime | None
    alerts: tuple[str, ...] = ()
    #: Already spent: nothing left to project.
    exhausted: bool = False
    #: The window's volume the allowance is computed from (projected while open).
    window_events: Decimal | None = None
    #: How the window's volume was found.
    method: str = ""
    #: Burn rate over each alert look-back window, whether or not an alert fired.
    burn_rates: tuple[BurnRate, ...] = ()


#: How a credit names its scheme's own cap among the caps that clipped it.
SCHEME_CAP: Final = "scheme cap"


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
    #: The tier's amount before any cap, when a cap clipped it (``None``: not clipped).
    uncapped: Money | None = None
    #: The caps that clipped it, e.g. ``scheme cap 30%`` or ``per_period cap 20000 EUR``.
    clipped_by: tuple[str, ...] = ()

    @property
    def clipped(self) -> Money | None:
        """How much the caps took off, if anything."""
        if self.uncapped is None:
            return None
        return Money(self.uncapped.amount - self.amount.amount, self.amount.currency)


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
    #: The calendar its durations count working time on; ``None``: wall-clock time.
    working_time: WorkingTime | None = None
    #: What an insufficient_data verdict counts as for remedies (breach), if anything.
    counts_as: Outcome | None = None

    @property
    def counts_as_breach(self) -> bool:
        """A breach, or insufficient data the agreement counts as one."""
        return self.outcome is Outcome.BREACH or self.counts_as is Outcome.BREACH

    @property
    def scope_label(self) -> str:
        return ", ".join(f"{key}={value}" for key, value in self.scope.items()) or "all"

    def canonical(self, value: Percentage | Duration | Decimal) -> Decimal:
        """A threshold of the verdict's objective (a credit tier's, say) in canonical units."""
        return canonical(value, self.working_time)

    def show(self, value: Decimal | None) -> str:
        """A canonical value of this verdict as people read it, 'business' time included."""
        business = self.working_time is not None and self.working_time.is_business
        return show_value(value, self.value_kind, business=business)
