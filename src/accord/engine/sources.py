"""Reading a data source into DuckDB under its logical column names, checked first.

Text formats (CSV, JSON lines) are read as text and cast column by column, so that every
row that fails (unparseable value, missing or zone-less timestamp, duplicate key) is kept
with its reason instead of being dropped: the run either stops (policy ``reject``) or goes
on without those rows and writes them to a quarantine file (policy ``quarantine``).
Parquet files carry their own types; they are checked by schema, and only when a column's
type does not match the agreement are they read through the same text path.
Durations are converted to seconds; timestamps are UTC ``TIMESTAMPTZ``.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Final

import duckdb

from accord.core.evaluation import SourceIssue, SourceReport
from accord.core.model.measurement import Column, ColumnType, Source, SourceFormat, SourceKind

__all__ = [
    "SQL_TYPES",
    "BadRowPolicy",
    "DataError",
    "RejectedRows",
    "load_files",
    "load_rows",
    "load_source",
    "quote",
    "read_files",
    "row_identity",
    "source_table",
    "stored_source",
]

SQL_TYPES: Final = {
    ColumnType.TIMESTAMP: "TIMESTAMPTZ",
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.NUMBER: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DURATION: "DOUBLE",
}
#: Seconds as ``value / divisor`` or ``value * factor``: milliseconds are divided, so that
#: 700 ms is the double nearest 0.7 (700 × 0.001 is not) and ties at a threshold hold.
_TO_SECONDS: Final = {"ms": "/ 1000.0", "s": "* 1.0", "m": "* 60.0", "h": "* 3600.0"}
#: A time of day followed by a zone: Z, UTC, an offset or an IANA name. A date alone
#: (``2026-10-05``, whose ``-05`` looks like an offset) has no zone.
_ZONE_SUFFIX: Final = r":\d\d(\.\d+)?\s*(Z|z|UTC|[+-]\d\d(:?\d\d)?|\s[A-Za-z_]+(/[A-Za-z_+-]+)+)$"
_SAMPLES: Final = 5


class BadRowPolicy(StrEnum):
    REJECT = "reject"
    QUARANTINE = "quarantine"


class DataError(Exception):
    """Data that cannot be evaluated: missing files or columns, or rejected rows."""


class RejectedRows(DataError):
    """Bad rows under policy ``reject``; the report counts them, with reasons and samples."""

    def __init__(self, message: str, report: SourceReport) -> None:
        super().__init__(message)
        self.report = report


def quote(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def source_table(source_id: str) -> str:
    """The table (or view) a loaded source lives in."""
    return quote(f"src_{source_id}")


def _files(source: Source, data_dir: Path) -> list[str]:
    assert source.path is not None
    pattern = data_dir / source.path
    if pattern.is_dir():
        pattern = pattern / "**" / f"*.{source.format.value}"
    found = sorted(glob.glob(str(pattern), recursive=True))
    if not found:
        raise DataError(f"source {source.id!r}: no files match {pattern}")
    return found


def _list(files: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _reader(source: Source, files: list[str], as_text: bool) -> str:
    if source.format is SourceFormat.CSV:
        return f"read_csv({_list(files)}, header = true, all_varchar = true, filename = true)"
    if source.format is SourceFormat.JSONL:
        columns = ", ".join(f"'{c.column}': 'VARCHAR'" for c in source.columns.values())
        return (
            f"read_json({_list(files)}, format = 'newline_delimited', "
            f"columns = {{{columns}}}, filename = true)"
        )
    cast = ", union_by_name = true" if as_text else ""
    return f"read_parquet({_list(files)}, hive_partitioning = true, filename = true{cast})"


def _physical_columns(con: duckdb.DuckDBPyConnection, reader: str) -> dict[str, str]:
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    found = {str(row[0]): str(row[1]) for row in described}
    # Empty JSON-lines files are described as one untyped "json" column: nothing to check.
    return {} if found == {"json": "JSON"} else found


def _typed(column: Column, raw: str) -> str:
    """SQL casting a text value to the column's type (NULL when it does not parse)."""
    target = SQL_TYPES[column.type]
    if column.type is ColumnType.DURATION:
        assert column.unit is not None
        return f"(TRY_CAST({raw} AS DOUBLE) {_TO_SECONDS[column.unit]})"
    if column.type is ColumnType.TIMESTAMP:
        return (
            f"CASE WHEN regexp_matches(CAST({raw} AS VARCHAR), '{_ZONE_SUFFIX}') "
            f"THEN TRY_CAST({raw} AS TIMESTAMPTZ) END"
        )
    return f"TRY_CAST({raw} AS {target})"


