"""accord.demo.writer: generated rows written exactly as a source declares them: its files
(one per month, one per local day, or one), its physical column names and types, text
timestamps in UTC with a Z, durations in the declared unit, and malformed rows last."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from accord.core.model.measurement import Source
from accord.demo.base import SampleDataError, SampleOptions, span_of
from accord.demo.sql import install, table_from_rows
from accord.demo.writer import SourceRows, partitions, write_source
from tests.demo.conftest import example

UTC = dt.UTC
#: September and October 2026 in Berlin: October has 31 days and one hour.
SPAN = span_of(SampleOptions(months=2, end="2026-10"), "Europe/Berlin")
COLUMNS = {
    "timestamp": {"column": "occurred_at", "type": "timestamp"},
    "region": {"column": "region_code", "type": "string"},
    "status": {"column": "http_status", "type": "integer"},
    "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
    "ok": {"column": "ok", "type": "boolean"},
}
#: (instant, region, status, latency in seconds, ok, order): the first row is 23:59:59 on
#: 30 September in Berlin, the second 00:30 on 1 October.
ROWS = [
    (dt.datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC), "eu", 200, 0.25, True, 2),
    (dt.datetime(2026, 9, 30, 22, 30, tzinfo=UTC), "us", 503, 1.5, False, 1),
    (dt.datetime(2026, 10, 25, 22, 30, tzinfo=UTC), "eu", 200, 0.0125, True, 4),
    (dt.datetime(2026, 10, 25, 22, 30, tzinfo=UTC), "eu", 200, 0.0305, True, 3),
]


def _source(path: str, format: str = "csv", **more: Any) -> Source:
    fields = {"id": "requests", "kind": "events", "format": format, "path": path}
    return Source.model_validate({**fields, "columns": COLUMNS, **more})


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as session:
        install(session, 1, SPAN)
        table_from_rows(
            session,
            "sd_requests",
            (
                "timestamp TIMESTAMPTZ",
                "region VARCHAR",
                "status INTEGER",
                "latency DOUBLE",
                "ok BOOLEAN",
                "__order BIGINT",
            ),
            ROWS,
        )
        yield session


def _write(
    con: duckdb.DuckDBPyConnection, source: Source, out: Path, rows: SourceRows | None = None
) -> dict[str, int]:
    written = write_source(con, source, rows or SourceRows("requests", "sd_requests"), SPAN, out)
    return {path.relative_to(out).as_posix(): count for path, count in written}


def test_a_glob_becomes_a_file_per_month_cut_at_local_midnight(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert _write(con, _source("api/*.csv"), tmp_path) == {
        "api/2026-09.csv": 1,
        "api/2026-10.csv": 3,
    }
    september = (tmp_path / "api" / "2026-09.csv").read_text().splitlines()
    assert september == [
        "occurred_at,region_code,http_status,latency_ms,ok",
        "2026-09-30T21:59:59Z,eu,200,250.0,true",
    ]


def test_text_rows_are_in_time_order_then_generation_order_with_durations_in_their_unit(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _write(con, _source("api/*.csv"), tmp_path)
    october = (tmp_path / "api" / "2026-10.csv").read_text().splitlines()[1:]
    assert october == [
        "2026-09-30T22:30:00Z,us,503,1500.0,false",
        "2026-10-25T22:30:00Z,eu,200,30.5,true",
        "2026-10-25T22:30:00Z,eu,200,12.5,true",
    ]
    for line in october:
        assert dt.datetime.fromisoformat(line.split(",")[0]).tzinfo is not None


def test_json_lines_carry_the_physical_names_and_types(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _write(con, _source("api/events.jsonl", "jsonl"), tmp_path)
    lines = (tmp_path / "api" / "events.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines[:1]] == [
        {
            "occurred_at": "2026-09-30T21:59:59Z",
            "region_code": "eu",
            "http_status": 200,
            "latency_ms": 250.0,
            "ok": True,
        }
    ]
    assert len(lines) == 4


def test_parquet_keeps_instants_and_types(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    assert _write(con, _source("api/requests.parquet", "parquet"), tmp_path) == {
        "api/requests.parquet": 4
    }
    target = tmp_path / "api" / "requests.parquet"
    described = con.execute(f"DESCRIBE SELECT * FROM '{target}'").fetchall()
    assert {str(row[0]): str(row[1]) for row in described} == {
        "occurred_at": "TIMESTAMP WITH TIME ZONE",
        "region_code": "VARCHAR",
        "http_status": "BIGINT",
        "latency_ms": "DOUBLE",
        "ok": "BOOLEAN",
    }
    first = con.execute(f"SELECT occurred_at, latency_ms FROM '{target}' LIMIT 1").fetchone()
    assert first == (dt.datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC), 250.0)


def test_a_partition_folder_gets_a_folder_per_local_day_with_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    source = _source("api/date=*/*.parquet", "parquet")
    days = partitions(source, SPAN)
    assert len(days) == 30 + 31
    # 25 October, the day summer time ends, has 25 hours.
    (autumn,) = [d for d in days if d.path.parent.name == "date=2026-10-25"]
    assert autumn.start_at is not None
    assert autumn.end_at is not None
    assert autumn.end_at - autumn.start_at == dt.timedelta(hours=25)
    # 22:30 UTC on 25 October is 23:30 in Berlin: still the 25th.
    assert _write(con, source, tmp_path) == {
        "api/date=2026-09-30/part-0.parquet": 1,
        "api/date=2026-10-01/part-0.parquet": 1,
        "api/date=2026-10-25/part-0.parquet": 2,
    }


def test_a_glob_becomes_a_file_per_month_and_a_partition_folder_one_per_day() -> None:
    logistics = example("logistics-carrier")
    span = span_of(SampleOptions(months=1), logistics.timezone)
    by_id = {s.id: s for s in logistics.sources}
    assert [str(p.path) for p in partitions(by_id["scans"], span)] == [
        "logistics/scans/2026-10.jsonl"
    ]
    days = partitions(by_id["parcels"], span)
    assert len(days) == 31
    assert str(days[0].path) == "logistics/parcels/date=2026-10-01/part-0.parquet"
    assert [str(p.path) for p in partitions(by_id["claims"], span)] == ["logistics/claims.csv"]


def test_a_folder_without_a_glob_gets_a_file_per_month_in_its_format() -> None:
    assert [str(p.path) for p in partitions(_source("api/requests", "jsonl"), SPAN)] == [
        "api/requests/2026-09.jsonl",
        "api/requests/2026-10.jsonl",
    ]


@pytest.mark.parametrize("path", ["api/**/*.csv", "api/2026-1?.csv", "api/[ab].csv"])
def test_a_path_that_names_no_file_to_write_is_refused(path: str) -> None:
    with pytest.raises(SampleDataError, match="cannot write to the pattern"):
        partitions(_source(path), SPAN)


def test_months_without_rows_get_no_file_but_a_source_gets_one(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    con.execute("DELETE FROM sd_requests WHERE timestamp < TIMESTAMPTZ '2026-09-30 22:00Z'")
    assert _write(con, _source("api/*.csv"), tmp_path / "some") == {"api/2026-10.csv": 3}
    con.execute("DELETE FROM sd_requests")
    assert _write(con, _source("api/*.csv"), tmp_path / "none") == {"api/2026-10.csv": 0}
    header = (tmp_path / "none" / "api" / "2026-10.csv").read_text().splitlines()
    assert header == ["occurred_at,region_code,http_status,latency_ms,ok"]


def test_bad_rows_go_last_in_the_last_file_as_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    bad = ({"timestamp": "2026-10-14 18:22:05", "status": "two hundred"}, {"region": "eu"})
    rows = SourceRows("requests", "sd_requests", bad)
    assert _write(con, _source("api/*.csv"), tmp_path, rows) == {
        "api/2026-09.csv": 1,
        "api/2026-10.csv": 5,
    }
    lines = (tmp_path / "api" / "2026-10.csv").read_text().splitlines()
    assert lines[-2:] == ["2026-10-14 18:22:05,,two hundred,,", ",eu,,,"]
    assert lines[1].startswith("2026-09-30T22:30:00Z,")


def test_a_generator_that_lacks_a_column_is_refused_before_any_file_is_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    con.execute("ALTER TABLE sd_requests DROP COLUMN ok")
    with pytest.raises(SampleDataError, match="'requests': the generator lacks ok"):
        _write(con, _source("api/*.csv"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bad_rows_in_parquet_are_refused_before_any_file_is_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = SourceRows("requests", "sd_requests", ({"status": "two hundred"},))
    with pytest.raises(SampleDataError, match="bad rows need a CSV or JSON lines source"):
        _write(con, _source("api/*.parquet", "parquet"), tmp_path, rows)
    assert list(tmp_path.iterdir()) == []
