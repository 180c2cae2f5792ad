"""What an indicator measures and how targets, tolerances and thresholds compare."""

from __future__ import annotations

from decimal import Decimal

from accord.core.model.measurement import (
    ColumnType,
    Indicator,
    PercentileIndicator,
    Source,
    ValueKind,
)
from accord.core.problems import DocPath
from accord.core.units import Duration, DurationUnit, Percentage
from accord.core.validation.refs import DayLength, Finding

__all__ = [
    "comparable",
    "kind_mismatch",
    "measure_kind",
    "sort_key",
    "value_kind_of",
]


def value_kind_of(indicator: Indicator, source: Source | None) -> ValueKind:
    """What the indicator's values are; a percentile of a plain number is a number."""
    if isinstance(indicator, PercentileIndicator) and source is not None:
        column = source.columns.get(indicator.measure)
        if column is not None and column.type is not ColumnType.DURATION:
            return ValueKind.NUMBER
    return indicator.value_kind


_KIND_OF_VALUE = {
    Percentage: ValueKind.RATIO,
    Duration: ValueKind.DURATION,
    Decimal: ValueKind.NUMBER,
}
EXAMPLES = {ValueKind.RATIO: "'99.9%'", ValueKind.DURATION: "'300ms'", ValueKind.NUMBER: "'4.2'"}


def measure_kind(value: Percentage | Duration | Decimal) -> ValueKind:
    return _KIND_OF_VALUE[type(value)]


def sort_key(
    value: Percentage | Duration | Decimal, day: DayLength | None = None
) -> tuple[object, ...]:
    """A key under which values of one kind order by size.

    Durations of different kinds (business or wall-clock time, fixed or calendar units) have
    keys that differ in their first two places and do not compare. On a calendar (``day``),
    a business day is its working day, so that ``1 business day`` and ``10 business hours``
    compare; on 24x7 business and wall-clock time are the same.
    """
    if isinstance(value, Percentage):
        return (value.ratio,)
    if isinstance(value, Duration):
        if day is not None and day.always:
            return Duration(value.amount, value.unit).comparable_key
        if day is not None and value.business and value.unit is DurationUnit.DAY:
            return (True, False, value.amount * day.seconds)
        return value.comparable_key
    return (value,)


def comparable(*keys: tuple[object, ...]) -> bool:
    """Whether sort keys are of one kind (see ``sort_key``)."""
    return len({key[:-1] for key in keys}) <= 1


WORDS = {ValueKind.RATIO: "share", ValueKind.DURATION: "duration", ValueKind.NUMBER: "number"}


def kind_mismatch(
    path: DocPath,
    name: str,
    value: Percentage | Duration | Decimal,
    indicator: str,
    kind: ValueKind,
) -> Finding:
    """A value written as the wrong kind of measure for its indicator."""
    written = measure_kind(value)
    if written is ValueKind.NUMBER and kind is ValueKind.RATIO:
        return Finding(
            path,
            f"{name} {value} has no '%' sign, but indicator {indicator!r} measures a share",
            f"write it as a percentage, e.g. {_suggested(value)}",
        )
    if written is ValueKind.NUMBER and kind is ValueKind.DURATION:
        return Finding(
            path,
            f"{name} {value} has no unit, but indicator {indicator!r} measures a duration",
            f"write a number and a unit, e.g. '{value}ms' or '{value}s'",
        )
    return Finding(
        path,
        f"{name} {value} is a {WORDS[written]}, but indicator {indicator!r} measures a "
        f"{WORDS[kind]}",
        f"write it like {EXAMPLES[kind]}",
    )


def _suggested(value: Percentage | Duration | Decimal) -> str:
    """The percentage a bare number most likely means (``1.0``: 100%), else an example."""
    meant = Percentage.meant_by(value) if isinstance(value, Decimal) else None
    return f"'{meant or '99.9%'}'"