def _failure(name: str, column: Column, raw: str, *, required: bool) -> str:
    """A CASE branch naming why a value is bad; missing values are bad only when required."""
    typed = _typed(column, raw)
    missing = f"WHEN {raw} IS NULL OR CAST({raw} AS VARCHAR) = '' THEN " + (
        f"'{name}: missing'" if required else "NULL"
    )
    if column.type is ColumnType.TIMESTAMP:
        zone = (
            f"WHEN NOT regexp_matches(CAST({raw} AS VARCHAR), '{_ZONE_SUFFIX}') "
            f"THEN '{name}: timestamp without time zone'"
        )
        return f"{missing} {zone} WHEN {typed} IS NULL THEN '{name}: not a timestamp'"
    return f"{missing} WHEN {typed} IS NULL THEN '{name}: not {column.type.value}'"


def _check_columns(source: Source, physical: dict[str, str]) -> None:
    missing = sorted(
        f"{column.column} (for {name})"
        for name, column in source.columns.items()
        if column.column not in physical
    )
    if missing and physical:
        raise DataError(
            f"source {source.id!r}: missing column(s) {', '.join(missing)}; "
            f"the files have {', '.join(sorted(k for k in physical if k != 'filename'))}"
        )


def _parquet_matches(source: Source, physical: dict[str, str]) -> bool:
    """Whether Parquet column types already match the agreement (then no text pass)."""
    wanted = {
        ColumnType.TIMESTAMP: ("TIMESTAMP WITH TIME ZONE",),
        ColumnType.STRING: ("VARCHAR",),
        ColumnType.INTEGER: ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER"),
        ColumnType.NUMBER: ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "DECIMAL"),
        ColumnType.BOOLEAN: ("BOOLEAN",),
        ColumnType.DURATION: ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "DECIMAL"),
    }
    return all(physical[c.column].split("(")[0] in wanted[c.type] for c in source.columns.values())


def _fast_view(con: duckdb.DuckDBPyConnection, source: Source, reader: str) -> None:
    select = []
    for name, column in source.columns.items():
        raw = quote(column.column)
        if column.type is ColumnType.DURATION:
            assert column.unit is not None
            expr = f"(CAST({raw} AS DOUBLE) {_TO_SECONDS[column.unit]})"
        else:
            expr = f"CAST({raw} AS {SQL_TYPES[column.type]})"
        select.append(f"{expr} AS {quote(name)}")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {source_table(source.id)} AS SELECT {', '.join(select)} "
        f"FROM {reader} WHERE {quote(source.columns[source.timestamp].column)} IS NOT NULL"
    )


def load_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    data_dir: Path,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> SourceReport:
    """Load one file source as ``src_<id>``; bad rows rejected or quarantined."""
    return load_files(con, source, _files(source, data_dir), policy, quarantine_dir)


