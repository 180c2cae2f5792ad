"""Shared pieces of the queries that read ticket-system exports, as SQLGlot trees: text
values, date-times given a zone, JSON records and fields. Names and values from an export's
settings (headers, zones, field paths) become identifiers and literals by construction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlglot import exp

from accord.engine import sql

__all__ = [
    "JIRA_CSV_FORMATS",
    "SERVICENOW_FORMATS",
    "csv_rows",
    "function",
    "json_field",
    "json_records",
    "local_time",
    "record_field",
    "text",
]

#: How Jira writes date-times in CSV exports, by its default look-and-feel settings.
JIRA_CSV_FORMATS: Final = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%Y-%m-%d %H:%M")
#: How ServiceNow writes date-times (system format).
SERVICENOW_FORMATS: Final = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S")


def function(name: str, *arguments: exp.Expr) -> exp.Anonymous:
    """A DuckDB function called by its own name, written as is (``json_extract_string``)."""
    return exp.Anonymous(this=name, expressions=list(arguments))


def text(value: exp.Expr) -> exp.Expr:
    """A value as text, empty text as missing."""
    return exp.Nullif(this=sql.typed(value, "VARCHAR"), expression=sql.text(""))


def local_time(value: exp.Expr, zone: str, formats: Sequence[str]) -> exp.Expr:
    """A date-time written without a zone, read in the given one and written with its
    offset; a value that fits none of the formats is passed on as written, so the source's
    checks report it with its reason."""
    listed = exp.Array(expressions=[sql.text(f) for f in formats])
    parsed = function("timezone", sql.text(zone), function("try_strptime", text(value), listed))
    return sql.call("coalesce", sql.typed(parsed, "VARCHAR"), text(value.copy()))


def csv_rows(files: Sequence[str]) -> exp.Table:
    """CSV files read as text with their headers, and each row's file name."""
    true = exp.true()
    return sql.reading("read_csv", sql.files(files), header=true, all_varchar=true, filename=true)


def json_records(files: Sequence[str], *keys: str) -> exp.Subquery:
    """One row per record of JSON files holding lists under any of the keys (exports and
    API pages name them differently), with the file's name."""
    shape = sql.shape(dict.fromkeys(keys, "JSON[]"))
    reader = sql.reading("read_json", sql.files(files), columns=shape, filename=exp.true())
    lists = sql.call("coalesce", *sql.columns_of(keys))
    return (
        exp.select(exp.column("filename"), exp.alias_(function("unnest", lists), "record"))
        .from_(reader)
        .subquery()
    )


def json_field(record: exp.Expr, path: exp.Expr) -> exp.Anonymous:
    """``json_extract_string(record, path)``."""
    return function("json_extract_string", record, path)


def record_field(path: str, record: str = "record") -> exp.Expr:
    """A field of a JSON record by its dotted path (``fields.priority.name``), as text;
    ``record`` is a column, optionally of a table alias (``t.record``)."""
    parts = ".".join(f'"{part}"' for part in path.split("."))
    table, _, name = record.rpartition(".")
    return text(json_field(exp.column(name, table=table or None), sql.text("$." + parts)))
