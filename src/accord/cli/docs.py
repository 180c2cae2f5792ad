"""Commands that write Accord's own documentation: ``accord docs language``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import console, fail
from accord.reports.language_doc import language_reference

__all__ = ["register"]

docs_app = typer.Typer(
    name="docs",
    help="Write Accord's documentation, generated from the code.",
    no_args_is_help=True,
)


@docs_app.command()
def language(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """The reference of the agreement language (docs/language.md), generated from the model."""
    text = language_reference()
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app)
