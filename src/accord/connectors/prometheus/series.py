"""Prometheus answers → a source's rows, in DuckDB: the SQL that reads the JSON the API
returned and yields one text row per event (counters, histograms) or per sample (gauges),
with the physical columns the source maps (labels, ``__time__``, ``__good__``,
``__value__``, ``le``) and a ``filename`` saying where each row came from.

Counters: per series, the increase between consecutive steps is the later value minus the
earlier one, or the later value itself when it dropped (a reset: the counter restarted from
zero), exactly as ``increase()`` counts without extrapolating to the range's edges. The
events are placed at the start of the step they were seen in, summed over the series that
share the mapped labels, and expanded into that many rows.

Histograms: the same per bucket series; the events of a bucket are its increase less the
increase of the bucket below it (buckets are cumulative), placed at the bucket's ``le``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from accord.core.model.prometheus import (
    BUCKET_LABEL,
    GOOD_COLUMN,
    TIME_COLUMN,
    VALUE_COLUMN,
)
from accord.core.model.sources import Source
from accord.engine.sources import quote

__all__ = ["Subset", "counter_rows", "histogram_rows", "sample_rows"]

_COUNT: Final = quote("__events__")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _points(answer: Path) -> str:
    """Every point of an answer's matrix: the series' labels (JSON), instant and value. The
    reader is told the answer's shape, so that it parses each series once."""
    shape = 'STRUCT(result STRUCT(metric JSON, "values" VARCHAR[][])[])'
    return (
        "(SELECT metric, CAST(point[1] AS DOUBLE) AS t, CAST(point[2] AS DOUBLE) AS value "
        'FROM (SELECT series.metric AS metric, unnest(series."values") AS point '
        "FROM (SELECT unnest(data.result) AS series "
        f"FROM read_json({_literal(str(answer))}, "
        f"columns = {{'status': 'VARCHAR', 'data': '{shape}'}}))))"
    )


def _increases(answer: Path, step_seconds: int) -> str:
    """Per series and step: the events first seen at the step's end, placed at its start."""
    lag = "lag(value) OVER (PARTITION BY CAST(metric AS VARCHAR) ORDER BY t)"
    return (
        f"(SELECT metric, t - {step_seconds} AS t, "
        f"CASE WHEN value >= {lag} THEN value - {lag} ELSE value END AS increase, "
        f"{lag} AS previous FROM {_points(answer)})"
    )


def _labels(source: Source, metric: str = "metric") -> dict[str, str]:
    """The source's label columns (physical name → SQL extracting it from the labels)."""
    return {
        column.column: f"json_extract_string({metric}, '$.\"{column.column}\"')"
        for column in source.columns.values()
        if not column.column.startswith("__") and column.column != BUCKET_LABEL
    }


def _time_text(seconds: str) -> str:
    return f"CAST(to_timestamp({seconds}) AS VARCHAR)"


def _projection(source: Source, computed: dict[str, str]) -> str:
    """The physical columns the source maps, as text, in its order, and the filename."""
    seen: dict[str, str] = {}
    for column in source.columns.values():
        name = column.column
        if name not in seen:
            seen[name] = computed.get(name, "NULL")
    return ", ".join(f"CAST({sql} AS VARCHAR) AS {quote(name)}" for name, sql in seen.items())


@dataclass(frozen=True)
class Subset:
    """The answer for the counters of a subset of the events: the good ones, or the bad."""

    answer: Path
    bad: bool


