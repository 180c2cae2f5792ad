"""``accord worker``: scheduled evaluation of the stored agreements, on the configured
database, every ``ACCORD_EVALUATION_MINUTES``; ``--once`` runs one tick and exits."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import EXIT_INVALID, console, err_console
from accord.cli.runtime import load_settings, open_services
from accord.worker import TickReport, Worker

__all__ = ["print_report", "register"]


def print_report(report: TickReport, *, quiet: bool = False) -> None:
    """Each job's outcome (failures to stderr); ``quiet`` leaves out jobs that recorded
    nothing and ticks that did nothing."""
    for item in report.done:
        if item.error is not None:
            err_console.print(f"[red]error[/red]: {escape(item.describe())}")
        elif item.run is not None or not quiet:
            console.print(f"worker: {item.describe()}", highlight=False, markup=False)
    if not quiet or report.recorded or report.failed:
        console.print(f"worker: {report.summary()}", highlight=False, markup=False)


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run one tick (every due job) and exit.")
    ] = False,
) -> None:
    """Evaluate every agreement on its cadence and re-evaluate on late data (Ctrl-C stops).

    Each tick evaluates the current month of each agreement, the month just closed once
    more, and any closed month that received late data; changes are recorded with their
    reason. Exit code 1 with --once when a job failed.
    """
    settings = load_settings()
    with open_services() as services:
        if once:
            report = Worker(
                services, settings.evaluation_cadence, checkpoint_dir=settings.checkpoint_dir
            ).tick()
            print_report(report)
            if report.failed:
                raise typer.Exit(EXIT_INVALID)
            return
        scheduled = Worker(
            services,
            settings.evaluation_cadence,
            on_tick=lambda report: print_report(report, quiet=True),
            checkpoint_dir=settings.checkpoint_dir,
        )
        minutes = settings.evaluation_cadence.total_seconds() / 60
        _run_until_stopped(
            scheduled, f"worker: evaluating every {minutes:g} minutes; data in {settings.data_dir}"
        )


def _run_until_stopped(scheduled: Worker, started: str) -> None:
    """Run the worker until SIGINT or SIGTERM, then stop it cleanly."""
    stopping = threading.Event()

    def _stop(_signal: int, _frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    scheduled.start()
    console.print(started, highlight=False)
    try:
        while not stopping.wait(timeout=1.0):
            pass
    finally:
        console.print("worker: stopping", highlight=False)
        scheduled.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def register(app: typer.Typer) -> None:
    app.command()(worker)
