"""The main job: validate and render every example, generate sample data, evaluate it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.markup import escape
from rich.table import Table

from accord.bootstrap import file_evaluations
from accord.cli.demo_store import DemoStore, clear, load_store, months_ending
from accord.cli.output import EXIT_INVALID, console, fail, print_problems
from accord.cli.report import generate_reports
from accord.core.documents import evaluation_document
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.periods import PeriodError, parse_period
from accord.core.verdicts import Outcome
from accord.demo.base import SampleOptions
from accord.demo.generate import has_generator, write_sample_data
from accord.reports.agreement import render_html, render_markdown, render_pdf
from accord.reports.verdicts import explain_verdict
from accord.server.app import create_app
from accord.services.agreements import AgreementFiles
from accord.services.errors import ServiceError
from accord.services.evaluation import DataError, EvaluateCommand
from accord.services.permissions import Principal, Role

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
    evaluation = file_evaluations().evaluate(command)
    folder = out / "verdicts"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{evaluation.agreement.metadata.id}.json"
    target.write_text(
        json.dumps(evaluation_document(evaluation), indent=2) + "\n", encoding="utf-8"
    )
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
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            envvar="ACCORD_DEMO_SERVE",
            help="Serve the web app on the demo store when done (ACCORD_DEMO_SERVE=0: not).",
        ),
    ] = True,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to serve on.")] = 8000,
) -> None:
    """Validate and render every example, generate sample data and evaluate it; load it all
    into an embedded store with a user per role, and serve the web app on it."""
    try:
        parse_period(period, "UTC")
    except PeriodError as exc:
        fail(str(exc))  # before anything is written
    paths = sorted(examples.glob("*.yaml"))
    if not paths:
        fail(f"no agreements (*.yaml) in {examples}")
    data = out / "data"
    evaluations: list[Evaluation] = []
    stored: list[tuple[str, Agreement]] = []
    failed = False
    for path in paths:
        loaded = AgreementFiles().load(path)
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
        stored.append((path.read_text(encoding="utf-8"), agreement))
        try:
            evaluations.append(_evaluate(path, data, period, out))
        except DataError as exc:
            fail(str(exc))
    _print_summary(evaluations, period)
    console.print(
        f"\ndocuments: {out / 'documents'}\nsample data: {data}\n"
        f"verdicts (accord.verdicts/v2 JSON): {out / 'verdicts'}\n"
        f"rejected rows: {out / 'quarantine'}"
    )
    if failed:
        raise typer.Exit(EXIT_INVALID)
    store = _store(out, data, stored, period)
    try:
        _print_sign_ins(store)
        if serve:
            url = f"http://127.0.0.1:{port}"
            console.print(f"\nOpen {url} and sign in (Ctrl-C stops).", highlight=False)
            uvicorn.run(
                create_app(store.services), host="127.0.0.1", port=port, log_level="warning"
            )
    finally:
        store.services.close()


def _store(out: Path, data: Path, stored: list[tuple[str, Agreement]], period: str) -> DemoStore:
    folder = out / "store"
    clear(folder)
    shutil.copytree(data, folder / "files")
    months = months_ending(period)
    console.print(
        f"\nloading the store ({folder}): {len(stored)} agreements, "
        f"evaluating {months[0]} to {months[-1]}…",
        highlight=False,
    )
    try:
        store = load_store(folder, stored, months)
        partners = sorted({u.organisation for u in store.users if u.role is Role.PARTNER})
        last = months[-1]
        quarter = [f"{last[:4]}-Q{(int(last[5:]) - 1) // 3 + 1}"] if len(last) == 7 else []
        emails = _scheduled_reports(store, last)
        for report_period in quarter:
            generate_reports(store.services, report_period, [*partners, None])
    except ServiceError as exc:
        fail(f"the demo store cannot be loaded: {exc.message}")
    console.print(f"reports (HTML, PDF, CSV, JSON): {folder / 'reports'}", highlight=False)
    console.print(
        f"{last}'s reports generated as the worker does once a month closes; "
        f"{emails} report emails wait in the outbox (accord notifications list)",
        highlight=False,
    )
    for line in store.governance:
        console.print(f"governance: {escape(line)}", highlight=False)
    return store


def _scheduled_reports(store: DemoStore, month: str) -> int:
    """The month's reports as the worker generates them once its books close (per partner
    and the portfolio, recorded once, emailed through the outbox); how many emails."""
    scheduled = store.services.scheduled_reports
    worker = Principal.console("worker")
    generated = [
        scheduled.generate(worker, scope, period)
        for scope, period in scheduled.due(worker)
        if period == month
    ]
    return sum(report.emails for report in generated if report is not None)


def _print_sign_ins(store: DemoStore) -> None:
    table = Table(title="Demo sign-ins (passwords are new on every run)")
    for header in ("e-mail", "role", "organisation", "password"):
        table.add_column(header)
    for user in store.users:
        table.add_row(user.email, user.role.value, user.organisation, user.password)
    console.print(table)


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
            console.print(
                explain_verdict(evaluation.agreement, evaluation.record(breach)), markup=False
            )
            return


def register(app: typer.Typer) -> None:
    app.command()(demo)
