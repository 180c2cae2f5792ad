"""A source's rows checked value by value and loaded into DuckDB under its logical names.

Reading a source's files is not the engine's: a ``SourceReader`` (implemented by
``accord.connectors.files``, handed over in the ``EvaluationRequest``) finds them and loads
them, sending every row that needs checking through ``load_rows`` here. Rows arrive as text
and are cast column by column, so that every row that fails (unparseable value, missing or
zone-less timestamp, duplicate key) is kept with its reason instead of being dropped: the
run either stops (policy ``reject``) or goes on without those rows and writes them to a
quarantine file (policy ``quarantine``). Durations are converted to seconds; timestamps are
UTC ``TIMESTAMPTZ``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Final, Protocol

import duckdb
from sqlglot import exp

from accord.core.evaluation import SourceIssue, SourceReport
from accord.core.model.measurement import Column, ColumnType, Source, SourceFormat, SourceKind
from accord.engine import sql
from accord.engine.rows import source_table

__all__ = [
    "BadRowPolicy",
    "DataError",
    "RejectedRows",
    "SourceReader",
    "as_seconds",
    "empty_source",
    "from_seconds",
    "load_rows",
    "row_identity",
    "sql_type",
    "stored_source",
]

_SQL_TYPES: Final = {
    ColumnType.TIMESTAMP: "TIMESTAMPTZ",
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.NUMBER: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DURATION: "DOUBLE",
}
#: Seconds per unit above the millisecond (which is divided: see ``as_seconds``).
_FACTORS: Final = {"s": "1.0", "m": "60.0", "h": "3600.0"}
#: A time of day followed by a zone: Z, UTC, an offset or an IANA name. A date alone
#: (``2026-10-05``, whose ``-05`` looks like an offset) has no zone.
_ZONE_SUFFIX: Final = r":\d\d(\.\d+)?\s*(Z|z|UTC|[+-]\d\d(:?\d\d)?|\s[A-Za-z_]+(/[A-Za-z_+-]+)+)$"
_SAMPLES: Final = 5


class BadRowPolicy(StrEnum):
    REJECT = "reject"
    QUARANTINE = "quarantine"


class DataError(Exception):
    """Data that cannot be evaluated: missing files or columns, or rejected rows."""


class SourceReader(Protocol):
    """Reads a file source's files into DuckDB (``accord.connectors.files``): the engine
    opens no file itself, so that where and how files are read is the caller's to wire."""

    def find(self, source: Source, data_dir: Path) -> list[str]:
        """The files a source's path matches under ``data_dir``, sorted; ``DataError``
        naming the path when none do."""
        ...

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Source,
        files: Sequence[str],
        policy: BadRowPolicy,
        quarantine_dir: Path | None,
    ) -> SourceReport:
        """Load the files (in the source's format) as ``src_<id>``, every row checked
        (``load_rows``) unless the files' own types and statistics prove it good; no files
        at all is an empty source (``empty_source``)."""
        ...


class RejectedRows(DataError):
    """Bad rows under policy ``reject``; the report counts them, with reasons and samples."""

    def __init__(self, message: str, report: SourceReport) -> None:
        super().__init__(message)
        self.report = report


def as_seconds(value: exp.Expr, unit: str) -> exp.Expr:
    """A duration in a column's unit as seconds: milliseconds are divided, so that 700 ms
    is the double nearest 0.7 (700 × 0.001 is not) and ties at a threshold hold."""
    if unit == "ms":
        return exp.Paren(this=exp.Div(this=value, expression=exp.Literal.number("1000.0")))
    return exp.Paren(this=exp.Mul(this=value, expression=exp.Literal.number(_FACTORS[unit])))


def from_seconds(value: exp.Expr, unit: str) -> exp.Expr:
    """Seconds back in a column's unit: the inverse of ``as_seconds``."""
    if unit == "ms":
        return exp.Paren(this=exp.Mul(this=value, expression=exp.Literal.number("1000.0")))
    if unit == "s":
        return exp.Paren(this=exp.Mul(this=value, expression=exp.Literal.number("1.0")))
    return exp.Paren(this=exp.Div(this=value, expression=exp.Literal.number(_FACTORS[unit])))


def sql_type(column_type: ColumnType) -> str:
    """The SQL type a column's values are held in (durations as seconds, a DOUBLE)."""
    return _SQL_TYPES[column_type]


