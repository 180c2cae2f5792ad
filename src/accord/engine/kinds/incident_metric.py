"""Incident metrics: MTTA, MTTD, MTTM or MTTR, the mean or median wall-clock time from an
instant of each incident (its impact start unless the agreement says otherwise) to the one
the metric names. An instant that was not recorded is stood in for by the next one the
source has (``accord.core.model.recorded``): an impact start by the detection, then the
report; a mitigation by the resolution."""

from __future__ import annotations

from sqlglot import exp

from accord.core.model.measurement import IncidentMetricIndicator
from accord.engine.kinds.base import Plan, Setting
from accord.engine.kinds.readings import elapsed, elapsed_reading
from accord.engine.sql import column

__all__ = ["KIND", "IncidentMetric"]


def _first_recorded(names: tuple[str, ...], setting: Setting) -> exp.Expr:
    """The first of the columns the source has that holds a value (the first column is
    always there: validation checks it)."""
    present = [column(name) for name in names[1:] if name in setting.source.columns]
    if not present:
        return column(names[0])
    return exp.Coalesce(this=column(names[0]), expressions=present)


class IncidentMetric:
    def plan(self, indicator: IncidentMetricIndicator, setting: Setting) -> Plan:
        start = _first_recorded(indicator.start_columns(), setting)
        end = _first_recorded(indicator.end_columns(), setting)
        label = f"{indicator.statistic} {indicator.metric.upper()} of {{:,}} incidents"
        read = elapsed_reading(indicator.statistic, label, "no incidents with both instants")
        return Plan(aggregates=elapsed(start, end, indicator.statistic), read=read)


KIND = IncidentMetric()
