"""Throughput: the share of periods (hours, days) in which at least a minimum number of events
arrived, e.g. "at least 10,000 authorisations per hour during peak".

The window is cut into periods of the indicator's ``per``: fixed slices from the window's
start, or the local days of the agreement's time zone when ``per`` is one day (23 or 25 hours
long on a daylight-saving change). A period is met when it holds at least ``minimum`` of the
indicator's events; a period without events falls short (no traffic is no throughput), but
only within a window that has events at all: a scope without any has no data. Periods
overlapping an excluded period are left out whole; during a peak period only the periods the
peak covers count.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlglot import exp

from accord.core.model.measurement import ThroughputIndicator
from accord.engine.grids import Grid, LocalDays, Slices
from accord.engine.kinds.base import Plan, Reading, Setting, Units, Values
from accord.engine.sql import number

__all__ = ["KIND", "Throughput"]

_DAY = 86400


class Throughput:
    def plan(self, indicator: ThroughputIndicator, setting: Setting) -> Plan:
        del setting
        minimum = number(Decimal(indicator.minimum))

        def met(unit: Mapping[str, exp.Expr]) -> exp.Expr:
            return exp.GTE(this=unit["events"].copy(), expression=minimum.copy())

        units = Units(grid=_grid(indicator), good=met)
        return Plan(aggregates={}, read=lambda values: _read(indicator, values), units=units)


def _grid(indicator: ThroughputIndicator) -> Grid:
    seconds = int(indicator.per.seconds)
    return LocalDays() if seconds == _DAY else Slices(seconds)


def _read(indicator: ThroughputIndicator, values: Values) -> Reading:
    units = values.counted_units()
    counted = units.total - units.excluded
    quiet = max(counted - units.with_traffic, 0)
    per = f"{indicator.per}"
    if units.with_traffic == 0:
        return Reading(
            None,
            {"good": 0, "valid": counted, "events": 0},
            f"no period of {per} with events among {counted:,} counted periods: no data",
            excluded={"periods": units.excluded} if units.excluded else {},
        )
    value = Decimal(units.good) / counted if counted > 0 else None
    computation = (
        f"{units.good:,} of {counted:,} counted periods of {per} had at least "
        f"{indicator.minimum:,} events ({quiet:,} without events, {units.excluded:,} excluded; "
        f"{units.events:,} events in all)"
    )
    return Reading(
        value,
        {"good": units.good, "valid": counted, "events": units.events},
        computation,
        excluded={"periods": units.excluded} if units.excluded else {},
    )


KIND = Throughput()
