"""A source's rows checked value by value, whatever reads them; the engine reads sources only
through the reader it is handed (``SourceReader``), never by opening files itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pytest
from sqlglot import exp

from accord.core.evaluation import SourceReport
from accord.core.model.measurement import Source
from accord.core.model.sources import SourceFormat
from accord.core.periods import parse_period
from accord.engine import sql
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.sources import (
    BadRowPolicy,
    RejectedRows,
    SourceReader,
    empty_source,
    load_rows,
    row_identity,
    stored_source,
)
from tests.engine.builders import agreement_of

COLUMNS = {
    "at": {"column": "ts", "type": "timestamp"},
    "id": {"column": "request_id", "type": "string"},
    "ok": {"column": "ok", "type": "boolean"},
    "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
}
SOURCE = {
    "id": "requests",
    "kind": "events",
    "format": "csv",
    "path": "requests.csv",
    "timestamp": "at",
    "key": "id",
    "columns": COLUMNS,
}
#: Rows as text, as a reader hands them over: (file, ts, request_id, ok, latency_ms).
ROWS = [
    ("a", "2026-10-05T10:00:00Z", "r1", "true", "700"),
    ("a", "2026-10-05T12:00:00+02:00", "r2", "false", "1100"),
    ("b", "2026-10-05T10:01:00", "r3", "true", "10"),  # no zone
    ("b", "2026-10-05T10:02:00Z", "r1", "true", "10"),  # r1 again, in a later file
    ("b", "2026-10-05T10:03:00Z", "r4", "maybe", "10"),  # not a boolean
]


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        yield connection


def relation(rows: Sequence[tuple[str, ...]]) -> exp.Query:
    """The rows as a relation with the source's physical columns and a ``filename``."""
    names = ["filename", "ts", "request_id", "ok", "latency_ms"]
    values = exp.values([tuple(sql.text(v) for v in row) for row in rows], "t", names)
    return exp.select("*").from_(values)


def source(**changes: object) -> Source:
    return Source.model_validate({**SOURCE, **changes})


def test_rows_from_any_relation_are_checked_and_the_good_ones_typed(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    report = load_rows(con, source(), relation(ROWS), BadRowPolicy.QUARANTINE, tmp_path)

    assert {issue.reason: issue.count for issue in report.issues} == {
        "at: timestamp without time zone": 1,
        "id: duplicate": 1,
        "ok: not boolean": 1,
    }
    assert (report.rows_read, report.rows_accepted, report.files) == (5, 2, [])
    ten = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    assert con.execute(
        'SELECT "at", "id", "ok", "latency" FROM "src_requests" ORDER BY "id"'
    ).fetchall() == [(ten, "r1", True, 0.7), (ten, "r2", False, 1.1)]
    assert (tmp_path / "requests.csv").read_text().count("\n") == 4  # header + 3 set aside


def test_rows_are_rejected_with_their_report_under_policy_reject(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(RejectedRows) as caught:
        load_rows(con, source(), relation(ROWS), BadRowPolicy.REJECT, None)

    assert caught.value.report.rows_rejected == 3
    assert "source 'requests': 3 bad row(s)" in str(caught.value)


def test_an_empty_source_has_its_typed_columns_and_no_rows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    report = empty_source(con, source())

    assert (report.source, report.rows_read, report.files) == ("requests", 0, [])
    described = con.execute('DESCRIBE SELECT * FROM "src_requests"').fetchall()
    assert [(row[0], row[1]) for row in described] == [
        ("at", "TIMESTAMP WITH TIME ZONE"),
        ("id", "VARCHAR"),
        ("ok", "BOOLEAN"),
        ("latency", "DOUBLE"),
    ]


def test_a_pushed_source_is_kept_typed_under_its_logical_names() -> None:
    stored = stored_source(source(format="push", path=None))

    assert stored.format is SourceFormat.PARQUET
    assert {name: c.column for name, c in stored.columns.items()} == {n: n for n in COLUMNS}
    assert stored.columns["latency"].unit == "s"


def test_a_status_change_is_identified_by_its_ticket_and_instant() -> None:
    assert row_identity(source()) == ["id"]
    assert row_identity(source(kind="status_changes")) == ["id", "at"]
    assert row_identity(source(key=None)) == []


class RowsReader:
    """A reader that holds its rows in memory: what the engine sees of a source is what the
    reader it is handed loads, with no file anywhere."""

    def __init__(self, rows: Sequence[tuple[str, ...]]) -> None:
        self.rows = rows
        self.asked: list[tuple[str, Path]] = []

    def find(self, source: Source, data_dir: Path) -> list[str]:
        self.asked.append((source.id, data_dir))
        return ["memory"]

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Source,
        files: Sequence[str],
        policy: BadRowPolicy,
        quarantine_dir: Path | None,
    ) -> SourceReport:
        report = load_rows(con, source, relation(self.rows), policy, quarantine_dir)
        report.files = list(files)
        return report


def test_the_engine_reads_sources_only_through_the_reader_it_is_handed(tmp_path: Path) -> None:
    agreement = agreement_of(
        {
            "sources": [SOURCE],
            "indicators": [
                {
                    "id": "success",
                    "name": "Successful requests",
                    "kind": "ratio",
                    "source": "requests",
                    "good": "ok = true",
                }
            ],
            "objectives": [
                {
                    "id": "success-monthly",
                    "name": "Success",
                    "indicator": "success",
                    "target": "50%",
                    "tolerance": "40%",
                    "window": "month",
                }
            ],
        }
    )
    reader: SourceReader = RowsReader(ROWS)
    period = parse_period("2026-10", agreement.timezone)
    absent = tmp_path / "no such folder"
    request = EvaluationRequest(absent, period, period.end_at, reader=reader)

    evaluation = evaluate(agreement, request)

    assert isinstance(reader, RowsReader)
    assert reader.asked == [("requests", absent)]
    [verdict] = evaluation.verdicts
    assert verdict.value == 0.5  # r1 good, r2 bad; the three bad rows set aside
    [report] = evaluation.sources
    assert (report.files, report.rows_accepted, report.rows_rejected) == (["memory"], 2, 3)
