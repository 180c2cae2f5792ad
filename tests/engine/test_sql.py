"""The SQL building blocks: names and values become identifiers and literals by construction,
so a name or a path with quotes in it cannot change what a statement does."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from sqlglot import exp

from accord.engine import sql

AWKWARD = """it's a "name"; DROP TABLE x; --"""


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def test_a_column_named_with_quotes_is_one_identifier(con: duckdb.DuckDBPyConnection) -> None:
    statement = exp.select(exp.alias_(sql.number(1), AWKWARD, quoted=True))
    described = con.execute(sql.render(statement)).description
    assert described is not None
    assert described[0][0] == AWKWARD


def test_text_and_numbers_are_literals(con: duckdb.DuckDBPyConnection) -> None:
    statement = exp.select(sql.text(AWKWARD), sql.number(Decimal("0.800")), sql.number(-3))
    assert con.execute(sql.render(statement)).fetchone() == (AWKWARD, Decimal("0.800"), -3)


def test_an_instant_is_written_in_utc(con: duckdb.DuckDBPyConnection) -> None:
    at = dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    row = con.execute(sql.render(exp.select(sql.instant(at)))).fetchone()
    assert row is not None
    assert row[0] == at


def test_an_instant_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        sql.instant(dt.datetime(2026, 10, 5))


def test_copy_to_and_reading_round_trip_through_a_path_with_quotes(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    folder = tmp_path / "it's"
    folder.mkdir()
    target = folder / 'rows "1".csv'
    rows = exp.select(
        exp.alias_(sql.text(AWKWARD), "name", quoted=True),
        exp.alias_(sql.number(7), "n", quoted=True),
    )
    con.execute(sql.render(sql.copy_to(rows, target, header=None, delimiter=sql.text(","))))
    reader = sql.reading("read_csv", sql.files([target]), header=exp.true(), all_varchar=exp.true())
    assert con.execute(sql.render(exp.select("*").from_(reader))).fetchall() == [(AWKWARD, "7")]


def test_shape_tells_a_reader_columns_named_with_quotes(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    lines = tmp_path / "rows.jsonl"
    lines.write_text(json.dumps({AWKWARD: "a", "plain": 1}) + "\n", encoding="utf-8")
    columns = sql.shape({AWKWARD: "VARCHAR", "plain": "VARCHAR"})
    reader = sql.reading(
        "read_json", sql.files([lines]), format=sql.text("newline_delimited"), columns=columns
    )
    statement = exp.select(sql.column(AWKWARD), sql.column("plain")).from_(reader)
    assert con.execute(sql.render(statement)).fetchall() == [("a", "1")]


def test_create_temp_makes_a_view_or_a_table(con: duckdb.DuckDBPyConnection) -> None:
    rows = exp.select(exp.alias_(sql.number(1), "one", quoted=True))
    con.execute(sql.render(sql.create_temp(AWKWARD, rows, view=True)))
    con.execute(sql.render(sql.create_temp("copied", exp.select("*").from_(sql.table(AWKWARD)))))
    kinds = dict(
        con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall()
    )
    assert kinds == {AWKWARD: "VIEW", "copied": "LOCAL TEMPORARY"}
    # Replacing is allowed: the statement says OR REPLACE.
    con.execute(sql.render(sql.create_temp("copied", rows)))


def test_fill_puts_values_in_placeholders_and_relations_in_tables(
    con: duckdb.DuckDBPyConnection,
) -> None:
    template = sql.template("SELECT t.n + $offset AS n FROM numbers AS t")
    numbers = exp.select(exp.alias_(sql.number(41), "n"))
    statement = sql.fill(template, {"offset": sql.number(1), "numbers": numbers})
    assert con.execute(sql.render(statement)).fetchall() == [(42,)]
    # The template itself is left as it was.
    assert template.find(exp.Placeholder) is not None


def test_query_refuses_a_statement_that_is_not_a_select() -> None:
    with pytest.raises(TypeError, match="not a SELECT"):
        sql.query(sql.create_temp("t", exp.select(sql.number(1))))
