"""Rows from outside checked like a file's: good rows kept as Parquet with logical names and
types, bad ones set aside with their reason, the report kept beside them and read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from sqlglot import exp

from accord.connectors.checked import read_report, write_checked
from accord.core.model.sources import Source

SOURCE = Source.model_validate(
    {
        "id": "requests",
        "kind": "events",
        "format": "csv",
        "path": "requests.csv",
        "timestamp": "at",
        "columns": {
            "at": {"column": "time", "type": "timestamp"},
            "status": {"column": "code", "type": "integer"},
            "latency": {"column": "ms", "type": "duration", "unit": "ms"},
        },
    }
)


def rows(*values: tuple[str, str, str]) -> exp.Query:
    """A query of the source's physical columns as text, each row from one fetched page."""
    return exp.select("*").from_(
        exp.values(
            [(*row, "page-1") for row in values],
            alias="v",
            columns=["time", "code", "ms", "filename"],
        )
    )


def test_good_rows_are_kept_typed_and_bad_ones_set_aside_with_their_reason(
    tmp_path: Path,
) -> None:
    stem = tmp_path / "requests-2026-10"
    fetched = rows(
        ("2026-10-06T10:00:00Z", "200", "120"),
        ("2026-10-06T12:00:00+02:00", "503", "1500"),
        ("yesterday", "200", "80"),
        ("2026-10-06T10:01:00Z", "two hundred", "80"),
    )

    kept, report = write_checked(SOURCE, fetched, stem)

    assert kept == stem.with_suffix(".parquet")
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 2, 2)
    assert len(report.issues) == 2
    stored = duckdb.sql(f"SELECT * FROM read_parquet('{kept}') ORDER BY status").fetchall()
    assert [(row[1], row[2]) for row in stored] == [(200, 0.12), (503, 1.5)]
    assert stored[1][0] == dt.datetime(2026, 10, 6, 10, tzinfo=dt.UTC)
    assert report.quarantine_path is not None
    assert Path(report.quarantine_path).is_relative_to(tmp_path / "requests-2026-10-quarantine")
    assert not stem.with_suffix(".parquet.tmp").exists()


def test_the_report_is_read_back_as_it_was_written(tmp_path: Path) -> None:
    stem = tmp_path / "requests-2026-10"
    _, report = write_checked(SOURCE, rows(("soon", "200", "1")), stem)

    again = read_report(stem)

    assert again == report
    assert again is not None
    assert again.issues[0].samples == report.issues[0].samples


def test_without_both_files_there_is_no_report(tmp_path: Path) -> None:
    stem = tmp_path / "requests-2026-10"
    assert read_report(stem) is None

    write_checked(SOURCE, rows(("2026-10-06T10:00:00Z", "200", "1")), stem)
    stem.with_suffix(".parquet").unlink()

    assert read_report(stem) is None
