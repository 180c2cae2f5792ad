"""``accord audit``: verify the hash chain (signatures, batch files, a checkpoint), anchor its
head in a signed checkpoint, and export the trail for an outside auditor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.output import EXIT_INVALID, console, err_console, fail
from accord.cli.runtime import open_services
from accord.services.permissions import Principal

__all__ = ["register"]

audit = typer.Typer(name="audit", help="Verify and export the audit trail.", no_args_is_help=True)
CONSOLE = Principal.console()


@audit.command()
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="A checkpoint of accord audit anchor: also find what was deleted or rewritten "
            "since it was written.",
        ),
    ] = None,
) -> None:
    """Check every entry of the trail, its signature and every batch file's digest; exit 1
    naming each entry or file that was tampered with."""
    anchored = _read_checkpoint(checkpoint) if checkpoint is not None else None
    with open_services() as services:
        check = services.audit.verify(CONSOLE, anchored)
    for finding in check.findings:
        err_console.print(f"[red]entry {finding.seq}[/red] {finding.kind}: {finding.message}")
    if not check.ok:
        raise typer.Exit(EXIT_INVALID)
    console.print(
        f"audit trail intact: {check.entries:,} entries; head {check.head_seq} "
        f"sha256 {check.head_hash}" + (f"; matches {checkpoint}" if checkpoint else ""),
        highlight=False,
    )


def _read_checkpoint(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{path} is not a checkpoint (JSON): {exc}")
    if not isinstance(document, dict):
        fail(f"{path} is not a checkpoint: expected a JSON object")
    return document


@audit.command()
def anchor(
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="A folder (the file is named checkpoint-<seq>-<instant>.json) or a file; "
            "keep it where the database's writers cannot reach.",
        ),
    ],
) -> None:
    """Write a checkpoint: the trail's head signed by the service's key."""
    with open_services() as services:
        try:
            if output.is_dir():
                written = services.audit.write_checkpoint(CONSOLE, output)
            else:
                checkpoint = services.audit.anchor(CONSOLE)
                output.write_text(json.dumps(checkpoint, indent=2) + "\n", encoding="utf-8")
                written = output
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"checkpoint written to {written}", highlight=False)


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
