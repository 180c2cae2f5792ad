"""Commands that judge agreements against data: evaluate and explain."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from accord.bootstrap import file_evaluations
from accord.cli.output import EXIT_INVALID, console, err_console, fail, print_problems
from accord.cli.runtime import configured_servers
from accord.connectors.registry import connectors_for
from accord.core.documents import evaluation_document
from accord.core.evaluation import Evaluation
from accord.core.model.measurement import ValueKind
from accord.core.model.sources import SourceFormat
from accord.core.periods import PeriodError
from accord.core.records import CreditRecord
from accord.core.verdicts import Outcome, Verdict, show_seconds, show_value
from accord.core.versions import STRADDLE_RULE
from accord.reports.verdicts import burn_rates_text, evaluation_csv, explain_verdict
from accord.services.agreements import AgreementFileError, AgreementFiles
from accord.services.evaluation import BadRowPolicy, DataError, EvaluateCommand, VersionSeriesError
from accord.services.measuring import Measuring, MeasuringEngine, SparkUnavailable

__all__ = ["AgreementArg", "AsOfOpt", "DataOpt", "PeriodOpt", "register"]


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


_COLOURS = {
    Outcome.MET: "green",
    Outcome.DEVIATION: "yellow",
    Outcome.BREACH: "red",
    Outcome.NO_DATA: "magenta",
    Outcome.INSUFFICIENT_DATA: "magenta",
}
_STATUS_COLOURS = {"on time": "green", "late": "red", "overdue": "red", "open": "yellow"}

AgreementArg = Annotated[Path, typer.Argument(help="Agreement file (YAML).")]
LaterVersionsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Later versions of the same agreement, each with metadata.effective: every window "
        "is judged by the version in force at its start.",
        show_default=False,
    ),
]
DataOpt = Annotated[
    Path,
    typer.Option(
        "--data",
        help="Directory the sources' paths are under (what connectors read, Prometheus pages "
        "and ticket exports, is kept in its .accord-cache folder).",
    ),
]
PeriodOpt = Annotated[
    str, typer.Option("--period", help="Period: 2026-10, 2026-Q4, 2026-W44, 2026 or 2026-10-15.")
]
AsOfOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        help="Evaluate as of this instant (ISO 8601 with offset); default now or period end.",
        formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d"],
    ),
]
RecordsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--records",
        help="SOURCE=FILE: the rows of a recorded source (the incidents or obligations the "
        "service keeps), exported as CSV or JSON lines by 'accord records' (repeatable). "
        "Without it a recorded source has no rows here.",
    ),
]
PolicyOpt = Annotated[
    BadRowPolicy,
    typer.Option("--on-bad-rows", help="reject: stop on bad rows; quarantine: set them aside."),
]


def _run(command: EvaluateCommand) -> Evaluation:
    """Evaluate with a progress bar on stderr (shown only on a terminal): pages fetched from
    Prometheus first, then objectives and windows measured."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("evaluating", total=None)

        def advance(done: int, total: int, what: str) -> None:
            progress.update(task, completed=done, total=total, description=what)

        fetcher = connectors_for(
            command.data_dir,
            command.data_dir / ".accord-cache",
            servers=configured_servers(),
            progress=advance,
        )
        return _evaluate(replace(command, progress=advance, fetcher=fetcher))


def _evaluate(command: EvaluateCommand) -> Evaluation:
    try:
        return file_evaluations().evaluate(command)
    except AgreementFileError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except (PeriodError, DataError, SparkUnavailable, VersionSeriesError) as exc:
        fail(str(exc))


def _recorded_files(records: list[str] | None) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for item in records or []:
        source, sep, path = item.partition("=")
        if not sep or not source.strip() or not path.strip():
            fail(f"--records {item!r}: write SOURCE=FILE, e.g. incident-records=incidents.csv")
        found.setdefault(source.strip(), []).append(Path(path.strip()))
    return found


def _command(
    agreement: Path,
    data: Path,
    period: str,
    as_of: dt.datetime | None,
    records: list[str] | None = None,
) -> EvaluateCommand:
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=dt.UTC)
    return EvaluateCommand(
        agreement=agreement,
        data_dir=data,
        period=period,
        now=dt.datetime.now(dt.UTC),
        as_of=as_of,
        recorded_files=_recorded_files(records),
    )


