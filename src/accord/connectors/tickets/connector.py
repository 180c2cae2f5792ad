"""Reading a ticket-export source: its files found in the data folder by table, turned
into rows by the system's preset, checked and kept like a pushed batch."""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import duckdb
from sqlglot import exp

from accord.connectors.checked import Fetched, write_checked
from accord.connectors.tickets import jira, servicenow, zendesk
from accord.core.model.sources import Source, SourceKind
from accord.core.model.ticket_exports import TicketExport, TicketSystem
from accord.engine.sources import DataError
from accord.engine.sql import call, render

__all__ = ["TicketExportConnector", "rows_sql"]

Tables = Mapping[str, Sequence[str]]
_PRESETS: Final[
    dict[TicketSystem, tuple[tuple[str, ...], Callable[..., exp.Select], Callable[..., exp.Select]]]
] = {
    TicketSystem.SERVICENOW: (
        servicenow.TABLES,
        servicenow.servicenow_tickets,
        servicenow.servicenow_status_changes,
    ),
    TicketSystem.ZENDESK: (
        zendesk.TABLES,
        zendesk.zendesk_tickets,
        zendesk.zendesk_status_changes,
    ),
}


def _files(source: Source, data_dir: Path, export: TicketExport) -> list[str]:
    assert source.path is not None
    pattern = data_dir / source.path
    if pattern.is_dir():
        pattern = pattern / f"*.{export.layout}"
    found = sorted(glob.glob(str(pattern)))
    if not found:
        raise DataError(f"source {source.id!r}: no {export.system} export files match {pattern}")
    return found


def _tables(source: Source, files: list[str], names: Sequence[str]) -> dict[str, list[str]]:
    """The export files of each table, by name: ``incident.csv``, ``incident-2.json``."""
    tables: dict[str, list[str]] = {name: [] for name in names}
    for file in files:
        stem = Path(file).stem.lower()
        table = max((n for n in names if stem.startswith(n)), key=len, default=None)
        if table is not None:
            tables[table].append(file)
    missing = [name for name, found in tables.items() if not found]
    if missing:
        raise DataError(
            f"source {source.id!r}: no export of {', '.join(missing)} among "
            f"{', '.join(Path(f).name for f in files)} (files are named by table)"
        )
    return tables


def rows_sql(source: Source, data_dir: Path) -> exp.Select:
    """The query of the source's rows, read from its export files by the system's preset."""
    export = source.export
    assert export is not None
    files = _files(source, data_dir, export)
    changes = source.kind is SourceKind.STATUS_CHANGES
    if export.system is TicketSystem.JIRA:
        return (jira.jira_status_changes if changes else jira.jira_tickets)(export, files)
    names, tickets, status = _PRESETS[export.system]
    needed = [n for n in names if n != ("ticket_metric_events" if changes else "ticket_audits")]
    if export.system is TicketSystem.SERVICENOW:
        needed = ["incident", "sys_audit"] if changes else ["incident", "task_sla"]
    return (status if changes else tickets)(export, _tables(source, files, needed))


@dataclass
class TicketExportConnector:
    """Reads ticket-export sources from the data folder; works in ``work_dir``."""

    data_dir: Path
    work_dir: Path

    def check(self, source: Source) -> str:
        """How many rows the export gives the source, or why it cannot be read."""
        assert source.export is not None
        sql = rows_sql(source, self.data_dir)
        try:
            with duckdb.connect() as con:
                con.execute("SET TimeZone = 'UTC'")
                counted = exp.select(call("count", exp.Star())).from_(sql.subquery())
                row = con.execute(render(counted)).fetchone()
        except duckdb.Error as exc:
            raise DataError(f"source {source.id!r}: cannot read the export: {exc}") from None
        count = int(row[0]) if row else 0
        return f"{count:,} rows from the {source.export.system} export under {source.path}"

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> Fetched:
        del start_at, end_at, now  # an export is read whole; windows pick its rows
        sql = rows_sql(source, self.data_dir)
        folder = self.work_dir / source.id
        folder.mkdir(parents=True, exist_ok=True)
        try:
            path, report = write_checked(source, sql, folder / _fingerprint(source, sql))
        except duckdb.Error as exc:
            raise DataError(f"source {source.id!r}: cannot read the export: {exc}") from None
        return Fetched(files=[path], report=report)


def _fingerprint(source: Source, sql: exp.Select) -> str:
    described = json.dumps([source.model_dump(mode="json"), render(sql)], sort_keys=True)
    return hashlib.sha256(described.encode()).hexdigest()[:16]
