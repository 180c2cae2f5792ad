"""Time slices: the share of good slices of the window (the cloud-style uptime percentage).

The window is cut into slices of the indicator's length from its start; a slice with
events is good when at least the slice target of its events are good; a slice without
events counts as the indicator's ``no_traffic`` rule says (good, bad, or excluded from
both sides), but only within a window that has traffic at all: a scope without any event
has no data. Slices overlapping an excluded period are left out whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlglot import exp

from accord.core.model.measurement import TimesliceIndicator
from accord.engine.grids import Slices
from accord.engine.kinds.base import Count, Plan, Reading, Setting, Units, Values
from accord.engine.sql import holds, number

__all__ = ["KIND", "Timeslice"]


class Timeslice:
    def plan(self, indicator: TimesliceIndicator, setting: Setting) -> Plan:
        del setting
        target = indicator.slice_target.ratio

        def good(unit: Mapping[str, exp.Expr]) -> exp.Expr:
            needed = exp.Mul(this=number(target), expression=unit["events"].copy())
            return exp.GTE(this=unit["good"].copy(), expression=needed)

        units = Units(
            grid=Slices(int(indicator.slice.seconds)),
            good=good,
            partials={"good": Count(holds(indicator.good))},
            quiet=indicator.no_traffic,
        )
        return Plan(aggregates={}, read=lambda values: _read(indicator, values), units=units)


def _read(indicator: TimesliceIndicator, values: Values) -> Reading:
    """Quiet slices count as the rule says, unless no slice had traffic at all."""
    units = values.counted_units()
    rule = indicator.no_traffic
    kept = units.total - units.excluded
    quiet = max(kept - units.with_traffic, 0)
    counted = kept - (quiet if rule == "excluded" else 0)
    good = units.good + (quiet if rule == "good" else 0)
    value = Decimal(good) / counted if counted > 0 and units.with_traffic > 0 else None
    computation = (
        f"{good:,} good slices / {counted:,} counted {indicator.slice} slices "
        f"({quiet:,} without traffic counted as {rule}, {units.excluded:,} excluded)"
    )
    if units.with_traffic == 0:
        computation = (
            f"no {indicator.slice} slice with traffic among {kept:,} counted "
            "slices: no data (the no-traffic rule applies only within a window that has data)"
        )
    return Reading(
        value,
        {"good": good, "valid": counted, "events": units.events},
        computation,
        excluded={"slices": units.excluded} if units.excluded else {},
    )


KIND = Timeslice()
