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

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlglot import exp

from accord.core.model.prometheus import (
    BUCKET_LABEL,
    GOOD_COLUMN,
    TIME_COLUMN,
    VALUE_COLUMN,
)
from accord.core.model.sources import Source
from accord.engine import sql

__all__ = ["Subset", "counter_rows", "histogram_rows", "sample_rows"]

_COUNT: Final = "__events__"

#: Every point of an answer's matrix ($answer, a file): the series' labels (JSON), instant
#: and value. The reader is told the answer's shape, so that it parses each series once.
_POINTS: Final = sql.template(
    """
    SELECT metric, CAST(point[1] AS DOUBLE) AS t, CAST(point[2] AS DOUBLE) AS value
    FROM (
        SELECT series.metric AS metric, unnest(series."values") AS point
        FROM (
            SELECT unnest(data.result) AS series
            FROM read_json(
                $answer,
                columns = {
                    'status': 'VARCHAR',
                    'data': 'STRUCT(result STRUCT(metric JSON, "values" VARCHAR[][])[])'
                }
            )
        )
    )
    """
)
#: Per series and step of the points ($points): the events first seen at the step's end
#: ($step seconds long), placed at its start.
_INCREASES: Final = sql.template(
    """
    SELECT metric, t - $step AS t,
           CASE WHEN value >= lag(value) OVER (PARTITION BY CAST(metric AS VARCHAR) ORDER BY t)
                THEN value - lag(value) OVER (PARTITION BY CAST(metric AS VARCHAR) ORDER BY t)
                ELSE value END AS increase,
           lag(value) OVER (PARTITION BY CAST(metric AS VARCHAR) ORDER BY t) AS previous
    FROM points
    """
)


def _function(name: str, *arguments: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(arguments))


def _points(answer: Path) -> exp.Select:
    return sql.query(sql.fill(_POINTS, {"answer": sql.text(str(answer))}))


def _increases(answer: Path, step_seconds: int) -> exp.Select:
    values = {"points": _points(answer), "step": sql.number(step_seconds)}
    return sql.query(sql.fill(_INCREASES, values))


def _label(name: str, metric: str = "metric") -> exp.Expr:
    """A label's value, from a series' labels (JSON)."""
    return _function("json_extract_string", exp.column(metric), sql.text(f'$."{name}"'))


def _labels(source: Source, metric: str = "metric") -> dict[str, exp.Expr]:
    """The source's label columns (physical name → the value extracted from the labels)."""
    return {
        column.column: _label(column.column, metric)
        for column in source.columns.values()
        if not column.column.startswith("__") and column.column != BUCKET_LABEL
    }


def _time_text(seconds: exp.Expr) -> exp.Expr:
    return sql.typed(_function("to_timestamp", seconds), "VARCHAR")


def _projection(source: Source, computed: dict[str, exp.Expr]) -> list[exp.Expr]:
    """The physical columns the source maps, as text, in its order."""
    seen: dict[str, exp.Expr] = {}
    for column in source.columns.values():
        name = column.column
        if name not in seen:
            seen[name] = computed.get(name, exp.Null())
    return [
        exp.alias_(sql.typed(value, "VARCHAR"), name, quoted=True) for name, value in seen.items()
    ]


@dataclass(frozen=True)
class Subset:
    """The answer for the counters of a subset of the events: the good ones, or the bad."""

    answer: Path
    bad: bool


def _grouped(labels: dict[str, exp.Expr]) -> list[exp.Expr]:
    return [exp.alias_(value.copy(), name, quoted=True) for name, value in labels.items()]


def counter_rows(
    source: Source, events: Path, subset: Subset | None, *, step_seconds: int, origin: str
) -> exp.Select:
    """One row per event counted by the ``events`` counters; with the counters of a subset
    (the good or the bad ones), each row says whether it is good."""
    labels = _labels(source, "metric")
    t = exp.column("t")

    def totals(answer: Path, alias: str) -> exp.Select:
        summed = exp.alias_(sql.call("sum", exp.column("increase")), alias)
        return (
            exp.select(*_grouped(labels), t.copy(), summed)
            .from_(_increases(answer, step_seconds).subquery())
            .where(sql.known(exp.column("previous")))
            .group_by(*(value.copy() for value in labels.values()), t.copy())
        )

    if subset is None:
        counted = exp.select(
            "*",
            exp.alias_(sql.call("round", exp.column("events")), _COUNT, quoted=True),
            exp.alias_(exp.Null(), "is_good"),
        ).from_(totals(events, "events").subquery())
    else:
        counted = _with_subset(
            labels, totals(events, "events"), totals(subset.answer, "subset"), bad=subset.bad
        )
    return _expanded(source, labels, {GOOD_COLUMN: exp.column("is_good")}, counted, origin)


