"""Ratio: the share of good events among valid events (availability, success rate)."""

from __future__ import annotations

from accord.core.model.measurement import RatioIndicator
from accord.engine.kinds.base import Burn, Count, Plan, Setting
from accord.engine.kinds.readings import share
from accord.engine.sql import all_of, holds

__all__ = ["KIND", "Ratio"]


class Ratio:
    def plan(self, indicator: RatioIndicator, setting: Setting) -> Plan:
        del setting
        valid = holds(indicator.valid) if indicator.valid else None
        good = all_of(valid, holds(indicator.good))
        counts = Burn(good=Count(good), valid=Count(valid))
        return Plan(
            aggregates={"valid": counts.valid, "good": counts.good},
            read=share,
            burn=counts,
        )


KIND = Ratio()
