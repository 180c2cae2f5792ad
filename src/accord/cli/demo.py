"""The main job: validate and render every example, generate sample data, evaluate it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import EXIT_INVALID, console, fail, print_problems
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.verdicts import Outcome
from accord.demo.base import SampleOptions
from accord.demo.generate import has_generator, write_sample_data
from accord.reports.agreement import render_html, render_markdown, render_pdf
from accord.reports.verdicts import evaluation_json, explain_verdict
from accord.services.agreements import load_file
from accord.services.evaluation import DataError, EvaluateCommand, evaluate_file

__all__ = ["register"]


def _documents(agreement: Agreement, out: Path) -> list[Path]:
    folder = out / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / agreement.metadata.id
    written = [stem.with_suffix(".html"), stem.with_suffix(".md"), stem.with_suffix(".pdf")]
    written[0].write_text(render_html(agreement), encoding="utf-8")
    written[1].write_text(render_markdown(agreement), encoding="utf-8")
    written[2].write_bytes(render_pdf(agreement))
    return written


def _evaluate(path: Path, data: Path, period: str, out: Path) -> Evaluation:
    command = EvaluateCommand(
        agreement=path,
        data_dir=data,
        period=period,
        now=dt.datetime.now(dt.UTC),
        quarantine_dir=out / "quarantine",
    )
    evaluation = evaluate_file(command)
    folder = out / "verdicts"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{evaluation.agreement.metadata.id}.json"
    target.write_text(json.dumps(evaluation_json(evaluation), indent=2) + "\n", encoding="utf-8")
    return evaluation


def _summary_row(evaluation: Evaluation) -> list[str]:
    outcomes = Counter(verdict.outcome for verdict in evaluation.verdicts)
    credits = ", ".join(str(owed.credit.amount) for owed in evaluation.credits) or "—"
    chronic = ", ".join(c.clause for c in evaluation.chronic if c.triggered) or "—"
    rejected = sum(report.rows_rejected for report in evaluation.sources)
    return [
        evaluation.agreement.metadata.id,
        *(str(outcomes.get(outcome, 0)) for outcome in Outcome),
        credits,
        chronic,
        f"{rejected:,}",
    ]


def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for documents, data and verdicts.")
    ] = Path("build/demo"),
    examples: Annotated[
        Path, typer.Option("--examples", help="Folder of agreements to use.")
    ] = Path("examples"),
    period: Annotated[str, typer.Option("--period", help="Period to evaluate.")] = "2026-10",
) -> None:
    """Validate and render every example, generate sample data and evaluate it."""
    paths = sorted(examples.glob("*.yaml"))
    if not paths:
        fail(f"no agreements (*.yaml) in {examples}")
    data = out / "data"
    evaluations: list[Evaluation] = []
    failed = False
    for path in paths:
        loaded = load_file(path)
        print_problems(loaded.problems)
        if not loaded.ok or loaded.agreement is None:
            failed = True
            continue
        agreement = loaded.agreement
        documents = _documents(agreement, out)
        console.print(
            f"[green]valid[/green] {escape(str(path))} → {escape(str(documents[0].parent))}/"
        )
        if not has_generator(agreement):
            continue
        write_sample_data(agreement, data, SampleOptions())
        try:
            evaluations.append(_evaluate(path, data, period, out))
        except DataError as exc:
            fail(str(exc))
    _print_summary(evaluations, period)
    console.print(
        f"\ndocuments: {out / 'documents'}\nsample data: {data}\n"
        f"verdicts (accord.verdicts/v1 JSON): {out / 'verdicts'}\n"
        f"rejected rows: {out / 'quarantine'}"
    )
    if failed:
        raise typer.Exit(EXIT_INVALID)


def _print_summary(evaluations: list[Evaluation], period: str) -> None:
    table = Table(title=f"Verdicts for {period}")
    for header in ("agreement", *(o.value for o in Outcome), "credits", "chronic", "rejected rows"):
        table.add_column(header)
    for evaluation in evaluations:
        table.add_row(*_summary_row(evaluation))
    console.print(table)
    for evaluation in evaluations:
        breach = next((v for v in evaluation.verdicts if v.outcome is Outcome.BREACH), None)
        if breach is not None:
            console.print("\nOne breach, explained:\n", style="bold")
            console.print(explain_verdict(evaluation, breach), markup=False)
            return


def register(app: typer.Typer) -> None:
    app.command()(demo)