def _say_recorded_without_rows(evaluation: Evaluation, given: Iterable[str]) -> None:
    """A recorded source read without exported rows has none here: say so, and how to give
    them, rather than let its objectives' "no data" speak for itself."""
    agreement = evaluation.agreement
    read = {report.source for report in evaluation.sources}
    for source in agreement.sources:
        if (
            source.format is not SourceFormat.RECORDED
            or source.id in given
            or source.id not in read
        ):
            continue
        indicators = {i.id for i in agreement.indicators if i.source == source.id}
        objectives = [o.id for o in agreement.objectives if o.indicator in indicators]
        err_console.print(
            f"note: source {source.id!r} is recorded by the Accord service ({source.kind.value} "
            "it keeps); a file evaluation has no rows for it, so "
            f"{', '.join(objectives) or 'its objectives'} have no data here. Judge them in the "
            f"service, or give its rows: accord records {agreement.metadata.id} {source.id} "
            f"-o {source.id}.csv, then --records {source.id}={source.id}.csv",
            highlight=False,
        )


def evaluate(
    agreement: AgreementArg,
    data: DataOpt,
    period: PeriodOpt,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    as_of: AsOfOpt = None,
    on_bad_rows: PolicyOpt = BadRowPolicy.QUARANTINE,
    quarantine: Annotated[
        Path | None, typer.Option("--quarantine", help="Folder for rejected rows (CSV per source).")
    ] = None,
    engine: Annotated[
        MeasuringEngine,
        typer.Option(
            "--engine",
            help="Measure on duckdb (in process) or spark (the same statements as Spark SQL; "
            "needs 'accord[spark]' and Java 17+).",
        ),
    ] = MeasuringEngine.DUCKDB,
    spark_master: Annotated[
        str, typer.Option("--spark-master", help="Spark's master URL with --engine spark.")
    ] = "local[*]",
    items: Annotated[
        bool,
        typer.Option(
            "--items",
            help="Also list the items behind the verdicts: each ticket with its due instant, "
            "business time and on-time/late; the bad slices of time-slice objectives; the "
            "worst hours (local time) of occurrence objectives.",
        ),
    ] = False,
    records: RecordsOpt = None,
    later_versions: LaterVersionsArg = None,
) -> None:
    """Judge every objective over the period: verdicts, error budgets and credits."""
    if items and engine is not MeasuringEngine.DUCKDB:
        fail("--items lists the items with the duckdb engine only; leave out --engine spark")
    command = replace(
        _command(agreement, data, period, as_of, records),
        items=items,
        later_versions=tuple(later_versions or ()),
        policy=on_bad_rows,
        quarantine_dir=quarantine or (output.parent if output else Path.cwd()) / "quarantine",
        measuring=Measuring(engine, spark_master),
    )
    evaluation = _run(command)
    _say_recorded_without_rows(evaluation, command.recorded_files)
    if output_format is OutputFormat.TABLE and output is None:
        _print_table(evaluation)
        if later_versions:
            _print_versions(evaluation, (agreement, *later_versions))
        return
    found = evaluation_document(evaluation)
    if later_versions:
        found["versions_in_force"] = _versions(evaluation, (agreement, *later_versions))
    text = (
        evaluation_csv(evaluation)
        if output_format is OutputFormat.CSV
        else json.dumps(found, indent=2)
    )
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    console.print(f"wrote {len(evaluation.verdicts)} verdicts to {output}")


def _print_table(evaluation: Evaluation) -> None:
    agreement = evaluation.agreement
    title = f"{agreement.metadata.title} (v{agreement.metadata.version})"
    table = Table(title=f"{title} — {evaluation.period.label}")
    for header in (
        "objective",
        "scope",
        "window",
        "value",
        "target",
        "tolerance",
        "outcome",
        "coverage",
        "credit",
    ):
        table.add_column(header, overflow="fold")
    for verdict in evaluation.verdicts:
        credit = evaluation.credit_for(verdict)
        colour = _COLOURS[verdict.outcome]
        table.add_row(
            verdict.objective,
            verdict.scope_label,
            verdict.window.label,
            verdict.show(verdict.value),
            verdict.show(verdict.target),
            verdict.show(verdict.tolerance),
            f"[{colour}]{_outcome_text(verdict, evaluation.as_of)}[/{colour}]",
            _coverage_text(verdict),
            str(credit.amount) if credit else "",
        )
    console.print(table)
    _print_windows(evaluation)
    _print_findings(evaluation)
    _print_items(evaluation)


