"""One query definition, several engines: the statements the engine runs for a batch of
objectives run on DuckDB and, transpiled with SQLGlot, on PostgreSQL, with the same results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from accord.core.periods import parse_period, windows_in_period
from accord.engine.passes import plan_batch, slices_sql
from accord.engine.queries import Interval, ObjectiveQuery, Restrictions, portable
from accord.services.agreements import load_valid
from tests.engine.builders import batch_queries, probes_agreement

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
pytestmark = pytest.mark.postgres


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


def _same_rows_on_both(
    postgres: psycopg.Connection[tuple[object, ...]],
    table: str,
    columns: str,
    rows: list[tuple[object, ...]],
    statements: list[str],
) -> None:
    """Every statement gives the same rows on DuckDB and, transpiled, on PostgreSQL."""
    assert statements
    placeholders = ", ".join(["?"] * len(rows[0]))
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f'CREATE TABLE "{table}" ({columns.replace("DOUBLE PRECISION", "DOUBLE")})')
        con.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', rows)
        expected = [sorted(con.execute(sql).fetchall(), key=str) for sql in statements]

    postgres.execute(f'CREATE TABLE "{table}" ({columns})')
    with postgres.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO "{table}" VALUES ({placeholders.replace("?", "%s")})', rows
        )
    for sql, want in zip(statements, expected, strict=True):
        got = sorted(postgres.execute(portable(sql, "postgres")).fetchall(), key=str)
        assert len(got) == len(want) > 0, sql
        for row, wanted in zip(got, want, strict=True):
            assert [_plain(v) for v in row] == [_plain(v) for v in wanted], sql


@pytest.mark.parametrize("objective_id", ["api-availability", "checkout-speed", "peak-latency"])
def test_an_example_objective_gives_the_same_numbers_on_duckdb_and_postgresql(
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
    statements = list(plan_batch(span, [query]).statements)

    _same_rows_on_both(postgres, "src_authorisations", COLUMNS, _events(), statements)


PROBE_COLUMNS = '"at" TIMESTAMPTZ, region VARCHAR, ok BOOLEAN, latency DOUBLE PRECISION'


def _probes() -> list[tuple[object, ...]]:
    """Probes around October 2026 in Berlin (clocks go back on the 25th), a few a minute
    apart so that slices hold several."""
    start = dt.datetime(2026, 9, 30, 21, tzinfo=dt.UTC)
    rows: list[tuple[object, ...]] = []
    for i in range(900):
        at = start + dt.timedelta(seconds=2999 * i + (i % 4) * 20)
        latency = None if i % 29 == 0 else (i * 7919) % 2000 / 1000
        rows.append((at, ("eu", "us", "ap")[i % 3], i % 11 != 0, latency))
    return rows


@pytest.mark.parametrize(
    ("objectives", "during"),
    [
        (["answered", "fast"], None),  # counts per local day
        (["answered", "p90", "uptime"], None),  # shared slices and a per-scope statement
        (["answered", "uptime-7m"], None),  # slices apart: they straddle midnight
        (["answered", "uptime"], "office"),  # a peak period: slices apart, peak rows
    ],
)
def test_the_statements_of_a_batch_give_the_same_numbers_on_duckdb_and_postgresql(
    postgres: psycopg.Connection[tuple[object, ...]], objectives: list[str], during: str | None
) -> None:
    extra = {"during": during} if during else {}
    model = probes_agreement(objectives, **extra)
    maintenance = Interval(
        "maintenance",
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 2, 10, tzinfo=dt.UTC),
        (("region", "eu"),),
    )
    span, queries = batch_queries(model, (maintenance,))
    plan = plan_batch(span, queries)
    statements = [*plan.statements, *(slices_sql(span, i, queries[i]) for i in plan.apart)]

    _same_rows_on_both(postgres, "src_probes", PROBE_COLUMNS, _probes(), statements)


def _plain(value: object) -> object:
    if isinstance(value, (float, Decimal)):
        return round(float(value), 9)
    return value
