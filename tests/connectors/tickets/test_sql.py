"""The pieces of the ticket-export queries: text values, local date-times, JSON records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from sqlglot import exp

from accord.connectors.tickets.sql import (
    JIRA_CSV_FORMATS,
    csv_rows,
    json_records,
    local_time,
    record_field,
    text,
)
from accord.engine import sql


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        yield connection


def value(con: duckdb.DuckDBPyConnection, expression: exp.Expr) -> object:
    row = con.execute(sql.render(exp.select(expression))).fetchone()
    assert row is not None
    return row[0]


def test_empty_text_is_missing(con: duckdb.DuckDBPyConnection) -> None:
    assert value(con, text(sql.text(""))) is None
    assert value(con, text(sql.number(7))) == "7"


def test_a_local_time_is_read_in_its_zone_and_written_with_its_offset(
    con: duckdb.DuckDBPyConnection,
) -> None:
    written = local_time(sql.text("05/Oct/26 09:30 AM"), "Europe/Amsterdam", JIRA_CSV_FORMATS)
    assert value(con, written) == "2026-10-05 07:30:00+00"


def test_a_time_no_format_fits_is_passed_on_as_written(con: duckdb.DuckDBPyConnection) -> None:
    written = local_time(sql.text("yesterday"), "Europe/Amsterdam", JIRA_CSV_FORMATS)
    assert value(con, written) == "yesterday"


def test_records_under_any_key_and_their_fields_by_path(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Exports and API pages name their lists differently; a field is found by its dotted
    path, even when a part of it has a space or a quote."""
    first = tmp_path / "it's page 1.json"
    second = tmp_path / "page-2.json"
    first.write_text(json.dumps({"result": [{"a": {"b c": "x"}, "n": "1"}]}))
    second.write_text(json.dumps({"records": [{"a": {"b c": "y"}, "n": ""}]}))
    records = json_records([str(first), str(second)], "result", "records")
    statement = (
        exp.select(record_field("a.b c"), record_field("n"), exp.column("filename"))
        .from_(records)
        .order_by(exp.column("filename"))
    )
    assert con.execute(sql.render(statement)).fetchall() == [
        ("x", "1", str(first)),
        ("y", None, str(second)),
    ]


def test_csv_rows_are_text_with_their_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    export = tmp_path / "O'Brien.csv"
    export.write_text("Issue key,Priority\nSUP-1,0042\n")
    statement = exp.select("*").from_(csv_rows([str(export)]))
    assert con.execute(sql.render(statement)).fetchall() == [("SUP-1", "0042", str(export))]