def _print_items(evaluation: Evaluation) -> None:
    _print_tickets(evaluation)
    _print_slices(evaluation)
    _print_hours(evaluation)


def _print_tickets(evaluation: Evaluation) -> None:
    if evaluation.tickets:
        tickets = Table(title="Tickets")
        for header in ("objective", "scope", "window", "ticket", "start", "due", "end"):
            tickets.add_column(header, overflow="fold")
        tickets.add_column("business time", overflow="fold")
        tickets.add_column("status", overflow="fold")
        for t in evaluation.tickets:
            colour = _STATUS_COLOURS.get(t.status, "default")
            tickets.add_row(
                t.objective,
                t.scope,
                t.window,
                t.key,
                t.start_at.isoformat(),
                t.due_at.isoformat() if t.due_at else "—",
                t.end_at.isoformat() if t.end_at else "open",
                show_seconds(t.business_seconds, business=True),
                f"[{colour}]{t.status}[/{colour}]",
            )
        console.print(tickets)


def _print_slices(evaluation: Evaluation) -> None:
    if evaluation.slices:
        slices = Table(title="Bad slices")
        for header in ("objective", "scope", "window", "start", "end", "events", "good", "why"):
            slices.add_column(header, overflow="fold")
        for s in evaluation.slices:
            slices.add_row(
                s.objective,
                s.scope,
                s.window,
                s.start_at.isoformat(),
                s.end_at.isoformat(),
                f"{s.events:,}",
                "—" if s.good is None else f"{s.good:,}",
                s.reason,
            )
        console.print(slices)


def _print_hours(evaluation: Evaluation) -> None:
    if evaluation.hours:
        hours = Table(title="Worst hours")
        for header in ("objective", "scope", "window", "hour", "bad", "valid", "bad share"):
            hours.add_column(header, overflow="fold")
        for h in evaluation.hours:
            hours.add_row(
                h.objective,
                h.scope,
                h.window,
                h.hour.isoformat(),
                f"{h.bad:,}",
                f"{h.valid:,}",
                show_value(Decimal(h.bad) / h.valid, ValueKind.RATIO),
            )
        console.print(hours)


def _outcome_text(verdict: Verdict, as_of: dt.datetime) -> str:
    if as_of <= verdict.window.start_at:
        return "not started"
    if verdict.counts_as is not None:
        return f"{verdict.outcome.value} (counts as {verdict.counts_as.value})"
    return verdict.outcome.value


def _coverage_text(verdict: Verdict) -> str:
    shown = show_value(verdict.coverage.ratio, ValueKind.RATIO)
    minimum = verdict.coverage.minimum
    if minimum is not None and verdict.coverage.ratio < minimum:
        return f"{shown} (min {show_value(minimum, ValueKind.RATIO)})"
    return shown


def _print_windows(evaluation: Evaluation) -> None:
    """Windows that have not started or are still open, said in words under the table."""
    as_of = evaluation.as_of
    period = evaluation.period
    if as_of <= period.start_at:
        console.print(
            f"[magenta]period {period.label} lies entirely in the future (as of "
            f"{as_of.isoformat()}): no window has started, nothing is judged yet[/magenta]",
            highlight=False,
        )
        return
    windows = {v.window.label: v.window for v in evaluation.verdicts}
    for label, window in sorted(windows.items()):
        if as_of <= window.start_at:
            console.print(
                f"[magenta]window {label} has not started (it starts "
                f"{window.start_at.isoformat()}; as of {as_of.isoformat()})[/magenta]",
                highlight=False,
            )
        elif as_of < window.end_at:
            console.print(
                f"window {label} is still open: measured up to {as_of.isoformat()}",
                highlight=False,
            )


def _versions(evaluation: Evaluation, files: tuple[Path, ...]) -> dict[str, Any]:
    """Which file judged which windows, and the rule for a window that straddles a change."""
    series = AgreementFiles().versions(files[0], files[1:])
    judged: dict[str, set[str]] = {}
    for verdict in evaluation.verdicts:
        judged.setdefault(verdict.agreement_version, set()).add(verdict.window.label)
    return {
        "rule": STRADDLE_RULE,
        "versions": [
            {
                "file": str(files[span.number - 1]),
                "version": agreement.metadata.version,
                "version_hash": agreement.version_hash(),
                "effective_at": None
                if span.number == 1 and agreement.effective_at() is None
                else span.effective_at.isoformat(),
                "windows": sorted(judged.get(agreement.version_hash(), ())),
            }
            for span, agreement in sorted(series.items())
        ],
    }