def counter_rows(
    source: Source, events: Path, subset: Subset | None, *, step_seconds: int, origin: str
) -> str:
    """One row per event counted by the ``events`` counters; with the counters of a subset
    (the good or the bad ones), each row says whether it is good."""
    labels = _labels(source, "metric")
    keys = ", ".join([*labels.values(), "t"])
    grouped = ", ".join([f"{sql} AS {quote(name)}" for name, sql in labels.items()])
    select_labels = (grouped + ", ") if grouped else ""

    def totals(answer: Path, alias: str) -> str:
        increases = _increases(answer, step_seconds)
        return (
            f"(SELECT {select_labels}t, sum(increase) AS {alias} FROM {increases} "
            f"WHERE previous IS NOT NULL GROUP BY {keys})"
        )

    names = [quote(name) for name in labels]
    if subset is None:
        counted = (
            f"SELECT *, round(events) AS {_COUNT}, NULL AS is_good FROM {totals(events, 'events')}"
        )
    else:
        count = "round(coalesce(s.subset, 0))"
        good_count = f"(round(e.events) - {count})" if subset.bad else count
        join = " AND ".join([*(f"e.{n} IS NOT DISTINCT FROM s.{n}" for n in names), "e.t = s.t"])
        columns = ", ".join([*(f"e.{n}" for n in names), "e.t"])
        counted = (
            f"SELECT {columns}, g.flag AS is_good, CASE WHEN g.flag THEN {good_count} "
            f"ELSE round(e.events) - {good_count} END AS {_COUNT} "
            f"FROM {totals(events, 'events')} AS e LEFT JOIN "
            f"{totals(subset.answer, 'subset')} AS s ON {join} "
            "CROSS JOIN (VALUES (true), (false)) AS g(flag)"
        )
    return _expanded(source, labels, {GOOD_COLUMN: "is_good"}, counted, origin)


def histogram_rows(source: Source, buckets: Path, *, step_seconds: int, origin: str) -> str:
    """One row per event of a histogram, at the upper bound of its bucket."""
    labels = _labels(source, "metric")
    bound = f"json_extract_string(metric, '$.\"{BUCKET_LABEL}\"')"
    series = f"CAST(json_merge_patch(metric, '{{\"{BUCKET_LABEL}\": null}}') AS VARCHAR)"
    per_bucket = (
        f"(SELECT metric, t, {bound} AS bound, increase - coalesce(lag(increase) OVER "
        f"(PARTITION BY {series}, t ORDER BY TRY_CAST({bound} AS DOUBLE)), 0) AS events "
        f"FROM {_increases(buckets, step_seconds)} WHERE previous IS NOT NULL)"
    )
    grouped = ", ".join([*(f"{sql} AS {quote(name)}" for name, sql in labels.items())])
    select_labels = (grouped + ", ") if grouped else ""
    keys = ", ".join([*labels.values(), "t", "bound"])
    counted = (
        f"SELECT {select_labels}t, bound, round(sum(events)) AS {_COUNT} "
        f"FROM {per_bucket} GROUP BY {keys}"
    )
    return _expanded(source, labels, {BUCKET_LABEL: "bound"}, counted, origin)


def _expanded(
    source: Source, labels: dict[str, str], extra: dict[str, str], counted: str, origin: str
) -> str:
    """Counted rows (labels, step ``t``, ``extra`` columns, a count) as that many rows."""
    computed = {name: quote(name) for name in labels}
    computed[TIME_COLUMN] = _time_text("t")
    computed.update(extra)
    return (
        f"SELECT {_projection(source, computed)}, {_literal(origin)} AS filename "
        f"FROM (SELECT *, unnest(range(CAST(greatest({_COUNT}, 0) AS BIGINT))) FROM ({counted}))"
    )


def sample_rows(
    source: Source, samples: Path, *, start_seconds: float, end_seconds: float, origin: str
) -> str:
    """One row per raw sample taken in [start, end)."""
    computed = _labels(source, "metric")
    computed[TIME_COLUMN] = _time_text("t")
    computed[VALUE_COLUMN] = "value"
    return (
        f"SELECT {_projection(source, computed)}, {_literal(origin)} AS filename "
        f"FROM {_points(samples)} WHERE t >= {start_seconds} AND t < {end_seconds}"
    )


def union(parts: Sequence[str]) -> str:
    return " UNION ALL ".join(f"({part})" for part in parts)