def load_files(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    files: Sequence[str],
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> SourceReport:
    """Load the given files of a source (in its format) as ``src_<id>``; bad rows rejected
    or quarantined. No files at all is an empty source (a pushed source before its first
    batch): its windows have no data."""
    files = list(files)
    if not files:
        _empty_view(con, source)
        return SourceReport(source=source.id, files=[])
    try:
        reader, physical = _open(con, source, files)
        fast = SourceReport(source=source.id, files=files)
        if (
            source.format is SourceFormat.PARQUET
            and _parquet_matches(source, physical)
            and (
                _clean_by_statistics(con, source, files, fast)
                or _clean_parquet(con, source, reader, fast)
            )
        ):
            _fast_view(con, source, reader)
            return fast
        report = load_rows(con, source, reader, policy, quarantine_dir)
    except duckdb.Error as exc:
        raise DataError(f"source {source.id!r}: cannot read {len(files)} file(s): {exc}") from None
    report.files = files
    return report


def read_files(con: duckdb.DuckDBPyConnection, source: Source, files: Sequence[str]) -> str:
    """SQL reading the files in the source's format, text formats as text, with a
    ``filename`` column; the files' columns are checked first (DataError naming the missing
    ones)."""
    return _open(con, source, list(files))[0]


def _open(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[str]
) -> tuple[str, dict[str, str]]:
    reader = _reader(source, files, as_text=False)
    physical = _physical_columns(con, _describing_reader(source, files, reader))
    _check_columns(source, physical)
    return reader, physical


def load_rows(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    rows: str,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> SourceReport:
    """Check rows value by value and load the good ones as ``src_<id>``: the text path of
    every format. ``rows`` is SQL for a relation with the source's physical columns and a
    ``filename`` column saying where each row came from (shown in samples and quarantine).
    The report names no files: that is the caller's to say."""
    report = SourceReport(source=source.id, files=[])
    _checked_table(con, source, rows, report)
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


def _empty_view(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    typed = ", ".join(
        f"CAST(NULL AS {SQL_TYPES[column.type]}) AS {quote(name)}"
        for name, column in source.columns.items()
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {source_table(source.id)} AS SELECT {typed} WHERE false"
    )


def _describing_reader(source: Source, files: list[str], reader: str) -> str:
    """The reader whose columns are the files' own: JSON lines are read with the agreement's
    columns (absent keys become nulls), so their keys are found by detection instead."""
    if source.format is SourceFormat.JSONL:
        return f"read_json({_list(files)}, format = 'newline_delimited')"
    return reader


def row_identity(source: Source) -> list[str]:
    """Logical columns that identify a row: the key, except in a status-change source,
    where the key names the ticket and a row is one change, identified with its instant."""
    if source.key is None:
        return []
    if source.kind is SourceKind.STATUS_CHANGES:
        return [source.key, source.timestamp]
    return [source.key]


def _clean_by_statistics(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[str], report: SourceReport
) -> bool:
    """Whether the files' own Parquet statistics already prove every row has a timestamp
    (no key to check): row counts, null counts and time range without reading any rows.
    Missing statistics fall back to reading the column."""
    if row_identity(source):
        return False
    column = source.columns[source.timestamp].column.replace("'", "''")
    row = con.execute(
        "SELECT sum(row_group_num_rows), sum(stats_null_count), "
        "count(*) FILTER (WHERE stats_null_count IS NULL OR stats_min_value IS NULL), "
        "min(TRY_CAST(stats_min_value AS TIMESTAMPTZ)), "
        "max(TRY_CAST(stats_max_value AS TIMESTAMPTZ)) "
        f"FROM parquet_metadata({_list(files)}) WHERE path_in_schema = '{column}'"
    ).fetchone()
    if row is None or row[0] is None or row[1] != 0 or row[2] != 0 or row[3] is None:
        return False
    report.rows_read = report.rows_accepted = int(row[0])
    report.first_at, report.last_at = row[3].isoformat(), row[4].isoformat()
    return True


def _clean_parquet(
    con: duckdb.DuckDBPyConnection, source: Source, reader: str, report: SourceReport
) -> bool:
    """Whether typed Parquet needs no row checks: every row has a timestamp (and a unique
    key). Otherwise the rows go through the checked path, to be rejected or quarantined."""
    ts = quote(source.columns[source.timestamp].column)
    identity = [quote(source.columns[name].column) for name in row_identity(source)]
    key = f"({', '.join(identity)})" if len(identity) > 1 else (identity[0] if identity else None)
    keys = f", count({identity[0]}), count(DISTINCT {key})" if key else ", count(*), count(*)"
    row = con.execute(
        f"SELECT count(*), count({ts}), min({ts}), max({ts}){keys} FROM {reader}"
    ).fetchone()
    assert row is not None
    rows, stamped, first_at, last_at, keyed, distinct = row
    if not rows == stamped == keyed == distinct:
        return False
    report.rows_read = report.rows_accepted = int(rows)
    if first_at is not None:
        report.first_at, report.last_at = first_at.isoformat(), last_at.isoformat()
    return True


def _checked_table(
    con: duckdb.DuckDBPyConnection, source: Source, reader: str, report: SourceReport
) -> None:
    """Cast every column from text, recording the first reason a row is bad."""
    typed = []
    reasons = []
    for name, column in source.columns.items():
        raw = f"CAST({quote(column.column)} AS VARCHAR)"
        typed.append(f"{_typed(column, raw)} AS {quote(name)}")
        required = name in (source.timestamp, source.key)
        reasons.append(f"CASE {_failure(name, column, raw, required=required)} END")
    raw_columns = ", ".join(
        f"CAST({quote(c.column)} AS VARCHAR) AS {quote('raw_' + c.column)}"
        for c in source.columns.values()
    )
    duplicate = "NULL"
    identity = row_identity(source)
    if identity:
        key = ", ".join(
            f"CAST({quote(source.columns[name].column)} AS VARCHAR)" for name in identity
        )
        duplicate = (
            f"CASE WHEN row_number() OVER (PARTITION BY {key} ORDER BY filename) > 1 "
            f"THEN '{' + '.join(identity)}: duplicate' END"
        )
    reason = f"coalesce({', '.join([*reasons, duplicate])})"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {quote('checked_' + source.id)} AS "
        f"SELECT {', '.join(typed)}, {raw_columns}, filename AS __file, "
        f"{reason} AS __reason FROM {reader}"
    )


def _keep_or_reject(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    report: SourceReport,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> None:
    checked = quote("checked_" + source.id)
    counts = con.execute(
        f"SELECT __reason, count(*) FROM {checked} GROUP BY __reason ORDER BY __reason NULLS FIRST"
    ).fetchall()
    report.rows_read = sum(int(row[1]) for row in counts)
    bad = [(str(row[0]), int(row[1])) for row in counts if row[0] is not None]
    report.rows_accepted = report.rows_read - sum(count for _, count in bad)
    for reason, count in bad:
        raw = ", ".join(quote("raw_" + c.column) for c in source.columns.values())
        samples = con.execute(
            f"SELECT __file, {raw} FROM {checked} WHERE __reason = ? LIMIT {_SAMPLES}",
            [reason],
        ).fetchall()
        report.issues.append(SourceIssue(reason, count, tuple(_sample(row) for row in samples)))
    if bad and policy is BadRowPolicy.REJECT:
        listed = "; ".join(f"{reason} ({count} rows)" for reason, count in bad)
        raise RejectedRows(
            f"source {source.id!r}: {report.rows_rejected} bad row(s): {listed}", report
        )
    if bad and quarantine_dir is not None:
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        target = quarantine_dir / f"{source.id}.csv"
        raw = ", ".join(quote("raw_" + c.column) for c in source.columns.values())
        con.execute(
            f"COPY (SELECT __file AS file, __reason AS reason, {raw} FROM {checked} "
            f"WHERE __reason IS NOT NULL ORDER BY __file, __reason) TO "
            f"'{str(target).replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER ',')"
        )
        report.quarantine_path = str(target)
    names = ", ".join(quote(name) for name in source.columns)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {source_table(source.id)} AS "
        f"SELECT {names} FROM {checked} WHERE __reason IS NULL"
    )


def _sample(row: tuple[object, ...]) -> str:
    return ", ".join("" if value is None else str(value) for value in row)


def _time_range(con: duckdb.DuckDBPyConnection, source: Source, report: SourceReport) -> None:
    row = con.execute(
        f"SELECT min({quote(source.timestamp)}), max({quote(source.timestamp)}) "
        f"FROM {source_table(source.id)}"
    ).fetchone()
    if row and row[0] is not None:
        report.first_at, report.last_at = row[0].isoformat(), row[1].isoformat()
