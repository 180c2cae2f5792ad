"""``accord diff``: what changed between two versions of an agreement, in plain language."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Final

import typer
from rich.markup import escape

from accord.cli.output import EXIT_INVALID, console, print_problems
from accord.core.diff import AgreementDiff, Category, Change, Effect, diff_agreements
from accord.core.model import Agreement
from accord.services.agreements import AgreementFiles

__all__ = ["EXIT_DIFFERENT", "register"]

#: Exit code of ``--exit-code`` when the versions differ (1 and 2 mean invalid input, usage).
EXIT_DIFFERENT: Final = 3


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


_TITLES: Final = {
    Category.METADATA: "Metadata",
    Category.PARTIES: "Parties",
    Category.TERM: "Term",
    Category.NOTICE: "Notice periods",
    Category.JOURNEY: "Customer journey",
    Category.CALENDAR: "Calendars and time",
    Category.SOURCE: "Data sources",
    Category.INDICATOR: "Indicators",
    Category.OBJECTIVE: "Objectives",
    Category.TOLERANCE: "Tolerance bands",
    Category.EXCLUSION: "Exclusions",
    Category.CREDIT: "Service credits",
    Category.REMEDY: "Remedies",
    Category.RESPONSIBILITY: "Responsibilities",
    Category.ESCALATION: "Escalation",
    Category.INCIDENT: "Incidents",
    Category.GOVERNANCE: "Governance",
    Category.DATA_HANDLING: "Data handling",
    Category.CHANGE_MANAGEMENT: "Change management",
    Category.DISPUTE: "Disputes",
    Category.SUPPORT: "Support",
    Category.COMMITMENT: "Commitments",
    Category.OTHER: "Other",
}

_STYLES: Final = {
    Effect.TIGHTENED: "green",
    Effect.LOOSENED: "red",
    Effect.NEUTRAL: "default",
    Effect.UNKNOWN: "yellow",
}


def diff(
    old: Annotated[Path, typer.Argument(help="The earlier version of the agreement.")],
    new: Annotated[Path, typer.Argument(help="The later version of the agreement.")],
    output_format: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            help="text: grouped plain-language list; json: the accord.diff/v1 document.",
        ),
    ] = DiffFormat.TEXT,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=f"Exit with {EXIT_DIFFERENT} when the versions differ, 0 when they mean the "
            "same (like git diff --exit-code).",
        ),
    ] = False,
) -> None:
    """Explain what changed between two versions of an agreement.

    Targets, tolerances, credits, notice periods, objectives, parties and every other field
    are compared by meaning; list order and unit spelling do not count as changes. A change
    is 'tightened' when it is better for the consumer, 'loosened' when it is better for the
    provider. Exit code 0 (also with changes, unless --exit-code), 1 when a file is invalid.
    """
    before, after = _load_both(old, new)
    result = diff_agreements(before, after)
    if output_format is DiffFormat.JSON:
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        _print_text(result, after)
    if exit_code and result.has_changes:
        raise typer.Exit(EXIT_DIFFERENT)


def _load_both(old: Path, new: Path) -> tuple[Agreement, Agreement]:
    files = AgreementFiles()
    loaded = [files.load(old), files.load(new)]
    invalid = [item for item in loaded if not item.ok]
    for item in invalid:
        print_problems(item.problems)
    if invalid:
        raise typer.Exit(EXIT_INVALID)
    before, after = (item.agreement for item in loaded if item.agreement is not None)
    return before, after


def _print_text(result: AgreementDiff, agreement: Agreement) -> None:
    old, new = result.old, result.new
    names = old.id if old.id == new.id else f"{old.id} → {new.id}"
    console.print(
        f"[bold]{escape(names)}[/bold]: version {escape(old.version)} → {escape(new.version)}"
    )
    if not result.has_changes:
        console.print("No changes in meaning.")
        return
    for category, changes in result.by_category().items():
        console.print(f"\n[bold]{_TITLES[category]}[/bold]")
        for change in changes:
            _print_change(change)
    console.print(f"\n{_count_line(result, agreement)}")


def _print_change(change: Change) -> None:
    style = _STYLES[change.effect]
    tag = "" if change.effect is Effect.NEUTRAL else change.effect.value
    console.print(f"  [{style}]{tag:<9}  {escape(change.summary)}[/{style}]")


def _count_line(result: AgreementDiff, agreement: Agreement) -> str:
    counts = result.counts()
    total = counts["total"]
    noun = "change" if total == 1 else "changes"
    consumer = escape(agreement.consumer().name)
    return (
        f"{total} {noun}: [green]{counts['tightened']} tightened[/green], "
        f"[red]{counts['loosened']} loosened[/red], {counts['neutral']} neutral"
        + (f", [yellow]{counts['unknown']} direction unknown[/yellow]" if counts["unknown"] else "")
        + " "
        f"(tightened is better for the consumer, {consumer})."
    )


def register(app: typer.Typer) -> None:
    app.command()(diff)
