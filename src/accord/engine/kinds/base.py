"""The protocol every indicator kind implements: a plan of aggregates and a reading of them.

A kind turns one indicator of the agreement language into a ``Plan``: the aggregates it
needs per scope (SQLGlot expressions over the objective's rows, each saying whether it adds
up across units of the window: days, slices), and how one scope's results become a typed
``Reading`` (value, counts and the formula with the numbers filled in). The planner
(``accord.engine.planner``) decides how to compute the aggregates, alone or in one scan with
other objectives reading the same rows; the kind never writes a statement of its own.

Two capabilities are optional. A kind judged unit by unit (time slices, events per hour)
gives ``units``: a grid that cuts the window, the per-unit aggregates, the rule that a
unit is good and how a unit without events counts (the drill-down lists the bad units).
A kind measured on a clock (tickets on a business calendar) gives ``clock``: how the
window's rows are joined to their durations (the drill-down lists each ticket on it). A
kind whose value is good / valid events gives ``burn`` (the drill-down lists its worst
hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Literal, Protocol, TypeVar

from sqlglot import exp

from accord.core.model import Agreement
from accord.core.model.measurement import IndicatorBase, Source
from accord.core.periods import WindowSpan
from accord.core.verdicts import WorkingTime
from accord.engine.connection import Connection
from accord.engine.grids import Grid
from accord.engine.sql import call, count, filtered

__all__ = [
    "Aggregate",
    "Burn",
    "Clock",
    "Count",
    "Kind",
    "Plan",
    "Reading",
    "Setting",
    "Statistic",
    "Sum",
    "UnitCounts",
    "Units",
    "Values",
]

IndicatorT_contra = TypeVar("IndicatorT_contra", bound=IndicatorBase, contravariant=True)


@dataclass(frozen=True)
class Count:
    """How many rows meet a condition (every row without one). Counts add up across units."""

    where: exp.Expr | None = None
    additive: ClassVar[bool] = True

    def over(self, *restrictions: exp.Expr | None) -> exp.Expr:
        """The aggregate over the rows the restrictions (inclusion, look-back) leave."""
        return count(*restrictions, self.where)


@dataclass(frozen=True)
class Sum:
    """The sum of a value over the rows meeting a condition. Sums add up across units."""

    of: exp.Expr
    where: exp.Expr | None = None
    additive: ClassVar[bool] = True

    def over(self, *restrictions: exp.Expr | None) -> exp.Expr:
        return filtered(call("sum", self.of.copy()), *restrictions, self.where)


@dataclass(frozen=True)
class Statistic:
    """A value of all a scope's rows at once: a percentile, mean or median. It does not add
    up across units, so it is taken over the whole window per scope."""

    function: exp.Expr
    where: exp.Expr | None = None
    additive: ClassVar[bool] = False

    def over(self, *restrictions: exp.Expr | None) -> exp.Expr:
        return filtered(self.function.copy(), *restrictions, self.where)


Aggregate = Count | Sum | Statistic


@dataclass(frozen=True)
class UnitCounts:
    """A scope's units in a window: counted, left out by exclusions, with events, good."""

    total: int
    excluded: int
    with_traffic: int
    good: int
    events: int


@dataclass(frozen=True)
class Values:
    """One scope's results: each aggregate's value under its name in the plan (absent for a
    scope without rows), and the unit counts of a kind judged unit by unit."""

    found: Mapping[str, object] = field(default_factory=dict)
    units: UnitCounts | None = None

    def count(self, name: str) -> int:
        """A count (0 when absent)."""
        value = self.found.get(name)
        return int(value) if isinstance(value, (int, float, Decimal)) else 0

    def number(self, name: str) -> Decimal:
        """A number exactly as the engine returned it (0 when absent)."""
        value = self.value(name)
        return Decimal(0) if value is None else value

    def value(self, name: str) -> Decimal | None:
        """A number exactly as the engine returned it, None when there is none."""
        value = self.found.get(name)
        return None if value is None else Decimal(str(value))

    def counted_units(self) -> UnitCounts:
        """The unit counts (only a plan with units has them)."""
        if self.units is None:
            raise ValueError("these values have no unit counts: the plan has no units")
        return self.units


@dataclass(frozen=True)
class Reading:
    """A scope's measurement: the value (None: no data), the counts behind it and the
    formula with its numbers filled in (the engine appends ``= value``)."""

    value: Decimal | None
    counts: dict[str, int]
    computation: str
    #: What exclusions left out, by what they count (events, slices …); None: the rows.
    excluded: dict[str, int] | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Burn:
    """Good and valid events, as counts the engine can take again over the look-back
    windows of burn-rate alerts (only for kinds whose value is good / valid events)."""

    good: Count
    valid: Count


@dataclass(frozen=True)
class Units:
    """A kind judged unit by unit: the window cut into units by ``grid``; per unit, the
    counted ``events`` (a unit with none has no traffic) and ``partials``; ``good`` says,
    from the unit's columns (``events`` and each partial by name), whether it is good."""

    grid: Grid
    good: Callable[[Mapping[str, exp.Expr]], exp.Expr]
    events: Count = field(default_factory=Count)
    partials: Mapping[str, Count] = field(default_factory=dict)
    #: How a unit without counted events counts (within a window that has traffic): the
    #: drill-down lists it among the bad units when it counts as bad.
    quiet: Literal["good", "bad", "excluded"] = "bad"


class Clock(Protocol):
    """Rows measured on a clock: each row (a ticket) joined to the time its clock ran."""

    #: The alias of the rows in ``joined`` (aggregates and scope columns refer to it).
    rows_alias: ClassVar[str]

    def prepare(self, con: Connection, as_of: dt.datetime) -> None:
        """Whatever the statements need in the connection (a schedule table), once."""
        ...

    def joined(self, rows: exp.Select, as_of: dt.datetime) -> exp.Select:
        """The window's rows joined to their clock times, without a projection yet."""
        ...

    def working_time(self) -> WorkingTime:
        """The calendar whose working time is counted, with the length of its business day
        (for targets written in business days, and for showing 'business' time)."""
        ...


@dataclass(frozen=True)
class Plan:
    """How the engine measures one indicator (see the module's docstring)."""

    aggregates: Mapping[str, Aggregate]
    read: Callable[[Values], Reading]
    units: Units | None = None
    clock: Clock | None = None
    burn: Burn | None = None
    #: Other sources the measurement reads (a clock's status changes).
    reads: Sequence[Source] = ()


@dataclass(frozen=True)
class Setting:
    """What a kind may consult besides its indicator: the agreement and the source read."""

    agreement: Agreement
    source: Source
    span: WindowSpan | None = None


class Kind(Protocol[IndicatorT_contra]):
    """One kind of the agreement language's indicators, planned for the engine."""

    def plan(self, indicator: IndicatorT_contra, setting: Setting) -> Plan:
        """The plan measuring this indicator."""
        ...
