"""``accord incident open|ack|update|mitigate|resolve|close|show|classify|notice``,
``accord incident source``
(an inbound webhook's secret), and ``accord incident review …`` / ``rates`` (from
``accord.cli.incident_reviews``), as the operator."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.incident_reviews import rates, review
from accord.cli.output import console
from accord.cli.runtime import open_services
from accord.services.breach_notices import RecordNotice
from accord.services.inbound import CreateSource
from accord.services.incidents import IncidentView, OpenIncident
from accord.services.permissions import Principal

__all__ = ["register"]

incident = typer.Typer(name="incident", help="Open and run incidents.", no_args_is_help=True)
CONSOLE = Principal.console()
IdArg = Annotated[int, typer.Argument(help="Incident id.")]


def _say(view: IncidentView) -> None:
    console.print(
        f"incident {view.id} on {view.agreement}: {view.state} ({view.severity}) "
        f"{escape(view.title)}"
    )


@incident.command("open")
def open_(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    title: Annotated[str, typer.Option("--title", help="What is failing.")],
    severity: Annotated[str, typer.Option("--severity", help="A severity of the policy.")],
    security: Annotated[bool, typer.Option("--security", help="A security incident.")] = False,
) -> None:
    """Open an incident: its clocks start now."""
    command = OpenIncident(
        agreement=agreement, title=title, severity=severity, security=security, source="cli"
    )
    with open_services() as services:
        _say(services.incidents.open(CONSOLE, command))


@incident.command()
def ack(incident_id: IdArg) -> None:
    """Acknowledge an incident."""
    with open_services() as services:
        _say(services.incidents.acknowledge(CONSOLE, incident_id))


@incident.command()
def update(incident_id: IdArg, text: Annotated[str, typer.Argument(help="The update.")]) -> None:
    """Post a status update (meets the update that is due; the next clock starts)."""
    with open_services() as services:
        _say(services.incidents.post_update(CONSOLE, incident_id, text))


@incident.command()
def mitigate(incident_id: IdArg) -> None:
    """Record that the impact is mitigated."""
    with open_services() as services:
        _say(services.incidents.mitigate(CONSOLE, incident_id))


@incident.command()
def resolve(incident_id: IdArg) -> None:
    """Resolve an incident."""
    with open_services() as services:
        _say(services.incidents.resolve(CONSOLE, incident_id))


@incident.command()
def close(incident_id: IdArg) -> None:
    """Close a resolved incident."""
    with open_services() as services:
        _say(services.incidents.close(CONSOLE, incident_id))


@incident.command()
def show(
    incident_id: IdArg,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """An incident with its lifecycle instants, clocks and timeline."""
    with open_services() as services:
        detail = services.incidents.get(CONSOLE, incident_id)
    view = detail.incident
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "id": view.id,
                    "agreement": view.agreement,
                    "state": view.state,
                    "severity": view.severity,
                    "timeline": [
                        {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "text": e.text}
                        for e in detail.timeline
                    ],
                    "obligations": [
                        {"kind": o.kind, "due_at": o.due_at.isoformat(), "state": o.state}
                        for o in detail.obligations
                    ],
                },
                indent=2,
            )
        )
        return
    _say(view)
    for name in ("reported", "acknowledged", "mitigated", "resolved", "closed"):
        at = getattr(view, f"{name}_at")
        if at is not None:
            console.print(f"  {name}: {at.isoformat()} by {getattr(view, f'{name}_by')}")
    for duty in detail.obligations:
        console.print(f"  {duty.kind}: due {duty.due_at.isoformat()} — {duty.state}")
    for entry in detail.timeline:
        console.print(f"  {entry.at.isoformat()} {entry.actor} {entry.kind}: {escape(entry.text)}")


@incident.command()
def source(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    name: Annotated[str, typer.Argument(help="A name for the source, e.g. prometheus.")],
    kind: Annotated[str, typer.Option("--kind", help="alertmanager or generic.")] = "alertmanager",
    severity: Annotated[
        str | None,
        typer.Option(
            "--severity",
            help="When an alert names none; omitted: the policy's only severity (required "
            "when it has several).",
        ),
    ] = None,
) -> None:
    """Create an inbound webhook source and print its secret (shown once)."""
    with open_services() as services:
        created = services.inbound.create_source(
            CONSOLE,
            CreateSource(agreement=agreement, name=name, kind=kind, severity=severity),  # type: ignore[arg-type]
        )
    console.print(
        f"source {created.name} ({created.kind}) on {created.agreement}; alerts naming no "
        f"severity open {created.severity}; secret:"
    )
    typer.echo(created.secret)


@incident.command()
def classify(incident_id: IdArg) -> None:
    """Classify a security incident as major now (DORA's clocks start)."""
    with open_services() as services:
        duties = services.breach_notices.classify_major(CONSOLE, incident_id)
    for duty in duties:
        console.print(f"  {escape(duty.subject)}: due {duty.due_at.isoformat()} — {duty.state}")


@incident.command()
def notice(
    incident_id: IdArg,
    regime: Annotated[str, typer.Argument(help="e.g. gdpr-art-33.")],
    step: Annotated[str, typer.Argument(help="The regime's notice, e.g. notification.")],
    to: Annotated[str, typer.Option("--to", help="Who received it.")],
    content: Annotated[str, typer.Option("--content", help="What it said.")],
    sent_at: Annotated[
        dt.datetime | None,
        typer.Option(
            "--sent-at",
            help="When it was sent, with its zone, e.g. 2026-11-06T18:00:00Z (default: now).",
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
        ),
    ] = None,
) -> None:
    """Record a breach notice as sent; sent after its due instant it is missed."""
    command = RecordNotice(
        regime=regime, notice=step, recipient=to, content=content, sent_at=sent_at
    )
    with open_services() as services:
        sent = services.breach_notices.record(CONSOLE, incident_id, command)
    duty = sent.obligation
    console.print(
        f"{sent.regime} {sent.notice} sent {sent.sent_at.isoformat()} to {escape(sent.recipient)}"
        + ("" if duty is None else f": {duty.state} (due {duty.due_at.isoformat()})")
    )


incident.add_typer(review)
incident.command("rates")(rates)


def register(app: typer.Typer) -> None:
    app.add_typer(incident)
