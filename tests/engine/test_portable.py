"""One query definition, several engines: the statements the engine runs for a batch of
objectives (every indicator kind, business-time clocks included) run on DuckDB and,
transpiled with SQLGlot, on PostgreSQL, with the same results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from accord.core.expressions import Predicate
from accord.core.model import Agreement
from accord.core.periods import parse_period, windows_in_period
from accord.engine.kinds import Setting, plan_of
from accord.engine.planner import Member, clock_statement, plan_batch
from accord.engine.rows import Interval, Restrictions, Rows
from accord.engine.sql import POSTGRES_PRELUDE, Statement, portable, render
from accord.services.agreements import AgreementFiles
from tests.engine.builders import agreement_of, batch_members, probes_agreement

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
    statements: list[Statement],
) -> None:
    """Every statement gives the same rows on DuckDB and, transpiled, on PostgreSQL."""
    assert statements
    placeholders = ", ".join(["?"] * len(rows[0]))
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f'CREATE TABLE "{table}" ({columns.replace("DOUBLE PRECISION", "DOUBLE")})')
        con.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', rows)
        expected = [sorted(con.execute(render(sql)).fetchall(), key=str) for sql in statements]

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
    agreement = AgreementFiles().load_valid(EXAMPLE).agreement
    assert agreement is not None
    objective = next(o for o in agreement.objectives if o.id == objective_id)
    indicator = next(i for i in agreement.indicators if i.id == objective.indicator)
    source = next(s for s in agreement.sources if s.id == indicator.source)
    consumer = Predicate.parse("caused_by = 'consumer'")
    rows = Rows(objective, indicator, source, Restrictions(agreement.timezone, None, (consumer,)))
    member = Member(rows, plan_of(indicator, Setting(agreement, source)))
    span = windows_in_period(objective.window, parse_period("2026-10", agreement.timezone))[0]
    statements = [s.query for s in plan_batch(span, [member]).statements]

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
    span, members = batch_members(model, (maintenance,))
    statements = [s.query for s in plan_batch(span, members).statements]

    _same_rows_on_both(postgres, "src_probes", PROBE_COLUMNS, _probes(), statements)


def _plain(value: object) -> object:
    if isinstance(value, (float, Decimal)):
        return round(float(value), 9)
    return value


RECORDS = {
    "id": "records",
    "kind": "tickets",
    "format": "csv",
    "path": "records.csv",
    "timestamp": "opened_at",
    "key": "record_id",
    "columns": {
        "record_id": {"column": "record_id", "type": "integer"},
        "opened_at": {"column": "opened_at", "type": "timestamp"},
        "closed_at": {"column": "closed_at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "resolved": {"column": "resolved", "type": "boolean"},
        "contacts": {"column": "contacts", "type": "integer"},
        "score": {"column": "score", "type": "integer"},
        "renewed": {"column": "renewed", "type": "number"},
        "due": {"column": "due", "type": "number"},
    },
}
RECORD_COLUMNS = (
    '"record_id" BIGINT, "opened_at" TIMESTAMPTZ, "closed_at" TIMESTAMPTZ, region VARCHAR, '
    "resolved BOOLEAN, contacts BIGINT, score BIGINT, renewed DOUBLE PRECISION, "
    "due DOUBLE PRECISION"
)
SPARSE_INDICATORS: dict[str, dict[str, object]] = {
    "repair": {"kind": "mean_time", "start": "opened_at", "end": "closed_at"},
    "repair-median": {
        "kind": "mean_time",
        "start": "opened_at",
        "end": "closed_at",
        "statistic": "median",
    },
    "fcr": {
        "kind": "first_contact_resolution",
        "contacts": "contacts",
        "resolved": "resolved = true",
    },
    "csat": {"kind": "survey_score", "score": "score", "method": "mean"},
    "satisfied": {
        "kind": "survey_score",
        "score": "score",
        "method": "share_satisfied",
        "satisfied_at_least": 4,
    },
    "nps": {
        "kind": "survey_score",
        "score": "score",
        "method": "nps",
        "scale_min": 0,
        "scale_max": 10,
    },
    "renewals": {
        "kind": "business_gauge",
        "numerator": "renewed",
        "denominator": "due",
        "better": "higher",
    },
    "answered-in-4h": {
        "kind": "business_duration",
        "start": "opened_at",
        "end": "closed_at",
        "calendar": "office",
        "statistic": "within",
        "threshold": "4 business hours",
    },
    "p90-response": {
        "kind": "business_duration",
        "start": "opened_at",
        "end": "closed_at",
        "calendar": "office",
        "statistic": "percentile",
        "percentile": 90,
    },
}
SPARSE_TARGETS = {
    "repair": ("4h", "8h"),
    "repair-median": ("4h", "8h"),
    "csat": ("4.2", "4"),
    "nps": ("30", "10"),
    "p90-response": ("8 business hours", "16 business hours"),
}


def _records() -> list[tuple[object, ...]]:
    start = dt.datetime(2026, 9, 29, 6, tzinfo=dt.UTC)
    rows: list[tuple[object, ...]] = []
    for i in range(400):
        opened = start + dt.timedelta(minutes=157 * i)
        # sub-second instants: durations are whole microseconds on both engines
        taken = dt.timedelta(minutes=(i * 37) % 900, microseconds=(i * 7919) % 1_000_000)
        closed = None if i % 17 == 0 else opened + taken
        score = None if i % 13 == 0 else i % 11
        rows.append(
            (i, opened, closed, ("eu", "us")[i % 2], i % 5 != 0, 1 + i % 3, score, i % 7, 6)
        )
    return rows


def _sparse_agreement(indicators: list[str]) -> Agreement:
    calendar = {"id": "office", "timezone": "Europe/Berlin", "hours": {"weekdays": "09:00-17:00"}}
    return agreement_of(
        {
            "calendars": [calendar],
            "sources": [RECORDS],
            "indicators": [
                {"id": name, "name": name, "source": "records", **SPARSE_INDICATORS[name]}
                for name in indicators
            ],
            "objectives": [
                {
                    "id": name,
                    "name": name,
                    "indicator": name,
                    "target": SPARSE_TARGETS.get(name, ("90%", "80%"))[0],
                    "tolerance": SPARSE_TARGETS.get(name, ("90%", "80%"))[1],
                    "window": "month",
                    "scope": ["region"],
                }
                for name in indicators
            ],
        }
    )


@pytest.mark.parametrize(
    "indicators",
    [
        ["repair", "repair-median", "fcr", "csat"],  # values that do not add up: per scope
        ["fcr", "satisfied", "nps", "renewals"],  # counts and sums: per local day
    ],
)
def test_every_other_kind_gives_the_same_numbers_on_duckdb_and_postgresql(
    postgres: psycopg.Connection[tuple[object, ...]], indicators: list[str]
) -> None:
    span, members = batch_members(_sparse_agreement(indicators))
    statements = [s.query for s in plan_batch(span, members).statements]

    _same_rows_on_both(postgres, "src_records", RECORD_COLUMNS, _records(), statements)


@pytest.mark.parametrize("indicator", ["answered-in-4h", "p90-response"])
def test_business_durations_give_the_same_numbers_on_duckdb_and_postgresql(
    postgres: psycopg.Connection[tuple[object, ...]], indicator: str
) -> None:
    model = _sparse_agreement([indicator])
    span, (member,) = batch_members(model)
    clock = member.plan.clock
    assert clock is not None
    schedule = f'"schedule_{indicator}"'
    columns = RECORD_COLUMNS.replace("DOUBLE PRECISION", "DOUBLE")
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f'CREATE TABLE "src_records" ({columns})')
        con.executemany(f'INSERT INTO "src_records" VALUES ({", ".join(["?"] * 9)})', _records())
        clock.prepare(con, span.end_at)
        schedule_rows = con.execute(f"SELECT * FROM {schedule}").fetchall()
        statement = clock_statement(span, member, span.end_at).query
        expected = sorted(con.execute(render(statement)).fetchall(), key=str)

    postgres.execute(POSTGRES_PRELUDE)
    postgres.execute(
        f"CREATE TABLE {schedule} (start_us BIGINT, end_us BIGINT, cum_before_us BIGINT)"
    )
    postgres.execute(f'CREATE TABLE "src_records" ({RECORD_COLUMNS})')
    with postgres.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {schedule} VALUES (%s, %s, %s)", schedule_rows)
        cursor.executemany(
            f'INSERT INTO "src_records" VALUES ({", ".join(["%s"] * 9)})', _records()
        )
    got = sorted(postgres.execute(portable(statement, "postgres")).fetchall(), key=str)

    assert len(got) == len(expected) == 2
    for row, wanted in zip(got, expected, strict=True):
        assert [_plain(v) for v in row] == [_plain(v) for v in wanted]
