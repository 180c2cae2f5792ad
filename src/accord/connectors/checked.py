"""Rows from outside checked like a file's and kept in the shape the engine reads pushed
batches from: the one place connectors turn a relation into stored rows, and what a
connector hands the services (``Fetched``): those rows' files and what checking them found."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
from sqlglot import exp

from accord.core.declared import DeclaredIncident
from accord.core.evaluation import SourceIssue, SourceReport
from accord.core.model.sources import Source
from accord.engine.rows import source_table
from accord.engine.sources import BadRowPolicy, load_rows
from accord.engine.sql import copy_to, render

__all__ = ["Fetched", "read_report", "write_checked"]


@dataclass
class Fetched:
    """A source's rows: Parquet files in the shape pushed batches are kept in, and the
    report of reading them (rows read, accepted, set aside with their reasons)."""

    files: list[Path] = field(default_factory=list)
    report: SourceReport | None = None
    #: Incidents a partner's status feed declares (status-feed sources only).
    declared: list[DeclaredIncident] = field(default_factory=list)


def write_checked(source: Source, rows: exp.Query, stem: Path) -> tuple[Path, SourceReport]:
    """Check ``rows`` (a query of the source's physical columns, as text, and a
    ``filename``) value by value; keep the good ones as ``stem.parquet`` (logical names,
    typed, durations in seconds), the report as ``stem.json`` and the rows set aside, with
    their reason, in ``stem-quarantine/``. Both files appear whole or not at all."""
    target = stem.with_suffix(".parquet")
    partial = stem.with_suffix(".parquet.tmp")
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        report = load_rows(
            con,
            source,
            rows,
            BadRowPolicy.QUARANTINE,
            stem.with_name(f"{stem.name}-quarantine"),
        )
        everything = exp.select("*").from_(source_table(source.id))
        con.execute(render(copy_to(everything, partial, format=exp.var("parquet"))))
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
