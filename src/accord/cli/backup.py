"""``accord backup`` and ``accord restore``: the embedded store (database and data files) in
one archive, restored into an empty data directory and verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import console, fail
from accord.cli.runtime import load_settings, open_services
from accord.services import backup as archive
from accord.services.errors import ServiceError
from accord.services.permissions import Principal
from accord.settings import sqlite_url

__all__ = ["register"]


def backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="The archive to write (.tar.gz).")],
) -> None:
    """Back up the embedded store while it runs: a consistent copy of the database, the batch
    and quarantine files, and a manifest of their SHA-256 (not the signing key: keep it apart)."""
    with open_services() as services:
        context = services.context
        try:
            report = archive.backup(context.engine, context.data_dir, output, context.clock.now())
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}")
    console.print(
        f"backed up {report.files} file(s), {report.bytes:,} bytes, to {report.archive}",
        highlight=False,
    )


def restore(
    source: Annotated[Path, typer.Argument(help="An archive of accord backup.")],
) -> None:
    """Restore a backup into the configured data directory (it must hold no database), then
    verify the audit trail and every batch file."""
    settings = load_settings()
    if settings.database_url != sqlite_url(settings.data_dir):
        fail("accord restore fills the embedded store; restore PostgreSQL with pg_restore")
    try:
        count = archive.restore(source, settings.data_dir)
    except ServiceError as exc:
        fail(exc.message)
    console.print(f"restored {count} file(s) into {settings.data_dir}", highlight=False)
    with open_services() as services:
        check = services.audit.verify(Principal.console())
    if not check.ok:
        for finding in check.findings:
            console.print(f"entry {finding.seq} {finding.kind}: {finding.message}")
        fail("the restored audit trail does not verify")
    console.print(f"audit trail intact: {check.entries:,} entries", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
