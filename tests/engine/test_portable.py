"""One query definition, several engines: the compiled SQL of an objective runs on DuckDB and,
transpiled with SQLGlot, on PostgreSQL, with the same results."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from accord.core.periods import parse_period, windows_in_period
from accord.engine.queries import ObjectiveQuery, Restrictions, portable
from accord.services.agreements import load_valid

psycopg = pytest.importorskip("psycopg")

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
URL = os.environ.get("ACCORD_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    try:
        connection = psycopg.connect(URL, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {URL}: {exc}")
    schema = f"portable_{uuid.uuid4().hex[:10]}"
    connection.execute(f"CREATE SCHEMA {schema}")
    connection.execute(f"SET search_path TO {schema}")
    try:
        yield connection
    finally:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")
        connection.close()


def _events() -> list[tuple[dt.datetime, str, int, float, str]]:
    start = dt.datetime(2026, 9, 30, 20, tzinfo=dt.UTC)
    rows = []
    for i in range(600):
        at = start + dt.timedelta(minutes=77 * i)
        status = 503 if i % 37 == 0 else 429 if i % 41 == 0 else 200
        caused_by = "consumer" if i % 53 == 0 else "provider"
        rows.append(
            (at, ("eu-west", "us-east", "apac")[i % 3], status, (i * 7919) % 1500 / 1000, caused_by)
        )
    return rows


COLUMNS = (
    '"timestamp" TIMESTAMPTZ, region VARCHAR, status BIGINT, latency DOUBLE PRECISION, '
    "caused_by VARCHAR"
)


@pytest.mark.parametrize("objective_id", ["api-availability", "checkout-speed", "peak-latency"])
def test_the_compiled_query_gives_the_same_numbers_on_duckdb_and_postgresql(
    postgres: psycopg.Connection[tuple[object, ...]], objective_id: str
) -> None:
    agreement = load_valid(EXAMPLE).agreement
    assert agreement is not None
    objective = next(o for o in agreement.objectives if o.id == objective_id)
    indicator = next(i for i in agreement.indicators if i.id == objective.indicator)
    source = next(s for s in agreement.sources if s.id == indicator.source)
    query = ObjectiveQuery(
        objective,
        indicator,
        source,
        Restrictions(agreement.timezone, None, "coalesce((caused_by = 'consumer'), false)", ()),
    )
    span = windows_in_period(objective.window, parse_period("2026-10", agreement.timezone))[0]
    sql = query.sql(span)
    events = _events()

    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(
            f'CREATE TABLE "src_authorisations" ({COLUMNS.replace("DOUBLE PRECISION", "DOUBLE")})'
        )
        con.executemany('INSERT INTO "src_authorisations" VALUES (?, ?, ?, ?, ?)', events)
        expected = sorted(con.execute(sql).fetchall(), key=str)

    postgres.execute(f'CREATE TABLE "src_authorisations" ({COLUMNS})')
    with postgres.cursor() as cursor:
        cursor.executemany('INSERT INTO "src_authorisations" VALUES (%s, %s, %s, %s, %s)', events)
    actual = sorted(postgres.execute(portable(sql, "postgres")).fetchall(), key=str)

    assert len(actual) == len(expected) > 0
    for got, want in zip(actual, expected, strict=True):
        assert [_plain(v) for v in got] == [_plain(v) for v in want]


def _plain(value: object) -> object:
    if isinstance(value, (float, Decimal)):
        return round(float(value), 9)
    return value
