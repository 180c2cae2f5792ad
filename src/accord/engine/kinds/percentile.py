"""Percentile: a percentile of a measured value, e.g. p99 latency, by nearest rank."""

from __future__ import annotations

from sqlglot import exp

from accord.core.model.measurement import PercentileIndicator
from accord.core.units import format_decimal
from accord.engine.kinds.base import Count, Plan, Setting, Statistic
from accord.engine.kinds.readings import statistic
from accord.engine.sql import call, column, number

__all__ = ["KIND", "Percentile"]


class Percentile:
    def plan(self, indicator: PercentileIndicator, setting: Setting) -> Plan:
        del setting
        measure = column(indicator.measure)
        fraction = number(indicator.percentile / 100)
        # quantile_disc is SQL's percentile_disc: the first value whose cumulative share
        # reaches the fraction, i.e. the nearest rank ⌈p/100 × n⌉ (the tests' oracle checks
        # this on generated data). The fraction is written as an exact decimal.
        function = "quantile_disc" if indicator.method == "exact" else "approx_quantile"
        return Plan(
            aggregates={
                "valid": Count(exp.Not(this=exp.Is(this=measure.copy(), expression=exp.Null()))),
                "value": Statistic(call(function, measure, fraction)),
            },
            read=statistic(f"p{format_decimal(indicator.percentile)} of"),
        )


KIND = Percentile()
