"""``accord records``: the rows of an agreement's recorded source (the incidents or
obligations the service keeps), exported as CSV or JSON lines, so that ``accord evaluate
--records SOURCE=FILE`` judges them from files as the service does from its store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import emit, fail
from accord.cli.runtime import open_services
from accord.services.permissions import Principal
from accord.services.recorded import Exported

__all__ = ["register"]

CONSOLE = Principal.console()


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value


def _csv(found: Exported) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(found.columns)
    for row in found.rows:
        writer.writerow(["" if value is None else _cell(value) for value in row])
    return out.getvalue()


def _jsonl(found: Exported) -> str:
    lines = (
        json.dumps({name: _cell(value) for name, value in zip(found.columns, row, strict=True)})
        for row in found.rows
    )
    return "".join(f"{line}\n" for line in lines)


def records(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    source: Annotated[str, typer.Argument(help="A recorded source of the agreement.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write here (.csv, or .jsonl for JSON lines)."),
    ] = None,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            help="Obligations in their state as of this instant (default now).",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d"],
        ),
    ] = None,
) -> None:
    """Export a recorded source's rows, every recorded column under its own name."""
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=dt.UTC)
    if output is not None and output.suffix.lower() not in (".csv", ".jsonl"):
        fail(f"{output}: write records to a .csv or .jsonl file")
    with open_services() as services:
        found = services.recorded.export(CONSOLE, agreement, source, as_of)
    as_lines = output is not None and output.suffix.lower() == ".jsonl"
    text = _jsonl(found) if as_lines else _csv(found)
    emit(text, output, f"wrote {len(found.rows)} {found.kind} of {source} to {output}")


def register(app: typer.Typer) -> None:
    app.command()(records)
