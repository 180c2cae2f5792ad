"""Mean time: the mean or median wall-clock time between two timestamps of a row, e.g. time
to detect or to resolve an incident (MTTD, MTTR)."""

from __future__ import annotations

from accord.core.model.measurement import MeanTimeIndicator
from accord.engine.kinds.base import Plan, Setting
from accord.engine.kinds.readings import elapsed, elapsed_reading
from accord.engine.sql import column

__all__ = ["KIND", "MeanTime"]


class MeanTime:
    def plan(self, indicator: MeanTimeIndicator, setting: Setting) -> Plan:
        del setting
        label = f"{indicator.statistic} of {{:,}} values"
        read = elapsed_reading(indicator.statistic, label, "no values")
        aggregates = elapsed(column(indicator.start), column(indicator.end), indicator.statistic)
        return Plan(aggregates=aggregates, read=read)


KIND = MeanTime()