def _try_cast(value: exp.Expr, sql_type: str) -> exp.TryCast:
    return exp.TryCast(this=value.copy(), to=exp.DataType.build(sql_type, dialect="duckdb"))


def _zoned(raw: exp.Expr) -> exp.Expr:
    """Whether a text timestamp ends with a zone."""
    return sql.call("regexp_matches", sql.typed(raw.copy(), "VARCHAR"), sql.text(_ZONE_SUFFIX))


def _typed(column: Column, raw: exp.Expr) -> exp.Expr:
    """A text value cast to the column's type (NULL when it does not parse)."""
    if column.type is ColumnType.DURATION:
        assert column.unit is not None
        return as_seconds(_try_cast(raw, "DOUBLE"), column.unit)
    if column.type is ColumnType.TIMESTAMP:
        return exp.Case().when(_zoned(raw), _try_cast(raw, "TIMESTAMPTZ"))
    return _try_cast(raw, _SQL_TYPES[column.type])


def _failure(name: str, column: Column, raw: exp.Expr, *, required: bool) -> exp.Case:
    """Why a value is bad (NULL when it is good); missing values are bad only when required."""
    missing = exp.or_(
        exp.Is(this=raw.copy(), expression=exp.Null()),
        exp.EQ(this=sql.typed(raw.copy(), "VARCHAR"), expression=sql.text("")),
    )
    reasons = exp.Case().when(missing, sql.text(f"{name}: missing") if required else exp.Null())
    unparsed = exp.Is(this=_typed(column, raw), expression=exp.Null())
    if column.type is ColumnType.TIMESTAMP:
        reasons = reasons.when(
            exp.Not(this=_zoned(raw)), sql.text(f"{name}: timestamp without time zone")
        )
        return reasons.when(unparsed, sql.text(f"{name}: not a timestamp"))
    return reasons.when(unparsed, sql.text(f"{name}: not {column.type.value}"))


