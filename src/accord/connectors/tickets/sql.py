"""Shared pieces of the SQL that reads ticket-system exports: text values, date-times
given a zone, JSON records and fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from accord.engine.sources import quote

__all__ = ["files_sql", "json_records", "literal", "local_time", "record_field", "text"]

#: How Jira writes date-times in CSV exports, by its default look-and-feel settings.
JIRA_CSV_FORMATS: Final = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%Y-%m-%d %H:%M")
#: How ServiceNow writes date-times (system format).
SERVICENOW_FORMATS: Final = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S")


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def files_sql(files: Sequence[str]) -> str:
    return "[" + ", ".join(literal(f) for f in files) + "]"


def text(sql: str) -> str:
    """A value as text, empty text as missing."""
    return f"NULLIF(CAST({sql} AS VARCHAR), '')"


def local_time(sql: str, zone: str, formats: Sequence[str]) -> str:
    """A date-time written without a zone, read in the given one and written with its
    offset; a value that fits none of the formats is passed on as written, so the source's
    checks report it with its reason."""
    listed = "[" + ", ".join(literal(f) for f in formats) + "]"
    parsed = f"timezone({literal(zone)}, try_strptime({text(sql)}, {listed}))"
    return f"coalesce(CAST({parsed} AS VARCHAR), {text(sql)})"


def json_records(files: Sequence[str], *keys: str) -> str:
    """One row per record of JSON files holding lists under any of the keys (exports and
    API pages name them differently), with the file's name."""
    columns = ", ".join(f"{literal(key)}: 'JSON[]'" for key in keys)
    listed = ", ".join(quote(key) for key in keys)
    return (
        f"(SELECT filename, unnest(coalesce({listed})) AS record FROM "
        f"read_json({files_sql(files)}, columns = {{{columns}}}, filename = true))"
    )


def record_field(path: str, record: str = "record") -> str:
    """A field of a JSON record by its dotted path (``fields.priority.name``), as text."""
    parts = ".".join(f'"{part}"' for part in path.split("."))
    return text(f"json_extract_string({record}, {literal('$.' + parts)})")