def _print_versions(evaluation: Evaluation, files: tuple[Path, ...]) -> None:
    found = _versions(evaluation, files)
    for version in found["versions"]:
        since = version["effective_at"] or "the start"
        windows = ", ".join(version["windows"]) or "none"
        console.print(
            f"version {version['version']} ({version['file']}, in force from {since}) "
            f"judged: {windows}",
            markup=False,
        )
    console.print(f"rule: {found['rule']}", markup=False)


def _print_findings(evaluation: Evaluation) -> None:
    for verdict in evaluation.verdicts:
        budget = evaluation.record(verdict).budget
        if budget is None or not budget.burn_rates:
            continue
        fired = f"; [red]{len(budget.alerts)} alert(s)[/red]" if budget.alerts else "; no alert"
        console.print(
            f"burn {verdict.objective} ({verdict.scope_label}) {verdict.window.label}: "
            f"{burn_rates_text(budget)}{fired}",
            highlight=False,
        )
        for alert in budget.alerts:
            console.print(f"  [red]{alert}[/red]", highlight=False)
    for owed in evaluation.credits:
        console.print(
            f"credit {owed.window}: [bold]{owed.credit.amount}[/bold] — "
            f"{CreditRecord.of(owed.credit).rule}; "
            f"claim by {owed.credit.claim_deadline}"
        )
    for finding in evaluation.chronic:
        state = "[red]TRIGGERED[/red]" if finding.triggered else "not triggered"
        console.print(
            f"chronic {finding.clause}: {state} — {len(finding.breached_windows)} breach window(s) "
            f"in the last {len(finding.looked_at)}; consequence: {finding.consequence}"
        )
    for item in evaluation.consistency:
        console.print(
            f"consistency {item.objective} {item.window} across {item.across}: "
            f"{item.outcome.value} (worst {item.worst_scope}, best {item.best_scope})"
        )
    for compared in evaluation.downtime:
        console.print(
            f"downtime {compared.objective} {compared.window} {compared.scope}: {compared.note()}"
        )
    for report in evaluation.sources:
        if report.rows_rejected:
            console.print(
                f"[yellow]source {report.source}: {report.rows_rejected:,} of "
                f"{report.rows_read:,} rows set aside[/yellow] → {report.quarantine_path}"
            )


def explain(
    agreement: AgreementArg,
    data: DataOpt,
    period: PeriodOpt,
    objective: Annotated[str, typer.Option("--objective", help="Objective id.")],
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="Scope value, e.g. region=eu (repeatable).")
    ] = None,
    window: Annotated[
        str | None, typer.Option("--window", help="Window label, e.g. 2026-10.")
    ] = None,
    as_of: AsOfOpt = None,
    records: RecordsOpt = None,
) -> None:
    """Explain one verdict in plain language, with every number behind it."""
    command = _command(agreement, data, period, as_of, records)
    evaluation = _run(command)
    _say_recorded_without_rows(evaluation, command.recorded_files)
    objectives = [o.id for o in evaluation.agreement.objectives]
    if objective not in objectives:
        fail(f"no objective {objective!r} in the agreement; objectives: {', '.join(objectives)}")
    wanted = dict(item.split("=", 1) for item in scope or [] if "=" in item)
    matches = [
        v
        for v in evaluation.verdicts
        if v.objective == objective
        and all(v.scope.get(k) == value for k, value in wanted.items())
        and (window is None or v.window.label == window)
    ]
    if not matches:
        known = sorted(
            {f"{v.objective} [{v.scope_label}] {v.window.label}" for v in evaluation.verdicts}
        )
        fail(f"no verdict matches; verdicts: {'; '.join(known)}")
    for verdict in matches:
        console.print(
            explain_verdict(evaluation.agreement, evaluation.record(verdict)), markup=False
        )
        console.print()


def register(app: typer.Typer) -> None:
    app.command()(evaluate)
    app.command()(explain)
