"""Writing generated rows exactly as an agreement's source declares them.

Generators fill a temp table with *logical* column names (those of the agreement's
``columns``), durations in seconds, and an ``__order`` column that orders the rows totally.
This module writes it under the source's ``path`` with the *physical* column names and types:
Parquet with ``TIMESTAMPTZ``; CSV and JSON lines with ISO 8601 UTC timestamps ending in
``Z``. A glob in the path becomes one file per month (``*.csv`` → ``2026-10.csv``); a
partition folder (``date=*/``) one folder per local day; a plain file name one file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

import duckdb
from sqlglot import exp

from accord.core.model.measurement import Column, ColumnType, Source, SourceFormat
from accord.demo.base import SampleDataError, Span
from accord.demo.sql import ts
from accord.engine import sql

__all__ = ["Partition", "SourceRows", "partitions", "write_source"]

_SECONDS_PER_UNIT: Final = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_TYPES: Final = {
    ColumnType.TIMESTAMP: "TIMESTAMPTZ",
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.NUMBER: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DURATION: "DOUBLE",
}
_HIVE: Final = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=\*$")
_COPY_FORMAT: Final[dict[SourceFormat, dict[str, exp.Expr | None]]] = {
    SourceFormat.PARQUET: {"format": exp.var("parquet"), "compression": exp.var("zstd")},
    SourceFormat.CSV: {"format": exp.var("csv"), "header": exp.true()},
    SourceFormat.JSONL: {"format": exp.var("json")},
}


@dataclass(frozen=True)
class SourceRows:
    """A generated source: the temp table with its rows, and malformed rows to append.

    ``bad_rows`` map logical column names to the raw text written (missing names are
    empty); they go at the end of the last file, so they are only possible in CSV and
    JSON lines sources.
    """

    source: str
    table: str
    bad_rows: Sequence[Mapping[str, str]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Partition:
    """One file to write: its path relative to the output folder and the rows it takes."""

    path: PurePosixPath
    start_at: dt.datetime | None
    end_at: dt.datetime | None


def _days(span: Span) -> Iterator[tuple[dt.date, dt.datetime, dt.datetime]]:
    zone = span.zone
    day = span.months[0].first_day
    while True:
        start = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        if start >= span.end_at:
            return
        following = day + dt.timedelta(days=1)
        end = dt.datetime.combine(following, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        yield day, start, end
        day = following


def _fill(parts: Sequence[str], label: str, name: str) -> PurePosixPath:
    """The path with each ``key=*`` set to ``key=label`` and the other globs to ``name``."""
    filled = []
    for part in parts:
        hive = _HIVE.match(part)
        if hive:
            filled.append(f"{hive[1]}={label}")
        elif "*" in part:
            filled.append(part.replace("*", name, 1).replace("*", ""))
        else:
            filled.append(part)
    return PurePosixPath(*filled)


def partitions(source: Source, span: Span) -> list[Partition]:
    """The files a source's ``path`` stands for over the generated months."""
    assert source.path is not None
    path = PurePosixPath(source.path)
    if any(char in source.path for char in "?[]") or "**" in source.path:
        raise SampleDataError(f"source {source.id!r}: cannot write to the pattern {path}")
    if "*" not in source.path and not path.suffix:
        path = path / f"*.{source.format.value}"
    if "*" not in str(path):
        return [Partition(path, None, None)]
    if any(_HIVE.match(part) for part in path.parts):
        return [
            Partition(_fill(path.parts, day.isoformat(), "part-0"), start, end)
            for day, start, end in _days(span)
        ]
    return [
        Partition(_fill(path.parts, m.label, m.label), m.start_at, m.end_at) for m in span.months
    ]


def _typed(name: str, column: Column, text: bool) -> exp.Expr:
    """The logical column ``name`` as the physical column: its type, unit and spelling."""
    value: exp.Expr = sql.column(name)
    if column.type is ColumnType.DURATION:
        assert column.unit is not None
        per_unit = exp.Literal.number(repr(_SECONDS_PER_UNIT[column.unit]))
        value = sql.call("round", exp.Div(this=value, expression=per_unit), sql.number(3))
    elif column.type is ColumnType.TIMESTAMP and text:
        utc = exp.AtTimeZone(this=value, zone=sql.text("UTC"))
        value = exp.Anonymous(this="strftime", expressions=[utc, sql.text("%Y-%m-%dT%H:%M:%SZ")])
    else:
        value = sql.typed(value, _TYPES[column.type])
    return exp.alias_(value, column.column, quoted=True)


