"""``accord review``: the governance review pack of a stored agreement for a period."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import console, fail
from accord.cli.runtime import open_services
from accord.reports.review import review_html, review_pdf
from accord.services.permissions import Principal

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


def register(app: typer.Typer) -> None:
    app.add_typer(review)
