"""``accord deadlines`` (notice deadlines of agreement files) and ``accord obligations``
(the dated duties the service keeps, with their state) and ``accord escalations`` (the
self-check of escalations running late)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import Format, FormatOpt, console, fail, valid_agreement
from accord.cli.runtime import open_services
from accord.core.obligations import NoticeDeadline, ObligationState, notice_deadlines
from accord.core.units import Duration, UnitError
from accord.services.obligations import ObligationQuery, ObligationView
from accord.services.permissions import Principal

__all__ = ["register"]

CONSOLE = Principal.console()
_STATE_COLOURS = {"open": "cyan", "met": "green", "missed": "red", "waived": "yellow"}


def _deadline_json(item: NoticeDeadline) -> dict[str, str]:
    return {
        "agreement": item.agreement,
        "kind": item.kind,
        "term_end": item.term_end.isoformat(),
        "notice": str(item.notice),
        "last_day": item.last_day.isoformat(),
        "due_at": item.due_at.isoformat(),
    }


def deadlines(
    files: Annotated[list[Path], typer.Argument(help="Agreement files (YAML).")],
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            help="List deadlines on or after this day (default today).",
            formats=["%Y-%m-%d"],
        ),
    ] = None,
    output: FormatOpt = Format.TABLE,
) -> None:
    """The last day to give renewal and termination notice, for each agreement's next term."""
    day = (as_of or dt.datetime.now(dt.UTC)).date()
    found = [item for path in files for item in notice_deadlines(valid_agreement(path), day)]
    if output is Format.JSON:
        typer.echo(json.dumps([_deadline_json(item) for item in found], indent=2))
        return
    table = Table("agreement", "notice", "term ends", "period", "last day", "days left")
    for item in found:
        table.add_row(
            item.agreement,
            item.kind.removesuffix("_notice"),
            item.term_end.isoformat(),
            str(item.notice),
            f"[bold]{item.last_day.isoformat()}[/bold]",
            str((item.last_day - day).days),
        )
    console.print(table)


def _within(text: str | None) -> dt.timedelta | None:
    if text is None:
        return None
    try:
        duration = Duration.parse(text)
        if not duration.is_fixed:
            raise UnitError(f"{text!r} has no fixed length", "write e.g. 7d or 48h")
        return duration.to_timedelta()
    except UnitError as exc:
        fail(f"--due-within: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))


def _view_json(item: ObligationView) -> dict[str, object]:
    return {
        "id": item.id,
        "agreement": item.agreement,
        "kind": item.kind,
        "party": item.party,
        "subject": item.subject,
        "due_at": item.due_at.isoformat(),
        "calendar": item.calendar,
        "state": item.state,
        "state_at": None if item.state_at is None else item.state_at.isoformat(),
        "reason": item.reason,
    }


def obligations(
    due_within: Annotated[
        str | None, typer.Option("--due-within", help="Only those due within this, e.g. 7d.")
    ] = None,
    agreement: Annotated[str | None, typer.Option("--agreement", help="One agreement.")] = None,
    state: Annotated[
        list[ObligationState] | None, typer.Option("--state", help="open, met, missed, waived.")
    ] = None,
    output: FormatOpt = Format.TABLE,
) -> None:
    """Dated duties of the stored agreements, earliest due first (open ones by default)."""
    states = tuple(item.value for item in state) if state else (ObligationState.OPEN.value,)
    query = ObligationQuery(agreement=agreement, states=states, due_within=_within(due_within))
    with open_services() as services:
        found = services.obligations.list(CONSOLE, query)
    if output is Format.JSON:
        typer.echo(json.dumps([_view_json(item) for item in found], indent=2))
        return
    table = Table("id", "agreement", "kind", "owed by", "due", "state", "what")
    for item in found:
        colour = _STATE_COLOURS.get(item.state, "white")
        table.add_row(
            str(item.id),
            item.agreement,
            item.kind,
            item.party,
            item.due_at.isoformat(timespec="minutes"),
            f"[{colour}]{item.state}[/{colour}]",
            escape(item.subject),
        )
    console.print(table)
    if not found:
        console.print("no obligations match")


def escalations(output: FormatOpt = Format.TABLE) -> None:
    """Self-check: escalations running late — a rung not told in time (the worker was down),
    told late, or whose message failed or still waits."""
    with open_services() as services:
        found = services.obligations.late_escalations(CONSOLE)
    if output is Format.JSON:
        typer.echo(
            json.dumps(
                [
                    {
                        "incident": item.incident,
                        "agreement": item.agreement,
                        "duty": item.duty,
                        "level": item.level,
                        "owner": item.owner,
                        "due_at": item.due_at.isoformat(),
                        "told_at": None if item.told_at is None else item.told_at.isoformat(),
                        "reasons": list(item.reasons),
                    }
                    for item in found
                ],
                indent=2,
            )
        )
        return
    if not found:
        console.print("no escalations running late")
        return
    table = Table("incident", "agreement", "level", "due", "told", "why")
    for item in found:
        table.add_row(
            str(item.incident),
            item.agreement,
            f"{item.level} ({escape(item.owner)})",
            item.due_at.isoformat(),
            "—" if item.told_at is None else item.told_at.isoformat(),
            escape("; ".join(item.reasons)),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(deadlines)
    app.command()(obligations)
    app.command()(escalations)
