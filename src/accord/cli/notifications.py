"""``accord notifications list|show|preferences``: the outbox with every delivery attempt,
and a user's notification preferences, as the operator."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import Format, FormatOpt, console
from accord.cli.runtime import open_services
from accord.services.notifications import NotificationView, Preferences
from accord.services.permissions import Principal

__all__ = ["register"]

notifications = typer.Typer(
    name="notifications",
    help="The outbox (emails and webhooks, each delivery attempt) and users' preferences.",
    no_args_is_help=True,
)
CONSOLE = Principal.console()
_STATE_COLOURS = {
    "pending": "cyan",
    "delivering": "cyan",
    "delivered": "green",
    "failed": "red",
    "suppressed": "yellow",
}


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


class Mutable(StrEnum):
    """The events a user may mute by email (``accord.services.notifications.MUTABLE``)."""

    REMINDER = "reminder"
    INCIDENT = "incident"
    REVIEW = "review"
    OBLIGATION_MISSED = "obligation_missed"
    REPORT = "report"


def _plain(view: NotificationView) -> dict[str, object]:
    return {
        "id": view.id,
        "agreement": view.agreement,
        "event": view.event,
        "channel": view.channel,
        "recipient": view.recipient,
        "format": view.format,
        "subject": view.subject,
        "message_id": view.message_id,
        "state": view.state,
        "attempts": view.attempts,
        "next_attempt_at": view.next_attempt_at.isoformat(),
        "created_at": view.created_at.isoformat(),
        "delivered_at": None if view.delivered_at is None else view.delivered_at.isoformat(),
        "last_error": view.last_error,
        "history": [
            {
                "number": a.number,
                "started_at": a.started_at.isoformat(),
                "finished_at": None if a.finished_at is None else a.finished_at.isoformat(),
                "outcome": a.outcome,
                "detail": a.detail,
            }
            for a in view.history
        ],
    }


def _state(view: NotificationView) -> str:
    colour = _STATE_COLOURS.get(view.state, "white")
    return f"[{colour}]{view.state}[/{colour}]"


@notifications.command("list")
def list_(
    agreement: Annotated[str | None, typer.Option("--agreement", help="One agreement.")] = None,
    state: Annotated[
        list[DeliveryState] | None,
        typer.Option("--state", help="pending, delivering, delivered, failed, suppressed."),
    ] = None,
    output: FormatOpt = Format.TABLE,
) -> None:
    """Notifications in the outbox, oldest first, with their delivery state."""
    states = tuple(item.value for item in state or ())
    with open_services() as services:
        found = services.notifications.matching(CONSOLE, agreement=agreement, states=states)
    if output is Format.JSON:
        typer.echo(json.dumps([_plain(view) for view in found], indent=2))
        return
    if not found:
        console.print("no notifications match")
        return
    table = Table("id", "agreement", "event", "to", "state", "attempts", "subject")
    for view in found:
        table.add_row(
            str(view.id),
            view.agreement,
            view.event,
            escape(f"{view.channel}: {view.recipient}"),
            _state(view),
            str(view.attempts),
            escape(view.subject),
        )
    console.print(table)


@notifications.command()
def show(
    notification_id: Annotated[int, typer.Argument(help="Notification id.")],
    output: FormatOpt = Format.TABLE,
) -> None:
    """One notification with every delivery attempt and its result."""
    with open_services() as services:
        view = services.notifications.get(CONSOLE, notification_id)
    if output is Format.JSON:
        typer.echo(json.dumps(_plain(view), indent=2))
        return
    console.print(
        f"notification {view.id} on {view.agreement} ({view.event}) to "
        f"{escape(view.channel)} {escape(view.recipient)}: {_state(view)}\n"
        f"subject: {escape(view.subject)}\nmessage id: {escape(view.message_id)}"
    )
    if view.last_error:
        console.print(f"last error: {escape(view.last_error)}")
    table = Table("attempt", "started", "finished", "outcome", "detail")
    for attempt in view.history:
        table.add_row(
            str(attempt.number),
            attempt.started_at.isoformat(),
            "—" if attempt.finished_at is None else attempt.finished_at.isoformat(),
            attempt.outcome,
            escape(attempt.detail or ""),
        )
    console.print(table)


def _say(user: str, found: Preferences, output: Format) -> None:
    if output is Format.JSON:
        typer.echo(json.dumps({"user": user, "email": found.email, "muted": list(found.muted)}))
        return
    if not found.email:
        console.print(f"{escape(user)} takes no email (the agreements' webhooks carry all)")
    elif found.muted:
        console.print(f"{escape(user)} takes email, except {', '.join(found.muted)}")
    else:
        console.print(f"{escape(user)} takes every email")


@notifications.command()
def preferences(
    user: Annotated[str, typer.Argument(help="The user's e-mail.")],
    email: Annotated[
        bool | None,
        typer.Option(
            "--email/--no-email",
            help="Take email, or none at all (escalations and breach notices still go out).",
        ),
    ] = None,
    mute: Annotated[
        list[Mutable] | None,
        typer.Option("--mute", help="An event not wanted by email (repeat for more)."),
    ] = None,
    unmute: Annotated[
        list[Mutable] | None, typer.Option("--unmute", help="An event wanted by email again.")
    ] = None,
    output: FormatOpt = Format.TABLE,
) -> None:
    """Show a user's notification preferences, or change them: what the agreements send
    (contacts, escalation ladders, webhooks), less what the user muted."""
    with open_services() as services:
        found = services.notifications.preferences(CONSOLE, user)
        if email is not None or mute or unmute:
            muted = (set(found.muted) | {m.value for m in mute or ()}) - {
                m.value for m in unmute or ()
            }
            wanted = Preferences(
                email=found.email if email is None else email, muted=tuple(sorted(muted))
            )
            found = services.notifications.set_preferences(CONSOLE, wanted, user)
    _say(user, found, output)


def register(app: typer.Typer) -> None:
    app.add_typer(notifications)
