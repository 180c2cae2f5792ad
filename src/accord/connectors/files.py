"""Data files (CSV, JSON lines, Parquet) read into DuckDB: the engine's ``SourceReader``.

A file source's path (a file, a glob or a folder, under the data directory) names its files.
Text formats (CSV, JSON lines) are read as text and go through the engine's checks value by
value (``accord.engine.sources.load_rows``: reasons, samples, quarantine or reject).
Parquet files carry their own types; they are checked by schema, and only when a column's
type does not match the agreement are they read through the same text path. Typed Parquet
whose rows are proved good (by the files' own statistics, else by one counting scan) is
read directly, durations converted to seconds.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import duckdb
from sqlglot import exp

from accord.core.evaluation import SourceReport
from accord.core.model.measurement import ColumnType, Source, SourceFormat
from accord.engine import sql
from accord.engine.sources import (
    BadRowPolicy,
    DataError,
    as_seconds,
    empty_source,
    load_rows,
    row_identity,
    sql_type,
)

__all__ = ["FileReader", "read_files"]

_TRUE: Final = exp.true()
#: The physical types a Parquet column may have for each type of the agreement to be read
#: as it is (no text pass).
_PARQUET_TYPES: Final = {
    ColumnType.TIMESTAMP: ("TIMESTAMP WITH TIME ZONE",),
    ColumnType.STRING: ("VARCHAR",),
    ColumnType.INTEGER: ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER"),
    ColumnType.NUMBER: ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "DECIMAL"),
    ColumnType.BOOLEAN: ("BOOLEAN",),
    ColumnType.DURATION: ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "DECIMAL"),
}


class FileReader:
    """Reads file sources from the data directory (the engine's ``SourceReader`` port)."""

    def find(self, source: Source, data_dir: Path) -> list[str]:
        """The files a source's path matches under ``data_dir``, sorted: a file, a glob, or
        every file of the source's format under a folder. DataError when none match."""
        assert source.path is not None
        pattern = data_dir / source.path
        if pattern.is_dir():
            pattern = pattern / "**" / f"*.{source.format.value}"
        found = sorted(glob.glob(str(pattern), recursive=True))
        if not found:
            raise DataError(f"source {source.id!r}: no files match {pattern}")
        return found

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Source,
        files: Sequence[str],
        policy: BadRowPolicy,
        quarantine_dir: Path | None,
    ) -> SourceReport:
        """Load the given files of a source (in its format) as ``src_<id>``; bad rows
        rejected or quarantined. No files at all is an empty source (a pushed source before
        its first batch): its windows have no data."""
        files = list(files)
        if not files:
            return empty_source(con, source)
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
            raise DataError(
                f"source {source.id!r}: cannot read {len(files)} file(s): {exc}"
            ) from None
        report.files = files
        return report


def read_files(con: duckdb.DuckDBPyConnection, source: Source, files: Sequence[str]) -> exp.Table:
    """The table function reading the files in the source's format, text formats as text,
    with a ``filename`` column; the files' columns are checked first (DataError naming the
    missing ones)."""
    return _open(con, source, list(files))[0]


def _open(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[str]
) -> tuple[exp.Table, dict[str, str]]:
    reader = _reader(source, files)
    physical = _physical_columns(con, _describing_reader(source, files, reader))
    _check_columns(source, physical)
    return reader, physical


def _reader(source: Source, files: list[str]) -> exp.Table:
    listed = sql.files(files)
    if source.format is SourceFormat.CSV:
        return sql.reading("read_csv", listed, header=_TRUE, all_varchar=_TRUE, filename=_TRUE)
    if source.format is SourceFormat.JSONL:
        columns = sql.shape({c.column: "VARCHAR" for c in source.columns.values()})
        return sql.reading(
            "read_json",
            listed,
            format=sql.text("newline_delimited"),
            columns=columns,
            filename=_TRUE,
        )
    return sql.reading("read_parquet", listed, hive_partitioning=_TRUE, filename=_TRUE)


def _describing_reader(source: Source, files: list[str], reader: exp.Table) -> exp.Table:
    """The reader whose columns are the files' own: JSON lines are read with the agreement's
    columns (absent keys become nulls), so their keys are found by detection instead."""
    if source.format is SourceFormat.JSONL:
        return sql.reading("read_json", sql.files(files), format=sql.text("newline_delimited"))
    return reader


