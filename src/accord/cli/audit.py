"""``accord audit``: verify the hash chain (signatures, batch files, a checkpoint), anchor its
head in a signed checkpoint, and export the trail for an outside auditor."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.output import EXIT_INVALID, console, err_console, fail
from accord.cli.runtime import open_services
from accord.connectors.signing import key_id, verify_signature
from accord.services.ingestion import BatchReceipt, signed_content
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


@audit.command("verify-receipt")
def verify_receipt(
    receipt: Annotated[Path, typer.Argument(help="A push receipt (the JSON the API answered).")],
    public_key: Annotated[
        Path, typer.Option("--public-key", help="The service's public key (PEM).")
    ],
) -> None:
    """Check a push receipt's signature with the service's public key alone (no database)."""
    document = _read_checkpoint(receipt)
    try:
        parsed = BatchReceipt(
            **{key: document[key] for key in _RECEIPT_FIELDS},
            status=str(document.get("status", "")),
            received_at=dt.datetime.fromisoformat(str(document["received_at"])),
            issues=[],
        )
        key_text = public_key.read_text(encoding="ascii")
    except (KeyError, TypeError, ValueError) as exc:
        fail(f"{receipt} is not a push receipt: {exc}")
    except OSError as exc:
        fail(f"cannot read {public_key}: {exc.strerror}")
    signature = str(document.get("signature") or "")
    if not verify_signature(key_text, signed_content(parsed), signature):
        fail(f"{receipt}: the signature is not the service key's; the receipt was altered")
    console.print(
        f"receipt for batch {parsed.batch_id!r} of {parsed.agreement}/{parsed.source} is "
        f"signed by key {key_id(key_text)}: {parsed.accepted} accepted, digest {parsed.digest}",
        highlight=False,
    )


_RECEIPT_FIELDS = (
    "agreement",
    "source",
    "batch_id",
    "received",
    "accepted",
    "duplicates",
    "rejected",
    "digest",
)


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
