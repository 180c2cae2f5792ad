"""``accord connectors check``: can each source that a connector reads be read?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import EXIT_INVALID, console, err_console, valid_agreement
from accord.connectors.registry import connectors_for
from accord.core.model.sources import SourceFormat
from accord.services.evaluation import DataError

__all__ = ["register"]

connectors = typer.Typer(
    name="connectors", help="Check the sources that connectors read.", no_args_is_help=True
)
_OUTSIDE = (SourceFormat.PROMETHEUS, SourceFormat.EXPORT)


@connectors.command("check")
def check(
    agreement: Annotated[Path, typer.Argument(help="Agreement file (YAML).")],
    data: Annotated[
        Path, typer.Option("--data", help="Directory the sources' paths are under.")
    ] = Path(),
) -> None:
    """Ask every Prometheus server and read every ticket export the agreement names; exit 1
    when one cannot be read, saying why."""
    written = valid_agreement(agreement)
    readers = connectors_for(data, data / ".accord-cache")
    failed = False
    for source in (s for s in written.sources if s.format in _OUTSIDE):
        try:
            console.print(f"[green]ok[/green] {escape(source.id)}: {escape(readers.check(source))}")
        except DataError as exc:
            failed = True
            err_console.print(f"[red]failed[/red] {escape(source.id)}: {escape(str(exc))}")
    if failed:
        raise typer.Exit(EXIT_INVALID)


def register(app: typer.Typer) -> None:
    app.add_typer(connectors)
