"""Reading data files: found by path, schema checked, bad rows counted, quarantined or
rejected, never dropped; typed Parquet read directly when its rows are proved good."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from accord.connectors.files import FileReader
from accord.core.evaluation import SourceReport
from accord.core.model.measurement import Source
from accord.engine.sources import BadRowPolicy, DataError

COLUMNS = {
    "at": {"column": "ts", "type": "timestamp"},
    "id": {"column": "request_id", "type": "string"},
    "status": {"column": "status", "type": "integer"},
    "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
}
HEADER = ["ts", "request_id", "status", "latency_ms"]
GOOD_ROWS = [
    ["2026-10-05T10:00:00Z", "r1", "200", "700"],
    ["2026-10-05T12:00:00+02:00", "r2", "503", "1100"],
]
BAD_ROWS = [
    ["2026-10-05T10:01:00Z", "r3", "oops", "10"],  # status: not integer
    ["2026-10-05T10:02:00", "r4", "200", "10"],  # no zone
    ["2026-10-05", "r5", "200", "10"],  # a date, whose '-05' is no offset
    ["", "r6", "200", "10"],  # no timestamp
    ["2026-10-05T10:03:00Z", "r1", "200", "10"],  # r1 again
    ["2026-10-05T10:04:00Z", "r7", "200", "fast"],  # latency: not duration
]
EXPECTED_ISSUES = {
    "at: missing": 1,
    "at: timestamp without time zone": 2,
    "id: duplicate": 1,
    "latency: not duration": 1,
    "status: not integer": 1,
}


def source(fmt: str = "csv", path: str | None = None, **changes: Any) -> Source:
    return Source.model_validate(
        {
            "id": "requests",
            "kind": "events",
            "format": fmt,
            "path": path or f"requests.{fmt}",
            "timestamp": "at",
            "key": "id",
            "columns": COLUMNS,
            **changes,
        }
    )


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        yield connection


def write_csv(folder: Path, rows: list[list[str]], header: list[str] = HEADER) -> None:
    with (folder / "requests.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def write_jsonl(folder: Path, rows: list[list[str]]) -> None:
    lines = [
        json.dumps({k: (v if v != "" else None) for k, v in zip(HEADER, row, strict=True)})
        for row in rows
    ]
    (folder / "requests.jsonl").write_text("\n".join(lines) + "\n")


def load_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    folder: Path,
    policy: BadRowPolicy,
    quarantine_dir: Path,
) -> SourceReport:
    reader = FileReader()
    return reader.load(con, source, reader.find(source, folder), policy, quarantine_dir)


def load(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    fmt: str = "csv",
    policy: BadRowPolicy = BadRowPolicy.QUARANTINE,
) -> SourceReport:
    return load_source(con, source(fmt), folder, policy, folder / "quarantine")


def loaded(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        'SELECT "at", "id", "status", "latency" FROM "src_requests" ORDER BY "id"'
    ).fetchall()


# -- files and columns ------------------------------------------------------------------


def test_a_missing_file_is_an_error_naming_the_path(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    with pytest.raises(DataError, match=r"no files match .*requests\.csv"):
        load(con, tmp_path)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_missing_column_is_an_error_naming_it_and_what_the_file_has(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    rows = [{"ts": "2026-10-05T10:00:00Z", "request_id": "r1", "status": 200}]
    if fmt == "csv":
        write_csv(tmp_path, [["2026-10-05T10:00:00Z", "r1", "200"]], HEADER[:3])
    elif fmt == "jsonl":
        (tmp_path / "requests.jsonl").write_text(json.dumps(rows[0]) + "\n")
    else:
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / "requests.parquet")

    with pytest.raises(DataError) as caught:
        load(con, tmp_path, fmt)
    assert "missing column(s) latency_ms (for latency)" in str(caught.value)
    assert "the files have request_id, status, ts" in str(caught.value)


def test_no_files_at_all_is_a_source_without_rows(con: duckdb.DuckDBPyConnection) -> None:
    """A pushed source before its first batch: its windows have no data."""
    report = FileReader().load(con, source("parquet"), [], BadRowPolicy.REJECT, None)

    assert (report.rows_read, report.files) == (0, [])
    assert loaded(con) == []


def test_a_glob_reads_every_file_it_matches_in_order(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    for day, row in enumerate(GOOD_ROWS, start=1):
        write_csv(tmp_path, [row])
        (tmp_path / "requests.csv").rename(tmp_path / f"requests-{day}.csv")
    (tmp_path / "other.csv").write_text("not,read\n")
    reader = FileReader()

    files = reader.find(source(path="requests-*.csv"), tmp_path)
    report = reader.load(con, source(), files, BadRowPolicy.REJECT, None)

    assert [Path(f).name for f in files] == ["requests-1.csv", "requests-2.csv"]
    assert (report.files, report.rows_accepted) == (files, 2)


def test_a_folder_is_read_with_every_file_under_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    for day, row in enumerate(GOOD_ROWS, start=1):
        folder = tmp_path / "requests" / f"day={day}"
        folder.mkdir(parents=True)
        write_csv(folder, [row])
    report = load_source(
        con, source(path="requests"), tmp_path, BadRowPolicy.REJECT, tmp_path / "quarantine"
    )

    assert len(report.files) == 2
    assert report.rows_accepted == 2


def test_malformed_json_lines_are_a_data_error_not_a_crash(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    write_jsonl(tmp_path, GOOD_ROWS)
    with (tmp_path / "requests.jsonl").open("a") as out:
        out.write("{not json\n")

    with pytest.raises(DataError, match="source 'requests': cannot read"):
        load(con, tmp_path, "jsonl")


# -- values -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_good_rows_are_typed_with_utc_timestamps_and_durations_in_seconds(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    (write_csv if fmt == "csv" else write_jsonl)(tmp_path, GOOD_ROWS)
    report = load(con, tmp_path, fmt, BadRowPolicy.REJECT)

    assert (report.rows_read, report.rows_accepted, report.issues) == (2, 2, [])
    ten = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    assert loaded(con) == [(ten, "r1", 200, 0.7), (ten, "r2", 503, 1.1)]
    assert (report.first_at, report.last_at) == (ten.isoformat(), ten.isoformat())


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_bad_rows_are_counted_per_reason_with_samples(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    (write_csv if fmt == "csv" else write_jsonl)(tmp_path, GOOD_ROWS + BAD_ROWS)
    report = load(con, tmp_path, fmt)

    assert {issue.reason: issue.count for issue in report.issues} == EXPECTED_ISSUES
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (8, 2, 6)
    samples = {issue.reason: issue.samples for issue in report.issues}
    assert any("oops" in sample for sample in samples["status: not integer"])
    assert any(
        "2026-10-05T10:02:00" in sample for sample in samples["at: timestamp without time zone"]
    )
    assert [row[1] for row in loaded(con)] == ["r1", "r2"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_bad_rows_are_quarantined_with_their_reason(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    (write_csv if fmt == "csv" else write_jsonl)(tmp_path, GOOD_ROWS + BAD_ROWS)
    report = load(con, tmp_path, fmt)

    quarantine = tmp_path / "quarantine" / "requests.csv"
    assert report.quarantine_path == str(quarantine)
    with quarantine.open(newline="") as kept:
        rows = list(csv.DictReader(kept))
    assert len(rows) == 6
    assert {"file", "reason", "raw_ts", "raw_request_id", "raw_status", "raw_latency_ms"} <= set(
        rows[0]
    )
    by_reason: dict[str, int] = {}
    for row in rows:
        by_reason[row["reason"]] = by_reason.get(row["reason"], 0) + 1
    assert by_reason == EXPECTED_ISSUES
    assert {row["raw_status"] for row in rows if row["reason"] == "status: not integer"} == {"oops"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_bad_rows_reject_the_run_when_the_policy_says_so(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    (write_csv if fmt == "csv" else write_jsonl)(tmp_path, GOOD_ROWS + BAD_ROWS)

    with pytest.raises(DataError) as caught:
        load(con, tmp_path, fmt, BadRowPolicy.REJECT)
    message = str(caught.value)
    assert "source 'requests': 6 bad row(s)" in message
    assert "at: timestamp without time zone (2 rows)" in message
    assert not (tmp_path / "quarantine").exists()


# -- Parquet ----------------------------------------------------------------------------

PARQUET_SCHEMA = pa.schema(
    [
        ("ts", pa.timestamp("us", tz="UTC")),
        ("request_id", pa.string()),
        ("status", pa.int64()),
        ("latency_ms", pa.int64()),
    ]
)


def parquet_rows(**changes: Any) -> list[dict[str, Any]]:
    ten = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    rows = [
        {"ts": ten, "request_id": "r1", "status": 200, "latency_ms": 700},
        {"ts": ten, "request_id": "r2", "status": 503, "latency_ms": 1100},
    ]
    return [{**row, **changes} for row in rows]


def write_parquet(folder: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "requests.parquet")


def checked_table_exists(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'checked_requests'"
    ).fetchone()
    return found is not None and found[0] > 0


def test_typed_parquet_takes_the_fast_path(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    write_parquet(tmp_path, parquet_rows(), PARQUET_SCHEMA)
    report = load(con, tmp_path, "parquet", BadRowPolicy.REJECT)

    assert not checked_table_exists(con)
    assert (report.rows_read, report.rows_accepted, report.issues) == (2, 2, [])
    ten = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    assert loaded(con) == [(ten, "r1", 200, 0.7), (ten, "r2", 503, 1.1)]


def test_parquet_with_naive_timestamps_is_checked_row_by_row(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    naive = PARQUET_SCHEMA.set(0, pa.field("ts", pa.timestamp("us")))
    rows = [{**row, "ts": row["ts"].replace(tzinfo=None)} for row in parquet_rows()]
    write_parquet(tmp_path, rows, naive)
    report = load(con, tmp_path, "parquet")

    assert checked_table_exists(con)
    assert {i.reason: i.count for i in report.issues} == {"at: timestamp without time zone": 2}
    assert report.rows_accepted == 0
    with pytest.raises(DataError, match="timestamp without time zone"):
        load(con, tmp_path, "parquet", BadRowPolicy.REJECT)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"ts": None}, "at: missing"), ({"request_id": "r1"}, "id: duplicate")],
)
def test_typed_parquet_with_bad_rows_is_not_let_through_the_fast_path(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, changes: dict[str, Any], reason: str
) -> None:
    rows = parquet_rows()
    rows[1].update(changes)
    write_parquet(tmp_path, rows, PARQUET_SCHEMA)
    report = load(con, tmp_path, "parquet")

    assert {i.reason: i.count for i in report.issues} == {reason: 1}
    assert (tmp_path / "quarantine" / "requests.csv").exists()
    with pytest.raises(DataError, match=reason):
        load(con, tmp_path, "parquet", BadRowPolicy.REJECT)


# -- names and paths are identifiers and literals, whatever they hold --------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_columns_and_folders_named_with_quotes_are_read_as_named(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    """A physical column called ``it's "status"`` and a folder called ``O'Brien's "data"``
    are read as written: no name or path can change what a statement does."""
    folder = tmp_path / """O'Brien's "data\""""
    folder.mkdir()
    awkward = """it's "status\""""
    header = ["ts", "request_id", awkward, "latency_ms"]
    rows = [dict(zip(header, row, strict=True)) for row in GOOD_ROWS]
    if fmt == "csv":
        write_csv(folder, GOOD_ROWS, header)
    elif fmt == "jsonl":
        lines = [json.dumps(row) for row in rows]
        (folder / "requests.jsonl").write_text("\n".join(lines) + "\n")
    else:
        pq.write_table(pa.Table.from_pylist(rows), folder / "requests.parquet")
    columns = {**COLUMNS, "status": {"column": awkward, "type": "integer"}}

    report = load_source(
        con, source(fmt, columns=columns), folder, BadRowPolicy.REJECT, folder / "quarantine"
    )

    assert (report.rows_read, report.rows_rejected) == (2, 0)
    assert [(row[1], row[2]) for row in loaded(con)] == [("r1", 200), ("r2", 503)]
