"""Commands that exchange objectives with SRE tools: ``accord import openslo|sloth`` and
``accord export openslo``. Each prints what the other side cannot carry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import emit, err_console, fail, valid_agreement
from accord.connectors.openslo.documents import InterchangeError, Notes
from accord.connectors.openslo.exporter import export_openslo
from accord.connectors.openslo.importer import import_openslo
from accord.connectors.openslo.sloth import import_sloth

__all__ = ["register"]

importing = typer.Typer(
    name="import",
    help="Turn SLO files of other tools into an agreement skeleton.",
    no_args_is_help=True,
)
exporting = typer.Typer(
    name="export",
    help="Write an agreement's objectives in another tool's format.",
    no_args_is_help=True,
)

FilesArg = Annotated[
    list[Path], typer.Argument(help="Files to read (YAML, several documents each).")
]
OutputOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
]


def _write(text: str, notes: Notes, output: Path | None) -> None:
    """The result to stdout or a file; the notes to stderr, one per line."""
    for line in notes.lines:
        err_console.print(f"[yellow]note[/yellow]: {escape(line)}")
    emit(text, output, f"wrote {output} ({len(notes.lines)} note(s))")


@importing.command("openslo")
def openslo_in(files: FilesArg, output: OutputOpt = None) -> None:
    """OpenSLO v1 (SLO, SLI, Service, DataSource, AlertPolicy …) → an agreement skeleton."""
    try:
        text, notes = import_openslo(files, today=dt.datetime.now(dt.UTC).date())
    except InterchangeError as exc:
        fail(str(exc))
    _write(text, notes, output)


@importing.command("sloth")
def sloth_in(
    files: FilesArg,
    url: Annotated[
        str | None, typer.Option("--url", help="The Prometheus server the queries run on.")
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Sloth prometheus/v1 specs → an agreement skeleton."""
    try:
        text, notes = import_sloth(files, today=dt.datetime.now(dt.UTC).date(), url=url)
    except InterchangeError as exc:
        fail(str(exc))
    _write(text, notes, output)


@exporting.command("openslo")
def openslo_out(
    agreement: Annotated[Path, typer.Argument(help="Agreement file (YAML).")],
    output: OutputOpt = None,
) -> None:
    """An agreement's objectives → OpenSLO v1 (Service, DataSource, SLI and SLO objects)."""
    written = valid_agreement(agreement)
    text, notes = export_openslo(written)
    _write(text, notes, output)


def register(app: typer.Typer) -> None:
    app.add_typer(importing)
    app.add_typer(exporting)
