"""Readings several kinds share: a share of good among valid items, one statistic, and the
mean or median time between two instants of a row."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from accord.engine.kinds.base import Aggregate, Count, Reading, Statistic, Values
from accord.engine.sql import call, epoch_micros, known

__all__ = ["elapsed", "elapsed_reading", "share", "statistic"]


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


def elapsed(start: exp.Expr, end: exp.Expr, statistic: str) -> dict[str, Aggregate]:
    """The aggregates of the mean or median time from ``start`` to ``end`` (instants) over the
    rows that have both: ``valid`` counts them, ``micros`` is the sum (for the mean) or the
    median of their durations in whole microseconds (``epoch_us``, exact on every engine).
    ``elapsed_reading`` divides only at the end, in decimal: a mean of differences of epoch
    seconds as DOUBLE is off in the ninth digit (4.4834280014 s for 4.483428 s)."""
    micros = exp.Paren(this=exp.Sub(this=epoch_micros(end), expression=epoch_micros(start)))
    both = exp.and_(known(end.copy()), known(start.copy()))
    function = "sum" if statistic == "mean" else "median"
    return {"valid": Count(both), "micros": Statistic(call(function, micros), both.copy())}


def elapsed_reading(statistic: str, label: str, nothing: str) -> Callable[[Values], Reading]:
    """The mean or median in seconds of the ``elapsed`` aggregates, exactly (a median of an
    even count is halfway between two whole microseconds: exact in a DOUBLE too); ``label``
    says of what, e.g. 'mean MTTR of {:,} incidents', ``nothing`` when there is none."""

    def read(values: Values) -> Reading:
        valid, micros = values.count("valid"), values.value("micros")
        counts = {"valid": valid}
        if micros is None or valid == 0:
            return Reading(None, counts, nothing)
        if statistic == "mean":
            micros /= valid
        return Reading(micros / 1_000_000, counts, label.format(valid))

    return read
