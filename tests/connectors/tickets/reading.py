"""Run a preset's query on DuckDB (session zone UTC) and read its rows as dictionaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from accord.engine import sql

FILES = Path(__file__).parent / "files"


def rows(statement: exp.Select) -> list[dict[str, Any]]:
    """The rows of a preset's query, without the file name, sorted by key then time."""
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        cursor = con.execute(sql.render(statement))
        names = [column[0] for column in cursor.description or ()]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in found:
        row.pop("filename", None)
    return sorted(found, key=lambda row: (str(row["key"]), str(row.get("changed_at"))))


def by_key(statement: exp.Select) -> dict[str, dict[str, Any]]:
    return {str(row["key"]): row for row in rows(statement)}


def write_json(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)
