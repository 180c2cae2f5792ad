"""Readings several kinds share: a share of good among valid items, and one statistic."""

from __future__ import annotations

from collections.abc import Callable

from accord.engine.kinds.base import Reading, Values

__all__ = ["share", "statistic"]


def share(values: Values) -> Reading:
    """good / valid, from the aggregates named ``good`` and ``valid``."""
    good, valid = values.count("good"), values.count("valid")
    counts = {"good": good, "valid": valid}
    if valid == 0:
        return Reading(None, counts, "no valid events")
    value = values.number("good") / values.number("valid")
    return Reading(value, counts, f"{good:,} good / {valid:,} valid")


def statistic(label: str) -> Callable[[Values], Reading]:
    """The aggregate named ``value`` (a percentile, mean or median: ``label`` says which,
    e.g. 'p99 of') over the ``valid`` values."""

    def read(values: Values) -> Reading:
        valid = values.count("valid")
        value = values.value("value")
        counts = {"valid": valid}
        if value is None or valid == 0:
            return Reading(None, counts, "no values")
        return Reading(value, counts, f"{label} {valid:,} values")

    return read
