"""``accord audit``: verify the hash chain, and export the trail for an outside auditor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import EXIT_INVALID, console, err_console, fail
from accord.cli.runtime import open_services
from accord.services.permissions import Principal

__all__ = ["register"]

audit = typer.Typer(name="audit", help="Verify and export the audit trail.", no_args_is_help=True)
CONSOLE = Principal.console()


@audit.command()
def verify() -> None:
    """Check every entry of the trail; exit 1 naming each entry that was tampered with."""
    with open_services() as services:
        check = services.audit.verify(CONSOLE)
    for finding in check.findings:
        err_console.print(f"[red]entry {finding.seq}[/red] {finding.kind}: {finding.message}")
    if not check.ok:
        raise typer.Exit(EXIT_INVALID)
    console.print(
        f"audit trail intact: {check.entries:,} entries; head {check.head_seq} "
        f"sha256 {check.head_hash}",
        highlight=False,
    )


@audit.command()
def export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Write every entry as JSON lines (with its hash and the previous entry's hash)."""
    with open_services() as services:
        lines = (
            json.dumps(entry, ensure_ascii=False) + "\n" for entry in services.audit.export(CONSOLE)
        )
        if output is None:
            for line in lines:
                typer.echo(line, nl=False)
            return
        try:
            with output.open("w", encoding="utf-8") as out:
                count = sum(1 for line in lines if out.write(line) >= 0)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"wrote {count:,} audit entries to {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit)
