"""Rows from outside checked like a file's and kept in the shape the engine reads pushed
batches from: the one place connectors turn a relation into stored rows."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import duckdb

from accord.core.evaluation import SourceIssue, SourceReport
from accord.core.model.sources import Source
from accord.engine.sources import BadRowPolicy, load_rows, source_table

__all__ = ["read_report", "write_checked"]


def write_checked(source: Source, rows: str, stem: Path) -> tuple[Path, SourceReport]:
    """Check ``rows`` (SQL for a relation with the source's physical columns, as text, and
    a ``filename``) value by value; keep the good ones as ``stem.parquet`` (logical names,
    typed, durations in seconds), the report as ``stem.json`` and the rows set aside, with
    their reason, in ``stem-quarantine/``. Both files appear whole or not at all."""
    target = stem.with_suffix(".parquet")
    partial = stem.with_suffix(".parquet.tmp")
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        report = load_rows(
            con,
            source,
            f"({rows})",
            BadRowPolicy.QUARANTINE,
            stem.with_name(f"{stem.name}-quarantine"),
        )
        con.execute(
            f"COPY (SELECT * FROM {source_table(source.id)}) TO "
            f"'{str(partial).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
        )
    data = asdict(report)
    data["issues"] = [asdict(issue) for issue in report.issues]
    summary = stem.with_suffix(".json")
    summary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, target)
    return target, report


def read_report(stem: Path) -> SourceReport | None:
    """The report kept beside ``stem.parquet``, if both are there."""
    summary = stem.with_suffix(".json")
    if not (stem.with_suffix(".parquet").exists() and summary.exists()):
        return None
    data = json.loads(summary.read_text(encoding="utf-8"))
    issues = data.pop("issues", [])
    report = SourceReport(**data)
    report.issues = [
        SourceIssue(item["reason"], item["count"], tuple(item["samples"])) for item in issues
    ]
    return report
