"""``accord review``: the governance review pack of a stored agreement for a period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.output import console, fail
from accord.cli.runtime import open_services
from accord.reports.review import review_html, review_pdf
from accord.services.permissions import Principal
from accord.services.reviews import RateCommitment, RecordDecision, RecordMinutes

__all__ = ["register"]

review = typer.Typer(name="review", help="Governance review packs.", no_args_is_help=True)
CONSOLE = Principal.console()


@review.command("pack")
def pack(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    period: Annotated[str, typer.Argument(help="A month (2026-10) or quarter (2026-Q4).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    output_format: Annotated[str, typer.Option("--format", help="html or pdf.")] = "pdf",
) -> None:
    """Write the review pack: verdicts and credits, compliance findings, term and notice,
    open obligations, the commitments to rate, and room for minutes and decisions."""
    if output_format not in ("html", "pdf"):
        fail(f"no review pack format {output_format!r}; formats: html, pdf")
    with open_services() as services:
        found = services.reviews.pack(CONSOLE, agreement, period)
    content = review_pdf(found) if output_format == "pdf" else review_html(found).encode()
    try:
        output.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"wrote the {period} review pack of {agreement} to {output}")


@review.command("rate")
def rate(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    period: Annotated[str, typer.Argument(help="The review's month or quarter.")],
    commitment: Annotated[str, typer.Argument(help="The commitment's id.")],
    rating: Annotated[int, typer.Argument(help="1 (not met) … 5 (exemplary).", min=1, max=5)],
    comment: Annotated[str, typer.Option("--comment", help="Why.")] = "",
) -> None:
    """Rate a qualitative commitment for the period (for the consumer party)."""
    command = RateCommitment(
        agreement=agreement, period=period, commitment=commitment, rating=rating, comment=comment
    )
    with open_services() as services:
        record = services.reviews.rate(CONSOLE, command)
    console.print(f"{len(record.ratings)} ratings recorded for the {period} review of {agreement}")


@review.command("decide")
def decide(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    period: Annotated[str, typer.Argument(help="The review's month or quarter.")],
    text: Annotated[str, typer.Argument(help="The decision or action.")],
    owner: Annotated[str | None, typer.Option("--owner", help="Party id that does it.")] = None,
    due: Annotated[
        dt.datetime | None, typer.Option("--due", formats=["%Y-%m-%d"], help="Last day.")
    ] = None,
) -> None:
    """Record a decision of the review; with --due it becomes an obligation of its owner."""
    command = RecordDecision(
        agreement=agreement,
        period=period,
        text=text,
        owner=owner,
        due_on=None if due is None else due.date(),
    )
    with open_services() as services:
        record = services.reviews.decide(CONSOLE, command)
    console.print(
        f"{len(record.decisions)} decisions recorded for the {period} review of {agreement}"
    )


@review.command("minutes")
def minutes(
    agreement: Annotated[str, typer.Argument(help="Agreement id.")],
    period: Annotated[str, typer.Argument(help="The review's month or quarter.")],
    text: Annotated[str, typer.Argument(help="What the review covered and concluded.")],
) -> None:
    """Record the minutes of the period's review: the review was held (its obligation is
    met; held after its due date, it stays missed)."""
    command = RecordMinutes(agreement=agreement, period=period, text=text)
    with open_services() as services:
        services.reviews.minutes(CONSOLE, command)
        held = [r for r in services.reviews.schedule(CONSOLE, agreement) if r.period == period]
    state = f": the review is {held[0].obligation.state}" if held else ""
    console.print(f"minutes recorded for the {period} review of {agreement}{state}")


@review.command("schedule")
def schedule(agreement: Annotated[str, typer.Argument(help="Agreement id.")]) -> None:
    """The governance reviews scheduled from the agreement's cadence: period, due by, state."""
    with open_services() as services:
        found = services.reviews.schedule(CONSOLE, agreement)
    if not found:
        console.print(f"no governance reviews scheduled for {agreement}")
        return
    table = Table(title=f"Governance reviews of {agreement}")
    for header in ("period", "due by (UTC)", "state", "owed by"):
        table.add_column(header)
    for review_ in found:
        duty = review_.obligation
        table.add_row(review_.period, f"{duty.due_at:%Y-%m-%d %H:%M}", duty.state, duty.party)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(review)
