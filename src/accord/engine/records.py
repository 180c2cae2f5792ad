"""The service's own records (incidents, obligations) as a source: rows the service read from
its store for a source of format ``recorded``, loaded into DuckDB and checked like any other
source's rows (``accord.engine.sources.load_rows``), so that a row the engine cannot place in
time is set aside with its reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import duckdb
from sqlglot import exp

from accord.core.evaluation import SourceReport
from accord.core.model.measurement import ColumnType, Source
from accord.core.model.recorded import RECORDED_COLUMNS
from accord.core.model.sources import SourceFormat
from accord.engine import sql
from accord.engine.sources import BadRowPolicy, DataError, empty_source, load_rows, sql_type

__all__ = ["Records", "exported_source", "load_records"]

#: What exported records may be written as, by file suffix.
_EXPORTED: Final = {".csv": SourceFormat.CSV, ".jsonl": SourceFormat.JSONL}


@dataclass(frozen=True)
class Records:
    """The rows of one recorded source, each a tuple in the order of ``RECORDED_COLUMNS``
    for the source's kind (instants tz-aware)."""

    rows: Sequence[tuple[object, ...]]


def load_records(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    records: Records | None,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> SourceReport:
    """Load a recorded source as ``src_<id>``. Without records (a file evaluation, which has
    no store) it has no rows: its windows have no data."""
    if records is None:
        return empty_source(con, source)
    columns = RECORDED_COLUMNS[source.kind.value]
    table = f"records_{source.id}"
    typed = {name: sql_type(ColumnType(type_)) for name, type_ in columns.items()}
    con.execute(sql.render(sql.create_temp_table(table, typed)))
    if records.rows:
        con.executemany(sql.render(sql.insert_rows(table, len(typed))), list(records.rows))
    rows = exp.select("*", exp.alias_(sql.text("records"), "filename")).from_(sql.table(table))
    return load_rows(con, source, rows, policy, quarantine_dir)


def exported_source(source: Source, files: Sequence[str]) -> Source:
    """The recorded source read from exported files instead of the store: CSV or JSON lines
    holding the recorded columns under their own names (as ``accord records`` writes them)."""
    formats = {_EXPORTED.get(Path(name).suffix.lower()) for name in files}
    if None in formats or len(formats) != 1:
        raise DataError(
            f"source {source.id!r}: exported records are .csv or .jsonl files, all of one "
            f"kind; got {', '.join(files)}"
        )
    [found] = formats
    return source.model_copy(update={"format": found})
