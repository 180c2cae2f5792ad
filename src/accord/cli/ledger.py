"""``accord ledger``: the credit ledger of the stored agreements, as the operator sees it:
list with totals (table, JSON or CSV for finance), each credit's lifecycle steps, and manual
adjustments (adjust, approve, reject, adjustments). At the console the operator names who
acts (``--by``): under the four-eyes rule the approver must be another person."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.output import console, emit, fail
from accord.cli.runtime import open_services
from accord.services.adjustments import AdjustmentView, BookAdjustment
from accord.services.ledger import CreditState, LedgerQuery, LedgerReport, LedgerStep
from accord.services.permissions import Principal

__all__ = ["register"]

ledger = typer.Typer(
    name="ledger",
    help="The credit ledger: list, claim, accept, dispute, settle, adjust.",
    no_args_is_help=True,
)
CONSOLE = Principal.console()


class LedgerFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


AgreementArg = Annotated[str, typer.Argument(help="Agreement id.")]
SchemeArg = Annotated[str, typer.Argument(help="Credit scheme id.")]
WindowArg = Annotated[str, typer.Argument(help="Window label, e.g. 2026-10.")]
NoteOpt = Annotated[str, typer.Option("--note", help="Why (required to dispute).")]


@ledger.command("list")
def list_credits(
    agreement: Annotated[str | None, typer.Option("--agreement", help="One agreement.")] = None,
    partner: Annotated[str | None, typer.Option("--partner", help="Partner id.")] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Window label or its start, e.g. 2026.")
    ] = None,
    state: Annotated[CreditState | None, typer.Option("--state", help="Credit state.")] = None,
    output_format: Annotated[
        LedgerFormat, typer.Option("--format", help="table, json or csv.")
    ] = LedgerFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Credits per agreement, scheme and window, with totals per currency and state."""
    query = LedgerQuery(
        agreement=agreement, partner=partner, period=period, state=state.value if state else None
    )
    with open_services() as services:
        report = services.ledger.report(CONSOLE, query)
    if output_format is LedgerFormat.TABLE and output is None:
        _print(report)
        return
    text = (
        report.as_csv()
        if output_format is LedgerFormat.CSV
        else json.dumps(report.as_json(), indent=2) + "\n"
    )
    emit(text, output, f"wrote {len(report.lines)} credits to {output}")


def _print(report: LedgerReport) -> None:
    table = Table(title="Credit ledger")
    for header in ("agreement", "partner", "scheme", "window", "owed", "state", "claim by"):
        table.add_column(header, overflow="fold")
    for line in report.lines:
        table.add_row(
            line.agreement,
            line.partner or "",
            line.scheme,
            line.window,
            f"{line.owed} {line.currency}"
            + (f"\n(clipped {line.clipped} by {line.caps})" if line.clipped else ""),
            line.state,
            line.claim_deadline.date().isoformat() if line.claim_deadline else "",
        )
    console.print(table)
    for total in report.totals:
        console.print(
            f"total {total.state}: {total.amount} {total.currency} ({total.credits} credits)",
            highlight=False,
        )


def _step(command: LedgerStep) -> None:
    with open_services() as services:
        line = services.ledger.step(CONSOLE, command)
    console.print(
        f"{line.agreement} {line.scheme} {line.window}: {line.state} ({line.owed} {line.currency})",
        highlight=False,
    )


@ledger.command()
def claim(
    agreement: AgreementArg, scheme: SchemeArg, window: WindowArg, note: NoteOpt = ""
) -> None:
    """Claim a credit owed (before its claim deadline)."""
    _step(
        LedgerStep(
            agreement=agreement, scheme=scheme, window=window, state=CreditState.CLAIMED, note=note
        )
    )


@ledger.command()
def accept(
    agreement: AgreementArg, scheme: SchemeArg, window: WindowArg, note: NoteOpt = ""
) -> None:
    """Accept a claim (the partner's answer)."""
    _step(
        LedgerStep(
            agreement=agreement, scheme=scheme, window=window, state=CreditState.ACCEPTED, note=note
        )
    )