def _with_subset(
    labels: dict[str, exp.Expr], events: exp.Select, subset: exp.Select, *, bad: bool
) -> exp.Select:
    """Each step's events twice, as good and as bad: the subset's count and the rest."""
    total = sql.call("round", exp.column("events", table="e"))
    count = sql.call("round", sql.call("coalesce", exp.column("subset", table="s"), sql.number(0)))
    good_count = exp.Paren(this=exp.Sub(this=total.copy(), expression=count)) if bad else count
    flag = exp.column("flag", table="g")
    same = [
        exp.NullSafeEQ(this=sql.column(name, "e"), expression=sql.column(name, "s"))
        for name in labels
    ]
    on = exp.and_(
        *same, exp.EQ(this=exp.column("t", table="e"), expression=exp.column("t", table="s"))
    )
    counted = exp.Case(
        ifs=[exp.If(this=flag.copy(), true=good_count.copy())],
        default=exp.Sub(this=total.copy(), expression=good_count.copy()),
    )
    return (
        exp.select(
            *(sql.column(name, "e") for name in labels),
            exp.column("t", table="e"),
            exp.alias_(flag.copy(), "is_good"),
            exp.alias_(counted, _COUNT, quoted=True),
        )
        .from_(events.subquery("e"))
        .join(subset.subquery("s"), on=on, join_type="left")
        .join(exp.values([(True,), (False,)], alias="g", columns=["flag"]), join_type="cross")
    )


def histogram_rows(source: Source, buckets: Path, *, step_seconds: int, origin: str) -> exp.Select:
    """One row per event of a histogram, at the upper bound of its bucket."""
    labels = _labels(source, "metric")
    bound = _label(BUCKET_LABEL)
    series = sql.typed(
        _function(
            "json_merge_patch", exp.column("metric"), sql.text(f'{{"{BUCKET_LABEL}": null}}')
        ),
        "VARCHAR",
    )
    t = exp.column("t")
    below = exp.Window(
        this=sql.call("lag", exp.column("increase")),
        partition_by=[series, t.copy()],
        order=exp.Order(
            expressions=[
                exp.Ordered(this=exp.TryCast(this=bound.copy(), to=exp.DataType.build("DOUBLE")))
            ]
        ),
    )
    events = exp.Sub(
        this=exp.column("increase"), expression=sql.call("coalesce", below, sql.number(0))
    )
    per_bucket = (
        exp.select(
            exp.column("metric"),
            t.copy(),
            exp.alias_(bound.copy(), "bound"),
            exp.alias_(events, "events"),
        )
        .from_(_increases(buckets, step_seconds).subquery())
        .where(sql.known(exp.column("previous")))
    )
    summed = sql.call("round", sql.call("sum", exp.column("events")))
    counted = (
        exp.select(
            *_grouped(labels),
            t.copy(),
            exp.column("bound"),
            exp.alias_(summed, _COUNT, quoted=True),
        )
        .from_(per_bucket.subquery())
        .group_by(*(value.copy() for value in labels.values()), t.copy(), exp.column("bound"))
    )
    return _expanded(source, labels, {BUCKET_LABEL: exp.column("bound")}, counted, origin)


def _expanded(
    source: Source,
    labels: dict[str, exp.Expr],
    extra: dict[str, exp.Expr],
    counted: exp.Select,
    origin: str,
) -> exp.Select:
    """Counted rows (labels, step ``t``, ``extra`` columns, a count) as that many rows."""
    computed: dict[str, exp.Expr] = {name: sql.column(name) for name in labels}
    computed[TIME_COLUMN] = _time_text(exp.column("t"))
    computed.update(extra)
    many = sql.typed(sql.call("greatest", sql.column(_COUNT), sql.number(0)), "BIGINT")
    repeated = exp.select("*", _function("unnest", _function("range", many))).from_(
        counted.subquery()
    )
    return exp.select(
        *_projection(source, computed), exp.alias_(sql.text(origin), "filename")
    ).from_(repeated.subquery())


def sample_rows(
    source: Source, samples: Path, *, start_seconds: float, end_seconds: float, origin: str
) -> exp.Select:
    """One row per raw sample taken in [start, end)."""
    computed = _labels(source, "metric")
    computed[TIME_COLUMN] = _time_text(exp.column("t"))
    computed[VALUE_COLUMN] = exp.column("value")
    t = exp.column("t")
    within = exp.and_(
        exp.GTE(this=t.copy(), expression=sql.number(start_seconds)),
        exp.LT(this=t.copy(), expression=sql.number(end_seconds)),
    )
    return (
        exp.select(*_projection(source, computed), exp.alias_(sql.text(origin), "filename"))
        .from_(_points(samples).subquery())
        .where(within)
    )
