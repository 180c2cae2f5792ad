"""Conditions over a source's columns: a safe subset of SQL, parsed once, with the columns it
reads, refused with a message the writer understands, and the same on every engine."""

from __future__ import annotations

import duckdb
import pytest
from sqlglot import exp

from accord.core.expressions import ExpressionError, Predicate


def refused(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as error:
        Predicate.parse(text)
    return error.value


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("status < 500", {"status"}),
        ("status < 500 and region <> 'test'", {"status", "region"}),
        ("region in ('eu', 'us') or not (status >= 500)", {"region", "status"}),
        ("lower(region) like 'eu%'", {"region"}),
        ("cast(latency as double) / 1000 between 0 and 1.5", {"latency"}),
        ('"http status" = 200', {"http status"}),
        ("coalesce(reason, '') is null", {"reason"}),
        ("true", set()),
    ],
)
def test_a_condition_knows_the_columns_it_reads(text: str, columns: set[str]) -> None:
    assert Predicate.parse(text).columns == columns


def test_the_text_is_kept_as_written_without_surrounding_space() -> None:
    predicate = Predicate.parse("  status<500 \n")

    assert predicate.text == str(predicate) == "status<500"
    assert predicate.sql() == "status < 500"


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("status in (select 1)", "SUBQUERY"),
        ("read_csv('/etc/passwd') is not null", "READCSV"),
        ("now() > opened_at", "ANONYMOUS"),
        ("status < 500; drop table events", "BLOCK"),
        ("status = $1", "PLACEHOLDER"),
        ("epoch(opened_at) > 0", "TIMETOUNIX"),
    ],
)
def test_anything_outside_the_subset_is_refused_by_name(text: str, node: str) -> None:
    error = refused(text)

    assert error.message == f"condition {text!r} uses {node}, which is not allowed here"
    assert "comparisons" in error.hint


@pytest.mark.parametrize("text", ["status", "1 + 2", "latency_ms / 1000"])
def test_a_value_is_not_a_condition(text: str) -> None:
    error = refused(text)

    assert error.message == f"{text!r} is a value, not a condition"
    assert error.hint == 'compare it, e.g. "status < 500"'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("status <", "'<' is missing a value on one side"),
        ("status <> 429 and", "'and' is missing a value on one side"),
        ("latency between 1 and", "'between … and …' is missing a value on one side"),
        ("'open", "an unclosed quote or an unknown character"),
    ],
)
def test_a_condition_that_does_not_parse_says_what_is_missing(text: str, reason: str) -> None:
    assert refused(text).message == f"condition {text!r} does not parse: {reason}"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_condition_is_refused(text: str) -> None:
    assert refused(text).message == "the condition is empty"


def test_a_comment_cannot_smuggle_sql_past_the_check() -> None:
    predicate = Predicate.parse("status < 500 -- */ OR true OR /*")

    with duckdb.connect() as con:
        con.execute("CREATE TABLE events (status INTEGER)")
        con.execute("INSERT INTO events VALUES (200), (503)")
        counted = exp.select("count(*)").from_("events").where(predicate.tree.copy())
        row = con.execute(counted.sql(dialect="duckdb")).fetchone()

    assert row == (1,)


def test_the_same_tree_is_written_for_other_engines() -> None:
    predicate = Predicate.parse("status::int < 500 and latency <> 0")

    assert predicate.sql("postgres") == "CAST(status AS INT) < 500 AND latency <> 0"


def test_two_conditions_are_equal_when_written_alike() -> None:
    assert Predicate.parse("status < 500") == Predicate.parse(" status < 500 ")
    assert Predicate.parse("status < 500") != Predicate.parse("status<500")
