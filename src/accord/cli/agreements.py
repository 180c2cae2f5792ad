"""Commands on agreement files: validate and schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import EXIT_INVALID, console, print_problems
from accord.core.model import Agreement
from accord.services.agreements import load_file

__all__ = ["register"]


def validate(
    files: Annotated[list[Path], typer.Argument(help="Agreement files to check.")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print problems as JSON lines on stdout.")
    ] = False,
) -> None:
    """Check agreements and report every problem at once, with file, line and column."""
    failed = 0
    for path in files:
        loaded = load_file(path)
        print_problems(loaded.problems, as_json=json_output)
        if not loaded.ok:
            failed += 1
        elif not json_output:
            assert loaded.agreement is not None
            console.print(
                f"[green]ok[/green] {path} ({loaded.agreement.metadata.id} "
                f"v{loaded.agreement.metadata.version}, "
                f"{len(loaded.agreement.objectives)} objectives)"
            )
    if failed:
        raise typer.Exit(EXIT_INVALID)


def schema() -> None:
    """Print the JSON Schema of the agreement language, for editors."""
    document = Agreement.model_json_schema(by_alias=True, mode="validation")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "Accord agreement (accord/v1)"
    typer.echo(json.dumps(document, indent=2, sort_keys=True))


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(schema)
