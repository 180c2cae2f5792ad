"""Threshold: the share of events whose measure is at (or below) a limit, e.g. latency
under 300 ms."""

from __future__ import annotations

from sqlglot import exp

from accord.core.model.measurement import ThresholdIndicator
from accord.core.units import Duration
from accord.core.verdicts import canonical
from accord.engine.kinds.base import Burn, Count, Plan, Setting
from accord.engine.kinds.readings import share
from accord.engine.sql import column, number

__all__ = ["KIND", "Threshold"]


class Threshold:
    def plan(self, indicator: ThresholdIndicator, setting: Setting) -> Plan:
        del setting
        measure = column(indicator.measure)
        limit = indicator.threshold
        at_most = number(canonical(limit) if isinstance(limit, Duration) else limit)
        compare = exp.LTE if indicator.inclusive else exp.LT
        counts = Burn(
            good=Count(compare(this=measure.copy(), expression=at_most)),
            valid=Count(exp.Not(this=exp.Is(this=measure.copy(), expression=exp.Null()))),
        )
        return Plan(
            aggregates={"valid": counts.valid, "good": counts.good},
            read=share,
            burn=counts,
        )


KIND = Threshold()
