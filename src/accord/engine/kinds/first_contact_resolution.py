"""First-contact resolution: the share of resolved tickets resolved in their first contact."""

from __future__ import annotations

from sqlglot import exp

from accord.core.model.measurement import FirstContactResolutionIndicator
from accord.engine.kinds.base import Burn, Count, Plan, Setting
from accord.engine.kinds.readings import share
from accord.engine.sql import column, holds, number

__all__ = ["KIND", "FirstContactResolution"]


class FirstContactResolution:
    def plan(self, indicator: FirstContactResolutionIndicator, setting: Setting) -> Plan:
        del setting
        resolved = holds(indicator.resolved)
        first = exp.EQ(this=column(indicator.contacts), expression=number(1))
        counts = Burn(good=Count(exp.and_(resolved, first)), valid=Count(resolved.copy()))
        return Plan(
            aggregates={"valid": counts.valid, "good": counts.good},
            read=share,
            burn=counts,
        )


KIND = FirstContactResolution()