def load_rows(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    rows: exp.Expr,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> SourceReport:
    """Check rows value by value and load the good ones as ``src_<id>``: the text path of
    every format. ``rows`` is a relation (a table, a table function or a query) with the
    source's physical columns and a ``filename`` column saying where each row came from
    (shown in samples and quarantine). The report names no files: that is the caller's to
    say."""
    report = SourceReport(source=source.id, files=[])
    relation = rows.subquery() if isinstance(rows, exp.Query) else rows
    _checked_table(con, source, relation, report)
    _keep_or_reject(con, source, report, policy, quarantine_dir)
    _time_range(con, source, report)
    return report


def stored_source(source: Source) -> Source:
    """How a pushed source's batches are kept: its checked rows as Parquet under the logical
    column names, typed, durations in seconds; read back through the typed fast path."""
    columns = {
        name: Column(
            column=name,
            type=column.type,
            unit="s" if column.type is ColumnType.DURATION else None,
        )
        for name, column in source.columns.items()
    }
    return source.model_copy(update={"format": SourceFormat.PARQUET, "columns": columns})


def empty_source(con: duckdb.DuckDBPyConnection, source: Source) -> SourceReport:
    """Load a source without rows as ``src_<id>`` (its columns typed): its windows have no
    data."""
    typed = [
        exp.alias_(sql.typed(exp.Null(), _SQL_TYPES[column.type]), name, quoted=True)
        for name, column in source.columns.items()
    ]
    nothing = exp.select(*typed).where(exp.false())
    con.execute(sql.render(sql.create_temp(f"src_{source.id}", nothing, view=True)))
    return SourceReport(source=source.id, files=[])


def row_identity(source: Source) -> list[str]:
    """Logical columns that identify a row: the key, except in a status-change source,
    where the key names the ticket and a row is one change, identified with its instant."""
    if source.key is None:
        return []
    if source.kind is SourceKind.STATUS_CHANGES:
        return [source.key, source.timestamp]
    return [source.key]


def _checked(source: Source) -> str:
    """The table holding a source's rows as checked, with their raw text and reasons."""
    return f"checked_{source.id}"


def _raw(column: Column) -> str:
    return f"raw_{column.column}"


def _checked_table(
    con: duckdb.DuckDBPyConnection, source: Source, reader: exp.Expr, report: SourceReport
) -> None:
    """Cast every column from text, recording the first reason a row is bad."""
    typed: list[exp.Expr] = []
    reasons: list[exp.Expr] = []
    for name, column in source.columns.items():
        raw = sql.typed(sql.column(column.column), "VARCHAR")
        typed.append(exp.alias_(_typed(column, raw), name, quoted=True))
        required = name in (source.timestamp, source.key)
        reasons.append(_failure(name, column, raw, required=required))
    raw_columns = [
        exp.alias_(sql.typed(sql.column(c.column), "VARCHAR"), _raw(c), quoted=True)
        for c in source.columns.values()
    ]
    duplicate: exp.Expr = exp.Null()
    identity = row_identity(source)
    if identity:
        key = [sql.typed(sql.column(source.columns[name].column), "VARCHAR") for name in identity]
        position = exp.Window(
            this=exp.RowNumber(),
            partition_by=key,
            order=exp.Order(expressions=[exp.Ordered(this=exp.column("filename"))]),
        )
        duplicate = exp.Case().when(
            exp.GT(this=position, expression=sql.number(1)),
            sql.text(f"{' + '.join(identity)}: duplicate"),
        )
    reason = sql.call("coalesce", *reasons, duplicate)
    checked = exp.select(
        *typed,
        *raw_columns,
        exp.alias_(exp.column("filename"), "__file"),
        exp.alias_(reason, "__reason"),
    ).from_(reader.copy())
    con.execute(sql.render(sql.create_temp(_checked(source), checked)))


def _keep_or_reject(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    report: SourceReport,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> None:
    checked = sql.table(_checked(source))
    reason = exp.column("__reason")
    counted = (
        exp.select(reason.copy(), sql.call("count", exp.Star()))
        .from_(checked.copy())
        .group_by(reason.copy())
        .order_by(exp.Ordered(this=reason.copy(), nulls_first=True))
    )
    counts = con.execute(sql.render(counted)).fetchall()
    report.rows_read = sum(int(row[1]) for row in counts)
    bad = [(str(row[0]), int(row[1])) for row in counts if row[0] is not None]
    report.rows_accepted = report.rows_read - sum(count for _, count in bad)
    raw = [sql.column(_raw(c)) for c in source.columns.values()]
    for found, count in bad:
        sampled = (
            exp.select(exp.column("__file"), *(r.copy() for r in raw))
            .from_(checked.copy())
            .where(exp.EQ(this=reason.copy(), expression=exp.Placeholder()))
            .limit(_SAMPLES)
        )
        samples = con.execute(sql.render(sampled), [found]).fetchall()
        report.issues.append(SourceIssue(found, count, tuple(_sample(row) for row in samples)))
    if bad and policy is BadRowPolicy.REJECT:
        listed = "; ".join(f"{found} ({count} rows)" for found, count in bad)
        raise RejectedRows(
            f"source {source.id!r}: {report.rows_rejected} bad row(s): {listed}", report
        )
    if bad and quarantine_dir is not None:
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        target = quarantine_dir / f"{source.id}.csv"
        set_aside = (
            exp.select(
                exp.alias_(exp.column("__file"), "file"),
                exp.alias_(reason.copy(), "reason"),
                *(r.copy() for r in raw),
            )
            .from_(checked.copy())
            .where(sql.known(reason))
            .order_by(exp.column("__file"), reason.copy())
        )
        con.execute(
            sql.render(sql.copy_to(set_aside, target, header=None, delimiter=sql.text(",")))
        )
        report.quarantine_path = str(target)
    good = (
        exp.select(*sql.columns_of(list(source.columns)))
        .from_(checked.copy())
        .where(exp.Is(this=reason.copy(), expression=exp.Null()))
    )
    con.execute(sql.render(sql.create_temp(f"src_{source.id}", good, view=True)))


def _sample(row: tuple[object, ...]) -> str:
    return ", ".join("" if value is None else str(value) for value in row)


def _time_range(con: duckdb.DuckDBPyConnection, source: Source, report: SourceReport) -> None:
    ts = sql.column(source.timestamp)
    ranged = exp.select(sql.call("min", ts), sql.call("max", ts.copy())).from_(
        source_table(source.id)
    )
    row = con.execute(sql.render(ranged)).fetchone()
    if row and row[0] is not None:
        report.first_at, report.last_at = row[0].isoformat(), row[1].isoformat()
