"""``accord renewal``: decisions about an agreement's term and the term they leave, from the
operator's console (recorded for the consumer party, audited with the actor ``console``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import console
from accord.cli.runtime import open_services
from accord.core.renewals import DecisionKind
from accord.services.permissions import Principal
from accord.services.renewals import DecideRenewal

__all__ = ["register"]

renewal = typer.Typer(
    name="renewal", help="Renew, renegotiate or terminate; see the term.", no_args_is_help=True
)
CONSOLE = Principal.console()


@renewal.command("decide")
def decide(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    decision: Annotated[DecisionKind, typer.Argument(help="renew, renegotiate or terminate.")],
    note: Annotated[str | None, typer.Option("--note", help="Why, for the record.")] = None,
) -> None:
    """Record a decision about the term; notice meets the term's notice obligations."""
    with open_services() as services:
        view = services.renewals.decide(
            CONSOLE, DecideRenewal(agreement=agreement, decision=decision, note=note)
        )
    met = ", ".join(view.notices_met) or "none open in time"
    console.print(
        f"{view.decision} recorded for {view.agreement} by {view.party} "
        f"(term ending {view.term_end}); notice obligations met: {met}"
    )


@renewal.command("status")
def status(agreement: Annotated[str, typer.Argument(help="Agreement id.")]) -> None:
    """The term: its last day given the decisions, and whether it has ended."""
    with open_services() as services:
        term = services.renewals.term(CONSOLE, agreement)
    if term.last_day is None:
        ends = "renews indefinitely"
    else:
        ends = f"{'ended' if term.ended else 'ends'} after {term.last_day}"
    console.print(
        f"{term.agreement}: effective {term.effective}, {term.renewal} renewal, "
        f"initial term to {term.initial_term_end}; {ends}"
    )
    for decision in term.decisions:
        console.print(
            f"  {decision.decided_at:%Y-%m-%d %H:%M} {decision.decision} by {decision.party} "
            f"({escape(decision.decided_by)}) for the term ending {decision.term_end}"
            + (f": {escape(decision.note)}" if decision.note else "")
        )


def register(app: typer.Typer) -> None:
    app.add_typer(renewal)
