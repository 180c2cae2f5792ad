"""The evidence commands: export a verdict with its data as a bundle; verify a bundle anywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from accord.bootstrap import evidence_bundles
from accord.cli.evaluate import AgreementArg, AsOfOpt, DataOpt, PeriodOpt
from accord.cli.output import EXIT_INVALID, console, err_console, fail, print_problems
from accord.cli.runtime import load_settings
from accord.connectors.signing import Ed25519Signer, sign_file, verify_file
from accord.core.periods import PeriodError
from accord.services.agreements import AgreementFileError
from accord.services.evaluation import DataError, EvaluateCommand
from accord.services.evidence import (
    EvidenceError,
    ExportCommand,
    Exported,
    Selection,
)

__all__ = ["register"]

evidence_app = typer.Typer(
    name="evidence",
    help="Evidence bundles: a verdict with its agreement and data, recomputable anywhere.",
    no_args_is_help=True,
)


def _scope(items: list[str] | None) -> dict[str, str]:
    scope = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{item!r} is not of the form key=value", param_hint="--scope")
        scope[key] = value
    return scope


@evidence_app.command("export")
def export(
    agreement: AgreementArg,
    data: DataOpt,
    period: PeriodOpt,
    objective: Annotated[str, typer.Option("--objective", help="Objective id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The bundle to write (.zip).")],
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="Scope value, e.g. region=eu (repeatable).")
    ] = None,
    window: Annotated[
        str | None, typer.Option("--window", help="Window label, e.g. 2026-10.")
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Evaluate, then write the matching verdicts with the agreement and the rows they need."""
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=dt.UTC)
    command = ExportCommand(
        evaluation=EvaluateCommand(
            agreement=agreement,
            data_dir=data,
            period=period,
            now=dt.datetime.now(dt.UTC),
            as_of=as_of,
        ),
        selection=Selection(objective=objective, scope=_scope(scope), window=window),
        output=output,
    )
    try:
        with err_console.status("evaluating and writing the bundle"):
            exported = evidence_bundles().export(command)
    except AgreementFileError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except (EvidenceError, PeriodError, DataError) as exc:
        fail(str(exc))
    _print_exported(exported)
    _sign(exported.output)


def _sign(bundle: Path) -> None:
    """Sign the bundle with the service's key, when this machine holds it."""
    key = load_settings().signing_key_path
    if not key.is_file():
        return
    signer = Ed25519Signer.load_or_create(key)
    signed = sign_file(signer, bundle)
    console.print(f"signed: {escape(str(signed))} (key {signer.key_id})")


def _print_exported(exported: Exported) -> None:
    for verdict in exported.verdicts:
        console.print(f"{escape(_label(verdict))}: {_summary(verdict)}")
    rows = sum(item.rows for item in exported.sources)
    console.print(
        f"wrote {escape(str(exported.output))}: {len(exported.verdicts)} verdict(s), "
        f"{len(exported.files) + 1} files, {rows:,} rows of data"
    )
    for source, count in exported.set_aside.items():
        err_console.print(
            f"[yellow]note[/yellow]: source {escape(source)} had {count:,} bad row(s) set aside "
            "when evaluating; they did not count and are not in the bundle"
        )


@evidence_app.command("verify")
def verify(
    bundle: Annotated[Path, typer.Argument(help="Evidence bundle (.zip) to check.")],
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="The service's public key (PEM): also check the bundle's signature "
            "(<bundle>.sig).",
        ),
    ] = None,
) -> None:
    """Check a bundle's files and agreement version, then recompute its verdicts."""
    if public_key is not None:
        try:
            refused = verify_file(bundle, public_key.read_text(encoding="ascii"))
        except OSError as exc:
            fail(f"cannot read {public_key}: {exc.strerror}")
        if refused is not None:
            fail(f"{bundle}: {refused}")
        console.print(f"bundle {escape(str(bundle))}: signed by the service's key")
    try:
        verification = evidence_bundles().verify(bundle)
    except AgreementFileError as exc:
        print_problems(exc.problems)
        fail(f"{bundle}: the bundled agreement does not load")
    except EvidenceError as exc:
        fail(str(exc))
    if verification.tampered:
        _report_failure(bundle, "has been altered since it was exported", verification.tampered)
    if verification.problems or verification.differences:
        found = [*verification.problems, *map(str, verification.differences)]
        _report_failure(bundle, "does not recompute to its recorded verdicts", found)
    console.print(f"bundle {escape(str(bundle))}: every file matches its manifest")
    console.print(f"agreement {escape(verification.agreement)}: version hash matches")
    for verdict in verification.recomputed:
        console.print(
            f"{escape(_label(verdict))}: recomputed: {_summary(verdict)} — matches the bundle"
        )


def _report_failure(bundle: Path, what: str, found: list[str]) -> None:
    err_console.print(f"[red]bundle {escape(str(bundle))} {what}:[/red]")
    for line in found:
        err_console.print(f"  {escape(line)}")
    raise typer.Exit(EXIT_INVALID)


def _label(verdict: dict[str, Any]) -> str:
    scope = ", ".join(f"{k}={v}" for k, v in verdict["scope"].items()) or "all"
    return f"{verdict['objective']} [{scope}] {verdict['window']['label']}"


def _summary(verdict: dict[str, Any]) -> str:
    """``breach, 99.876% (44,299 good / 44,354 valid)``."""
    counts: dict[str, int] = verdict["counts"]
    if "good" in counts:
        shown = f"{counts['good']:,} good / {counts.get('valid', 0):,} valid"
    else:
        shown = f"{counts.get('valid', 0):,} valid"
    shown += "".join(
        f", {counts[name]:,} {name}" for name in ("open", "overdue") if counts.get(name)
    )
    return f"{verdict['outcome']}, {verdict['value_display']} ({shown})"


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
