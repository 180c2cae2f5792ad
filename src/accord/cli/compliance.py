"""``accord compliance``: certifications per organisation and the findings per agreement,
from the operator's console (each change is audited with the actor ``console``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import (
    EXIT_INVALID,
    Format,
    FormatOpt,
    JsonAliasOpt,
    console,
    fail,
    format_of,
    print_problems,
)
from accord.cli.runtime import open_services
from accord.core.compliance.certifications import Certification
from accord.core.yaml_text import parse_yaml
from accord.services.compliance import DeclareDataHandling, RecordCertification, declaration_from
from accord.services.permissions import Principal

__all__ = ["register"]

compliance = typer.Typer(
    name="compliance",
    help="Certifications, data-handling declarations and the findings they raise.",
    no_args_is_help=True,
)
CONSOLE = Principal.console()
_DATE = ["%Y-%m-%d"]


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


@compliance.command("record-certification")
def record_certification(
    organisation: Annotated[str, typer.Argument(help="Organisation id.")],
    standard: Annotated[str, typer.Option("--standard", help="E.g. 'ISO/IEC 27001'.")],
    issuer: Annotated[str, typer.Option("--issuer", help="Certification body or auditor.")],
    scope: Annotated[str, typer.Option("--scope", help="What it covers.")],
    valid_from: Annotated[
        dt.datetime, typer.Option("--from", formats=_DATE, help="First day valid.")
    ],
    valid_until: Annotated[
        dt.datetime, typer.Option("--until", formats=_DATE, help="Last day valid.")
    ],
    document: Annotated[
        Path, typer.Option("--document", help="The certificate or report; its SHA-256 is kept.")
    ],
) -> None:
    """Record a certification or attestation report an organisation holds."""
    certificate = Certification(
        standard=standard,
        issuer=issuer,
        scope=scope,
        valid_from=valid_from.date(),
        valid_until=valid_until.date(),
        document_sha256=_sha256(document),
    )
    command = RecordCertification(organisation=organisation, certificate=certificate)
    with open_services() as services:
        view = services.compliance.record_certification(CONSOLE, command)
    console.print(
        f"recorded {escape(view.standard)} for {view.organisation} "
        f"({view.valid_from} to {view.valid_until}, {view.status}); "
        f"document sha256 {view.document_sha256}"
    )


@compliance.command("certifications")
def certifications(
    organisation: Annotated[str, typer.Argument(help="Organisation id.")],
    day: Annotated[
        dt.datetime | None, typer.Option("--day", formats=_DATE, help="Default: today.")
    ] = None,
) -> None:
    """List an organisation's certifications with their status."""
    with open_services() as services:
        views = services.compliance.certifications(
            CONSOLE, organisation, day=None if day is None else day.date()
        )
    table = Table("standard", "issuer", "scope", "from", "until", "status")
    for view in views:
        table.add_row(
            escape(view.standard),
            escape(view.issuer),
            escape(view.scope),
            str(view.valid_from),
            str(view.valid_until),
            view.status,
        )
    console.print(table)


@compliance.command("findings")
def findings(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    at: Annotated[
        dt.datetime | None,
        typer.Option(
            "--at",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"],
            help="Check as of this instant or day (UTC); default now.",
        ),
    ] = None,
    warn_days: Annotated[
        int, typer.Option("--warn-days", min=0, help="Warn this many days before expiry.")
    ] = 60,
    output: FormatOpt = Format.TABLE,
    as_json: JsonAliasOpt = False,
) -> None:
    """What the agreement's processor's records break (findings) or soon will (warnings)."""
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    with open_services() as services:
        report = services.compliance.findings(
            CONSOLE, agreement, at=at, warn_within=dt.timedelta(days=warn_days)
        )
    if format_of(output, as_json) is Format.JSON:
        typer.echo(json.dumps(asdict(report), default=str, indent=2))
        return
    console.print(
        f"{report.agreement} v{report.version} on {report.day}: processor "
        f"{report.processor or '(none declared)'}"
        + (f" ({report.organisation})" if report.organisation else "")
    )
    if not report.findings:
        console.print("no findings")
    for finding in report.findings:
        colour = "red" if finding.level == "finding" else "yellow"
        console.print(
            f"[{colour}]{finding.level}[/{colour}] {finding.kind}: {escape(finding.message)}"
        )


@compliance.command("declare")
def declare(
    organisation: Annotated[str, typer.Argument(help="Organisation id.")],
    file: Annotated[
        Path,
        typer.Argument(
            help="YAML or JSON: locations [{country, description}], subprocessors "
            "[{name, country, service}], encryption_at_rest, encryption_in_transit, access."
        ),
    ],
) -> None:
    """Record where and how an organisation handles data (replaces its previous declaration)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}")
    data, _, problems = parse_yaml(text, str(file))
    if problems:
        print_problems(problems)
        raise typer.Exit(EXIT_INVALID)
    with open_services() as services:
        command = DeclareDataHandling(organisation=organisation, declaration=declaration_from(data))
        view = services.compliance.declare_data_handling(CONSOLE, command)
    declared = view.declaration
    console.print(
        f"declared for {view.organisation}: {len(declared.locations)} locations, "
        f"{len(declared.subprocessors)} sub-processors"
    )


@compliance.command("register")
def register_of_information(
    agreement: Annotated[
        str | None, typer.Argument(help="Agreement id; default: every agreement.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """The DORA register of information (fields: docs/dora-register.md)."""
    with open_services() as services:
        document = services.register.export(CONSOLE, agreement, output_format)
    if output is None:
        typer.echo(document.content.decode(), nl=False)
        return
    try:
        output.write_bytes(document.content)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(compliance)
