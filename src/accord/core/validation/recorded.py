"""Checks of the indicators that measure incidents and obligations: the instants and columns
they read are in their source with the right types, and the duties they count are kinds the
service knows."""

from __future__ import annotations

from collections.abc import Iterator

from accord.core.model import Agreement
from accord.core.model.measurement import (
    ColumnType,
    IncidentMetricIndicator,
    ObligationsOnTimeIndicator,
    Source,
)
from accord.core.obligations.model import KINDS
from accord.core.problems import DocPath
from accord.core.validation.refs import Finding, Refs, a_or_an

__all__ = ["check_recorded_indicators"]


def check_recorded_indicators(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    for index, indicator in enumerate(agreement.indicators):
        path: DocPath = ("indicators", index)
        source = refs.sources.get(indicator.source)
        if source is None:
            continue  # check_indicators names the missing source
        if isinstance(indicator, IncidentMetricIndicator):
            yield from _columns(source, path, _instants(indicator), ColumnType.TIMESTAMP)
        if isinstance(indicator, ObligationsOnTimeIndicator):
            yield from _columns(source, path, ("kind", "state"), ColumnType.STRING)
            for position, name in enumerate(indicator.obligations):
                if name not in KINDS:
                    yield Finding(
                        (*path, "obligations", position),
                        f"no obligation kind {name!r}",
                        f"the kinds are {', '.join(KINDS)}",
                    )


def _instants(indicator: IncidentMetricIndicator) -> tuple[str, ...]:
    return (indicator.start_columns()[0], indicator.end_columns()[0])


def _columns(
    source: Source, path: DocPath, names: tuple[str, ...], wanted: ColumnType
) -> Iterator[Finding]:
    """Each named column is in the source (the stand-ins of an instant are optional), with
    the wanted type."""
    for name in names:
        column = source.columns.get(name)
        if column is None:
            yield Finding(
                (*path, "source"),
                f"source {source.id!r} has no column {name!r}, which this indicator reads",
                f"map it under the source's columns, e.g. {name}: {{column: {name}, "
                f"type: {wanted.value}}}",
            )
        elif column.type is not wanted:
            yield Finding(
                (*path, "source"),
                f"column {name!r} of source {source.id!r} is {a_or_an(column.type)} column, "
                f"not {wanted.value}",
                f"set type: {wanted.value}",
            )
