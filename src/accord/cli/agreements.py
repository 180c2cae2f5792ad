"""Commands on agreement files: validate, schema and the version in force."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from accord.cli.output import EXIT_INVALID, console, fail, print_problems
from accord.core.model import Agreement
from accord.core.versions import in_force as version_in_force
from accord.services.agreements import AgreementFileError, AgreementFiles
from accord.services.evaluation import VersionSeriesError

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
        loaded = AgreementFiles().load(path)
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


def in_force(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Versions of one agreement, oldest first; later ones declare metadata.effective."
        ),
    ],
    at: Annotated[
        dt.datetime,
        typer.Option(
            "--at",
            help="Instant (ISO 8601 with offset) or date (local midnight in the agreement's zone).",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d"],
        ),
    ],
) -> None:
    """Say which version of an agreement is in force at an instant."""
    try:
        versions = AgreementFiles().versions(files[0], files[1:])
    except AgreementFileError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except VersionSeriesError as exc:
        fail(str(exc))
    first = next(iter(versions.values()))
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(first.timezone))
    span = version_in_force(versions, at)
    agreement = versions[span]
    since = (
        "from the start"
        if span.effective_at == dt.datetime.min.replace(tzinfo=dt.UTC)
        else f"since {span.effective_at.isoformat()}"
    )
    console.print(
        f"{files[span.number - 1]}: {agreement.metadata.id} v{agreement.metadata.version} "
        f"is in force at {at.isoformat()} ({since})",
        markup=False,
    )


def schema() -> None:
    """Print the JSON Schema of the agreement language, for editors."""
    document = Agreement.model_json_schema(by_alias=True, mode="validation")
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "Accord agreement (accord/v1)"
    typer.echo(json.dumps(document, indent=2, sort_keys=True))


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(schema)
    app.command("in-force")(in_force)
