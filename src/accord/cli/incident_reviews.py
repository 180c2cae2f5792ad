"""``accord incident review show|write|file|comment``, ``accord incident rates`` and
``accord action add|list|done|cancel``: post-incident reviews and preventive actions, as the
operator."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import console, fail
from accord.cli.runtime import open_services
from accord.services.incident_reviews import ActionView, NewAction, ReviewDetail, ReviewDraft
from accord.services.permissions import Principal

__all__ = ["action", "rates", "register", "review"]

review = typer.Typer(
    name="review", help="The post-incident review of an incident.", no_args_is_help=True
)
action = typer.Typer(name="action", help="Preventive actions of reviews.", no_args_is_help=True)
CONSOLE = Principal.console()
IncidentArg = Annotated[int, typer.Argument(help="Incident id.")]
ActionArg = Annotated[int, typer.Argument(help="Preventive action id.")]


def _impact(pairs: list[str]) -> dict[str, int | float] | None:
    if not pairs:
        return None
    found: dict[str, int | float] = {}
    for pair in pairs:
        name, _, value = pair.rpartition("=")
        try:
            found[name] = int(value) if value.strip().isdigit() else float(value)
        except ValueError:
            fail(f"--impact {pair!r}: write a name and a number, e.g. 'customers affected=1200'")
        if not name.strip():
            fail(f"--impact {pair!r}: write a name and a number, e.g. 'customers affected=1200'")
    return found


def _say_action(view: ActionView) -> None:
    duty = view.obligation
    console.print(
        f"action {view.id} on incident {view.incident}: {view.state} — {escape(view.title)} "
        f"(owner {escape(view.owner)}, {view.party}; due {view.due_on.isoformat()}"
        + (f", {duty.state}" if duty is not None else "")
        + ")"
    )


def _show(detail: ReviewDetail) -> None:
    incident = detail.incident
    written = detail.review
    duty = detail.obligation
    console.print(
        f"review of incident {incident.id} on {incident.agreement}: "
        + ("not written" if written is None else written.state)
        + ("" if duty is None else f"; due {duty.due_at.isoformat()} — {duty.state}")
    )
    if written is not None:
        for name in ("summary", "root_cause", "went_well", "went_wrong"):
            console.print(f"  {name.replace('_', ' ')}: {escape(getattr(written, name))}")
        for name, value in written.customer_impact.items():
            console.print(f"  impact: {escape(name)} = {value}")
        for factor in written.contributing_factors:
            console.print(f"  contributing factor: {escape(factor)}")
    for item in detail.actions:
        _say_action(item)
    for entry in detail.timeline:
        console.print(f"  {entry.at.isoformat()} {entry.actor} {entry.kind}: {escape(entry.text)}")


@review.command("show")
def show(
    incident_id: IncidentArg,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """The review with its actions and the incident's timeline."""
    with open_services() as services:
        detail = services.incident_reviews.get(CONSOLE, incident_id)
    if as_json:
        written = detail.review
        typer.echo(
            json.dumps(
                {
                    "incident": detail.incident.id,
                    "state": None if written is None else written.state,
                    "obligation": None if detail.obligation is None else detail.obligation.state,
                    "actions": [{"id": a.id, "state": a.state} for a in detail.actions],
                    "timeline": [e.kind for e in detail.timeline],
                },
                indent=2,
            )
        )
        return
    _show(detail)


@review.command("write")
def write(
    incident_id: IncidentArg,
    summary: Annotated[str | None, typer.Option("--summary")] = None,
    impact: Annotated[
        list[str] | None,
        typer.Option("--impact", help="Customer impact in numbers: 'name=number', repeatable."),
    ] = None,
    root_cause: Annotated[str | None, typer.Option("--root-cause")] = None,
    factor: Annotated[
        list[str] | None, typer.Option("--factor", help="A contributing factor, repeatable.")
    ] = None,
    went_well: Annotated[str | None, typer.Option("--went-well")] = None,
    went_wrong: Annotated[str | None, typer.Option("--went-wrong")] = None,
) -> None:
    """Write parts of the review (a part left out stays as it is)."""
    draft = ReviewDraft(
        summary=summary,
        customer_impact=_impact(impact or []),
        root_cause=root_cause,
        contributing_factors=factor,
        went_well=went_well,
        went_wrong=went_wrong,
    )
    with open_services() as services:
        _show(services.incident_reviews.write(CONSOLE, incident_id, draft))


@review.command("file")
def file_(incident_id: IncidentArg) -> None:
    """File the review (meets its obligation)."""
    with open_services() as services:
        _show(services.incident_reviews.file(CONSOLE, incident_id))


@review.command("comment")
def comment(
    incident_id: IncidentArg, text: Annotated[str, typer.Argument(help="The comment.")]
) -> None:
    """Comment on the review."""
    with open_services() as services:
        services.incident_reviews.comment(CONSOLE, incident_id, text)
    console.print(f"comment added to the review of incident {incident_id}")


def rates(
    agreement: Annotated[str | None, typer.Option("--agreement", help="One agreement.")] = None,
) -> None:
    """Reviews filed and preventive actions completed on time, per agreement and party."""
    with open_services() as services:
        found = services.incident_reviews.rates(CONSOLE, agreement=agreement)
    table = Table("agreement", "party", "duty", "on time", "late", "open", "on time %")
    for rate in found:
        ratio = rate.on_time_ratio
        table.add_row(
            rate.agreement,
            rate.party,
            rate.kind,
            str(rate.on_time),
            str(rate.late),
            str(rate.open),
            "—" if ratio is None else f"{ratio:.1%}",
        )
    console.print(table)


@action.command("add")
def add(
    incident_id: IncidentArg,
    title: Annotated[str, typer.Option("--title", help="What will be done.")],
    owner: Annotated[str, typer.Option("--owner", help="Who does it.")],
    due: Annotated[
        dt.datetime, typer.Option("--due", help="Due date (YYYY-MM-DD).", formats=["%Y-%m-%d"])
    ],
    party: Annotated[
        str | None, typer.Option("--party", help="Party that owes it (default: provider).")
    ] = None,
) -> None:
    """Add a preventive action to an incident's review."""
    command = NewAction(title=title, owner=owner, due_on=due.date(), party=party)
    with open_services() as services:
        _say_action(services.incident_reviews.add_action(CONSOLE, incident_id, command))


@action.command("list")
def list_(
    agreement: Annotated[str | None, typer.Option("--agreement", help="One agreement.")] = None,
    state: Annotated[
        list[str] | None, typer.Option("--state", help="open, done or cancelled.")
    ] = None,
) -> None:
    """Preventive actions, earliest due first."""
    with open_services() as services:
        found = services.incident_reviews.actions(
            CONSOLE, agreement=agreement, states=tuple(state or ())
        )
    for item in found:
        _say_action(item)


@action.command("done")
def done(
    action_id: ActionArg,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Record a preventive action done now."""
    with open_services() as services:
        _say_action(services.incident_reviews.complete_action(CONSOLE, action_id, note))


@action.command("cancel")
def cancel(
    action_id: ActionArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it is no longer needed.")],
) -> None:
    """Cancel a preventive action (its obligation is waived)."""
    with open_services() as services:
        _say_action(services.incident_reviews.cancel_action(CONSOLE, action_id, reason))


def register(app: typer.Typer) -> None:
    app.add_typer(action)