def _physical_columns(con: duckdb.DuckDBPyConnection, reader: exp.Expr) -> dict[str, str]:
    described = con.execute(
        sql.render(exp.Describe(this=exp.select("*").from_(reader.copy())))
    ).fetchall()
    found = {str(row[0]): str(row[1]) for row in described}
    # Empty JSON-lines files are described as one untyped "json" column: nothing to check.
    return {} if found == {"json": "JSON"} else found


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
    return all(
        physical[c.column].split("(")[0] in _PARQUET_TYPES[c.type] for c in source.columns.values()
    )


def _fast_view(con: duckdb.DuckDBPyConnection, source: Source, reader: exp.Table) -> None:
    select = []
    for name, column in source.columns.items():
        raw = sql.column(column.column)
        if column.type is ColumnType.DURATION:
            assert column.unit is not None
            value = as_seconds(sql.typed(raw, "DOUBLE"), column.unit)
        else:
            value = sql.typed(raw, sql_type(column.type))
        select.append(exp.alias_(value, name, quoted=True))
    stamped = sql.known(sql.column(source.columns[source.timestamp].column))
    rows = exp.select(*select).from_(reader.copy()).where(stamped)
    con.execute(sql.render(sql.create_temp(f"src_{source.id}", rows, view=True)))


#: Row count, null count, incomplete statistics and time range of one column of Parquet
#: files, from the files' own statistics (no rows read).
_STATISTICS: Final = sql.template(
    """
    SELECT sum(row_group_num_rows), sum(stats_null_count),
           count(*) FILTER (WHERE stats_null_count IS NULL OR stats_min_value IS NULL),
           min(TRY_CAST(stats_min_value AS TIMESTAMPTZ)),
           max(TRY_CAST(stats_max_value AS TIMESTAMPTZ))
    FROM parquet_metadata($files) WHERE path_in_schema = $column
    """
)


def _clean_by_statistics(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[str], report: SourceReport
) -> bool:
    """Whether the files' own Parquet statistics already prove every row has a timestamp
    (no key to check): row counts, null counts and time range without reading any rows.
    Missing statistics fall back to reading the column."""
    if row_identity(source):
        return False
    column = sql.text(source.columns[source.timestamp].column)
    statement = sql.fill(_STATISTICS, {"files": sql.files(files), "column": column})
    row = con.execute(sql.render(statement)).fetchone()
    if row is None or row[0] is None or row[1] != 0 or row[2] != 0 or row[3] is None:
        return False
    report.rows_read = report.rows_accepted = int(row[0])
    report.first_at, report.last_at = row[3].isoformat(), row[4].isoformat()
    return True


def _clean_parquet(
    con: duckdb.DuckDBPyConnection, source: Source, reader: exp.Table, report: SourceReport
) -> bool:
    """Whether typed Parquet needs no row checks: every row has a timestamp (and a unique
    key). Otherwise the rows go through the checked path, to be rejected or quarantined."""
    ts = sql.column(source.columns[source.timestamp].column)
    identity = [sql.column(source.columns[name].column) for name in row_identity(source)]
    everything = sql.call("count", exp.Star())
    keyed, distinct = everything, everything
    if identity:
        key = exp.Tuple(expressions=identity) if len(identity) > 1 else identity[0]
        keyed = sql.call("count", identity[0].copy())
        distinct = exp.Count(this=exp.Distinct(expressions=[key.copy()]))
    counted = exp.select(
        everything.copy(),
        sql.call("count", ts.copy()),
        sql.call("min", ts.copy()),
        sql.call("max", ts.copy()),
        keyed.copy(),
        distinct.copy(),
    ).from_(reader.copy())
    row = con.execute(sql.render(counted)).fetchone()
    assert row is not None
    rows, stamped, first_at, last_at, keyed_rows, distinct_rows = row
    if not rows == stamped == keyed_rows == distinct_rows:
        return False
    report.rows_read = report.rows_accepted = int(rows)
    if first_at is not None:
        report.first_at, report.last_at = first_at.isoformat(), last_at.isoformat()
    return True
