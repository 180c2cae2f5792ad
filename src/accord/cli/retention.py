"""``accord retention``: legal holds and the purge that applies the agreements' retention
rules, from the operator's console (each change audited with the actor ``console``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import console
from accord.cli.runtime import open_services
from accord.services.permissions import Principal
from accord.services.retention import PlaceHold, Purged

__all__ = ["register"]

retention = typer.Typer(
    name="retention", help="Legal holds and the retention purge.", no_args_is_help=True
)
CONSOLE = Principal.console()
_INSTANT = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]


def _utc(instant: dt.datetime | None) -> dt.datetime | None:
    if instant is None or instant.tzinfo is not None:
        return instant
    return instant.replace(tzinfo=dt.UTC)


@retention.command("hold")
def hold(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the data must be kept.")],
    held_from: Annotated[
        dt.datetime | None, typer.Option("--from", formats=_INSTANT, help="Default: the start.")
    ] = None,
    held_until: Annotated[
        dt.datetime | None, typer.Option("--until", formats=_INSTANT, help="Default: no end.")
    ] = None,
) -> None:
    """Place a legal hold: the purge keeps the data it covers until it is released."""
    command = PlaceHold(
        agreement=agreement, reason=reason, held_from=_utc(held_from), held_until=_utc(held_until)
    )
    with open_services() as services:
        view = services.retention.place_hold(CONSOLE, command)
    console.print(f"legal hold {view.id} placed on {view.agreement}: {escape(view.reason)}")


@retention.command("release")
def release(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    hold_id: Annotated[int, typer.Argument(help="Hold number.", min=1)],
) -> None:
    """Release a legal hold."""
    with open_services() as services:
        view = services.retention.release_hold(CONSOLE, agreement, hold_id)
    console.print(f"legal hold {view.id} on {view.agreement} released")


@retention.command("holds")
def holds(agreement: Annotated[str, typer.Argument(help="Agreement id.")]) -> None:
    """List an agreement's legal holds."""
    with open_services() as services:
        views = services.retention.holds(CONSOLE, agreement)
    for view in views:
        span = f"{view.held_from or 'start'} to {view.held_until or 'no end'}"
        state = "released" if view.released_at else "active"
        console.print(f"{view.id} {state} ({span}) by {view.placed_by}: {escape(view.reason)}")
    if not views:
        console.print("no legal holds")


@retention.command("purge")
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say what would be removed.")
    ] = False,
) -> None:
    """Apply every agreement's retention rules now; the audit trail records what went."""
    with open_services() as services:
        report = services.retention.purge(CONSOLE, dry_run=dry_run)
    for item in report.agreements:
        for line in _purged_lines(item):
            console.print(f"{item.agreement}: {escape(line)}")
    console.print(report.summary())


def _purged_lines(item: Purged) -> list[str]:
    lines = []
    if item.cutoff is not None:
        lines.append(
            f"batches before {item.cutoff:%Y-%m-%d %H:%M} UTC: {len(item.removed)} batches "
            f"({item.events_removed} events)"
            + (
                f"; kept by legal holds or open disputes: {', '.join(item.held)}"
                if item.held
                else ""
            )
        )
    if item.audit_cutoff is not None:
        lines.append(
            f"audit entries before {item.audit_cutoff:%Y-%m-%d %H:%M} UTC: the content of "
            f"{item.audit_entries_removed}; kept by legal holds "
            f"{item.audit_entries_kept_by_holds}, by open disputes "
            f"{item.audit_entries_kept_by_disputes}"
        )
    if item.evidence_cutoff is not None:
        lines.append(
            f"evidence of disputes decided before {item.evidence_cutoff:%Y-%m-%d %H:%M} UTC: "
            f"{len(item.evidence_removed)} files"
            + (f" ({', '.join(item.evidence_removed)})" if item.evidence_removed else "")
            + (
                f"; kept by legal holds: {', '.join(item.evidence_held)}"
                if item.evidence_held
                else ""
            )
        )
    return lines


def register(app: typer.Typer) -> None:
    app.add_typer(retention)