@ledger.command()
def dispute(
    agreement: AgreementArg, scheme: SchemeArg, window: WindowArg, note: NoteOpt = ""
) -> None:
    """Dispute a claim (the partner's answer), saying why."""
    _step(
        LedgerStep(
            agreement=agreement, scheme=scheme, window=window, state=CreditState.DISPUTED, note=note
        )
    )


@ledger.command()
def settle(
    agreement: AgreementArg,
    scheme: SchemeArg,
    window: WindowArg,
    reference: Annotated[str, typer.Option("--reference", help="e.g. the credit note's number.")],
) -> None:
    """Record a credit settled, with its reference."""
    _step(
        LedgerStep(
            agreement=agreement,
            scheme=scheme,
            window=window,
            state=CreditState.SETTLED,
            reference=reference,
        )
    )


ByOpt = Annotated[
    str, typer.Option("--by", help="Who acts, as the audit trail records it (four eyes).")
]
IdArg = Annotated[int, typer.Argument(help="Adjustment id (accord ledger adjustments).")]


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        fail(f"amount {text!r} is not a number; write e.g. -40.00 or 25")


def _show(found: AdjustmentView) -> None:
    booked = f", entry {found.entry}" if found.entry is not None else ""
    console.print(
        f"adjustment {found.id} of {found.agreement} {found.scheme} {found.window}: "
        f"{found.amount} {found.currency} — {found.state}{booked}",
        highlight=False,
    )


@ledger.command()
def adjust(
    agreement: AgreementArg,
    scheme: SchemeArg,
    window: WindowArg,
    amount: Annotated[
        str, typer.Option("--amount", help="Added to what is owed, e.g. -40.00 to lower it.")
    ],
    currency: Annotated[str, typer.Option("--currency", help="The scheme's currency.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, in words.")],
    by: ByOpt,
    link: Annotated[str, typer.Option("--link", help="e.g. 'dispute 12'.")] = "",
) -> None:
    """Adjust what is owed: a new ledger entry, never an edit (with four eyes it waits for
    another person's approval)."""
    command = BookAdjustment(
        agreement=agreement,
        scheme=scheme,
        window=window,
        amount=_amount(amount),
        currency=currency,
        reason=reason,
        link=link,
    )
    with open_services() as services:
        _show(services.adjustments.request(Principal.console(by), command))


@ledger.command()
def approve(agreement: AgreementArg, adjustment: IdArg, by: ByOpt, note: NoteOpt = "") -> None:
    """Approve an adjustment another person asked for: it is booked."""
    with open_services() as services:
        _show(services.adjustments.approve(Principal.console(by), agreement, adjustment, note))


@ledger.command()
def reject(
    agreement: AgreementArg,
    adjustment: IdArg,
    by: ByOpt,
    note: Annotated[str, typer.Option("--note", help="Why it is rejected.")],
) -> None:
    """Reject an adjustment, saying why."""
    with open_services() as services:
        _show(services.adjustments.reject(Principal.console(by), agreement, adjustment, note))


@ledger.command("adjustments")
def list_adjustments(agreement: AgreementArg) -> None:
    """An agreement's adjustments: requested, applied or rejected."""
    with open_services() as services:
        found = services.adjustments.list(CONSOLE, agreement)
    table = Table(title=f"Adjustments of {agreement}")
    for header in ("id", "scheme", "window", "amount", "state", "by", "reason"):
        table.add_column(header, overflow="fold")
    for item in found:
        link = f" ({item.link})" if item.link else ""
        table.add_row(
            str(item.id),
            item.scheme,
            item.window,
            f"{item.amount} {item.currency}",
            item.state,
            item.requested_by + (f" / {item.decided_by}" if item.decided_by else ""),
            item.reason + link,
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(ledger)
