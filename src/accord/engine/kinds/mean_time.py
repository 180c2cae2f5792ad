"""Mean time: the mean or median wall-clock time between two timestamps of a row, e.g. time
to detect or to resolve an incident (MTTD, MTTR)."""

from __future__ import annotations

from sqlglot import exp

from accord.core.model.measurement import MeanTimeIndicator
from accord.engine.kinds.base import Count, Plan, Setting, Statistic
from accord.engine.kinds.readings import statistic
from accord.engine.sql import call, column, known

__all__ = ["KIND", "MeanTime"]


class MeanTime:
    def plan(self, indicator: MeanTimeIndicator, setting: Setting) -> Plan:
        del setting
        start, end = column(indicator.start), column(indicator.end)
        seconds = exp.Paren(this=exp.Sub(this=call("epoch", end), expression=call("epoch", start)))
        both = exp.and_(known(end), known(start))
        function = "avg" if indicator.statistic == "mean" else "median"
        return Plan(
            aggregates={
                "valid": Count(both),
                "value": Statistic(call(function, seconds), both.copy()),
            },
            read=statistic(f"{indicator.statistic} of"),
        )


KIND = MeanTime()
