"""Business gauge: a business figure as a ratio of sums, e.g. renewal or churn rate."""

from __future__ import annotations

from accord.core.model.measurement import BusinessGaugeIndicator
from accord.engine.kinds.base import Count, Plan, Reading, Setting, Sum, Values
from accord.engine.sql import column

__all__ = ["KIND", "BusinessGauge"]


class BusinessGauge:
    def plan(self, indicator: BusinessGaugeIndicator, setting: Setting) -> Plan:
        del setting
        return Plan(
            aggregates={
                "valid": Count(),
                "numerator": Sum(column(indicator.numerator)),
                "denominator": Sum(column(indicator.denominator)),
            },
            read=_ratio_of_sums,
        )


def _ratio_of_sums(values: Values) -> Reading:
    numerator, denominator = values.number("numerator"), values.number("denominator")
    counts = {"valid": values.count("valid")}
    if denominator == 0:
        return Reading(None, counts, "denominator is zero")
    return Reading(numerator / denominator, counts, f"{numerator:,} / {denominator:,}")


KIND = BusinessGauge()