def _in_order(rows: exp.Query, *, nulls_last: bool = False) -> exp.Select:
    """The rows without their ordering columns, ordered by time and ``__order``."""
    time = (
        exp.Ordered(this=exp.column("__time"), nulls_first=False)
        if nulls_last
        else (exp.Ordered(this=exp.column("__time")))
    )
    hidden = exp.Star(except_=[exp.column("__time"), exp.column("__order")])
    return (
        exp.select(hidden)
        .from_(rows.subquery())
        .order_by(time, exp.Ordered(this=exp.column("__order")))
    )


def _select(source: Source, rows: SourceRows, where: exp.Expr, last: bool) -> exp.Select:
    """The rows of one file in time order, typed and named as the source declares them."""
    text = source.format is not SourceFormat.PARQUET
    body = (
        exp.select(
            *(_typed(n, c, text) for n, c in source.columns.items()),
            exp.alias_(sql.column(source.timestamp), "__time"),
            exp.column("__order"),
        )
        .from_(sql.table(rows.table))
        .where(where)
    )
    if not (last and rows.bad_rows):
        return _in_order(body)
    names = [c.column for c in source.columns.values()]
    as_text = [exp.alias_(sql.typed(sql.column(n), "VARCHAR"), n, quoted=True) for n in names]
    combined: exp.Query = exp.select(*as_text, exp.column("__time"), exp.column("__order")).from_(
        body.subquery()
    )
    for index, bad in enumerate(rows.bad_rows, start=1):
        appended = exp.select(
            *(
                exp.alias_(_literal(bad.get(name)), column.column, quoted=True)
                for name, column in source.columns.items()
            ),
            exp.alias_(exp.Null(), "__time"),
            exp.alias_(sql.number(index), "__order"),
        )
        combined = exp.union(combined, appended, distinct=False)
    return _in_order(combined, nulls_last=True)


def _literal(text: str | None) -> exp.Expr:
    return exp.Null() if text is None else sql.text(text)


def _where(source: Source, part: Partition) -> exp.Expr:
    stamp = sql.column(source.timestamp)
    bounds: list[exp.Expr] = []
    if part.start_at is not None:
        bounds.append(exp.GTE(this=stamp.copy(), expression=ts(part.start_at)))
    if part.end_at is not None:
        bounds.append(exp.LT(this=stamp.copy(), expression=ts(part.end_at)))
    return sql.all_of(*bounds) or exp.true()


def write_source(
    con: duckdb.DuckDBPyConnection, source: Source, rows: SourceRows, span: Span, out_dir: Path
) -> list[tuple[Path, int]]:
    """Write one source's rows under ``out_dir``; returns each file written and its row count.

    Partitions without rows get no file, except that a source always gets at least one.
    Rows it cannot write (a column missing, bad rows for Parquet) are refused before any
    file is written, so that a refusal leaves no partial source behind.
    """
    describe = exp.Describe(this=sql.table(rows.table))
    described = {str(row[0]) for row in con.execute(sql.render(describe)).fetchall()}
    missing = sorted(set(source.columns) - described)
    if missing:
        raise SampleDataError(f"source {source.id!r}: the generator lacks {', '.join(missing)}")
    if rows.bad_rows and source.format is SourceFormat.PARQUET:
        raise SampleDataError(f"source {source.id!r}: bad rows need a CSV or JSON lines source")
    parts = partitions(source, span)
    written: list[tuple[Path, int]] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        where = _where(source, part)
        counted = exp.select(sql.call("count", exp.Star())).from_(sql.table(rows.table))
        count = con.execute(sql.render(counted.where(where))).fetchone()
        rows_in = (int(count[0]) if count else 0) + (len(rows.bad_rows) if last else 0)
        if rows_in == 0 and not (last and not written):
            continue
        query = _select(source, rows, where, last)
        target = out_dir / Path(*part.path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(sql.render(sql.copy_to(query, target, **_COPY_FORMAT[source.format])))
        written.append((target, rows_in))
    return written
