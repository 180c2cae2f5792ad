"""The render command: the agreement a person signs, as HTML, Markdown or PDF."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import EXIT_INVALID, console, fail, print_problems
from accord.core.model import Agreement
from accord.reports.agreement import render_html, render_markdown, render_pdf
from accord.services.agreements import AgreementFiles

__all__ = ["OutputFormat", "register"]


class OutputFormat(StrEnum):
    HTML = "html"
    MD = "md"
    PDF = "pdf"


def _document(agreement: Agreement, output_format: OutputFormat) -> bytes:
    if output_format is OutputFormat.PDF:
        return render_pdf(agreement)
    if output_format is OutputFormat.MD:
        return render_markdown(agreement).encode()
    return render_html(agreement).encode()


def _write(target: Path, content: bytes) -> None:
    """Write the document, creating missing folders; any failure is a clear error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except IsADirectoryError:
        fail(f"cannot write {target}: it is a directory")
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}")


def render(
    file: Annotated[Path, typer.Argument(help="Agreement file to render.")],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", "-f", help="Document format: html, md or pdf.", case_sensitive=False
        ),
    ] = OutputFormat.HTML,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the document. Default: standard output for html and md; "
            "FILE's folder as <name>.pdf for pdf.",
        ),
    ] = None,
) -> None:
    """Render the agreement people sign: executive summary, body and technical appendix."""
    loaded = AgreementFiles().load(file)
    print_problems(loaded.problems)
    if not loaded.ok or loaded.agreement is None:
        raise typer.Exit(EXIT_INVALID)
    content = _document(loaded.agreement, output_format)
    if output is None and output_format is not OutputFormat.PDF:
        typer.echo(content, nl=False)
        return
    target = output if output is not None else file.with_suffix(".pdf")
    _write(target, content)
    console.print(f"wrote {escape(str(target))}")


def register(app: typer.Typer) -> None:
    app.command()(render)
