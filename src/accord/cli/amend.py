"""``accord amend``: propose a new version of a stored agreement, and approve, reject, waive
the notice of or withdraw it, as a party. The operator records each act for a user with
``--as <email>`` (the user's own permissions and party); without it, for the company."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from accord.cli.output import Format, FormatOpt, JsonAliasOpt, console, fail, format_of
from accord.cli.runtime import open_services
from accord.services.amendments import AmendmentAct, AmendmentView, ProposeAmendment
from accord.services.container import Services
from accord.services.permissions import Principal

__all__ = ["register"]

amend = typer.Typer(name="amend", help="Amendments: proposed versions and approvals.")
CONSOLE = Principal.console()

AgreementArg = Annotated[str, typer.Argument(help="Agreement id.")]
AmendmentArg = Annotated[int, typer.Argument(help="Amendment number.", min=1)]
AsOption = Annotated[
    str | None, typer.Option("--as", help="Act for this user (e-mail): its party and roles.")
]
NoteOption = Annotated[str, typer.Option("--note", help="Why (required to reject).")]


def _principal(services: Services, email: str | None) -> Principal:
    return CONSOLE if email is None else services.credentials.acting_as(CONSOLE, email)


def _plain(view: AmendmentView) -> dict[str, Any]:
    return json.loads(json.dumps(dataclasses.asdict(view), default=str))  # type: ignore[no-any-return]


def _say(view: AmendmentView) -> None:
    console.print(
        f"amendment {view.id} of {view.agreement}: {view.state} — {escape(view.summary)} "
        f"(version {view.label}, takes effect {view.effective_at.isoformat()})"
    )
    if view.version_number is not None:
        state = "in force" if view.in_force else "not yet in force"
        console.print(f"  became version {view.version_number}, {state}")
    if view.awaiting_approval:
        console.print(f"  awaiting approval of: {', '.join(view.awaiting_approval)}")
    if view.awaiting_waiver:
        console.print(
            f"  before {view.earliest_without_waiver.isoformat()} (notice {view.notice}) only "
            f"with the waiver of: {', '.join(view.awaiting_waiver)}"
        )


@amend.command("propose")
def propose(
    agreement: AgreementArg,
    summary: Annotated[str, typer.Option("--summary", help="Why: shown to every party.")],
    file: Annotated[Path | None, typer.Option("--file", help="The proposed agreement.")] = None,
    rollback_to: Annotated[
        int | None, typer.Option("--rollback-to", help="Propose an earlier version again.")
    ] = None,
    change_type: Annotated[
        str | None, typer.Option("--type", help="A change type the agreement names.")
    ] = None,
    effective: Annotated[
        dt.datetime | None,
        typer.Option("--effective", help="When it takes effect (ISO 8601 with an offset)."),
    ] = None,
    waive_notice: Annotated[
        bool, typer.Option("--waive-notice", help="Waive the notice period.")
    ] = False,
    acting: AsOption = None,
) -> None:
    """Propose a new version; every party sees the semantic diff (accord amend show)."""
    text = None
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {file}: {exc}")
    command = ProposeAmendment(
        agreement=agreement,
        summary=summary,
        text=text,
        rollback_to=rollback_to,
        change_type=change_type,
        effective_at=effective,
        waive_notice=waive_notice,
    )
    with open_services() as services:
        view = services.amendments.propose(_principal(services, acting), command)
    _say(view)


def _act(verb: str, agreement: str, amendment_id: int, note: str, acting: str | None) -> None:
    act = AmendmentAct(agreement=agreement, amendment=amendment_id, note=note)
    with open_services() as services:
        view = getattr(services.amendments, verb)(_principal(services, acting), act)
    _say(view)


@amend.command("approve")
def approve(
    agreement: AgreementArg, amendment: AmendmentArg, note: NoteOption = "", acting: AsOption = None
) -> None:
    """Approve as the party; the last approval stores the version (in force at its instant)."""
    _act("approve", agreement, amendment, note, acting)


@amend.command("reject")
def reject(
    agreement: AgreementArg, amendment: AmendmentArg, note: NoteOption = "", acting: AsOption = None
) -> None:
    """Reject as a party whose approval is required."""
    _act("reject", agreement, amendment, note, acting)


@amend.command("waive")
def waive(
    agreement: AgreementArg, amendment: AmendmentArg, note: NoteOption = "", acting: AsOption = None
) -> None:
    """Waive the notice period as the party."""
    _act("waive", agreement, amendment, note, acting)


@amend.command("withdraw")
def withdraw(
    agreement: AgreementArg, amendment: AmendmentArg, note: NoteOption = "", acting: AsOption = None
) -> None:
    """Withdraw the amendment (the proposing party)."""
    _act("withdraw", agreement, amendment, note, acting)


@amend.command("show")
def show(
    agreement: AgreementArg,
    amendment: AmendmentArg,
    output: FormatOpt = Format.TABLE,
    as_json: JsonAliasOpt = False,
    acting: AsOption = None,
) -> None:
    """The amendment with its semantic diff, approvals, waivers and events."""
    with open_services() as services:
        view = services.amendments.show(_principal(services, acting), agreement, amendment)
    if format_of(output, as_json) is Format.JSON:
        typer.echo(json.dumps(_plain(view), indent=2))
        return
    _say(view)
    for change in view.diff.get("changes", []):
        console.print(f"  [{change['effect']}] {escape(change['summary'])}")
    for event in view.events:
        note = f": {escape(event.note)}" if event.note else ""
        console.print(
            f"  {event.at.isoformat()} {event.kind} by {event.party} ({event.actor}){note}"
        )


@amend.command("list")
def list_(
    agreement: AgreementArg,
    output: FormatOpt = Format.TABLE,
    as_json: JsonAliasOpt = False,
    acting: AsOption = None,
) -> None:
    """The agreement's amendments, oldest first."""
    with open_services() as services:
        views = services.amendments.list(_principal(services, acting), agreement)
    if format_of(output, as_json) is Format.JSON:
        typer.echo(json.dumps([_plain(view) for view in views], indent=2))
        return
    if not views:
        console.print(f"{agreement} has no amendments")
    for view in views:
        _say(view)


def register(app: typer.Typer) -> None:
    app.add_typer(amend)
