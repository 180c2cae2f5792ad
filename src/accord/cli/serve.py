"""``accord serve``: the API on the configured database (embedded SQLite by default)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Annotated

import typer
import uvicorn

from accord.cli.output import console
from accord.cli.runtime import build_services, load_settings
from accord.cli.worker import print_report
from accord.server.app import create_app, settle_heap
from accord.worker import Worker

__all__ = ["register"]


def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Interface to listen on (ACCORD_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port (ACCORD_PORT).")
    ] = None,
) -> None:
    """Serve the HTTP API (/api/v1, /openapi.json, /healthz); data under ACCORD_DATA_DIR.

    The scheduled evaluation runs in the same process unless ACCORD_WORKER=off (then run
    accord worker beside it); it stops when the server stops.
    """
    settings = load_settings()
    services = build_services(settings)
    console.print(f"data in {settings.data_dir}", highlight=False)
    worker = None
    if settings.worker:
        worker = Worker(
            services,
            settings.evaluation_cadence,
            on_tick=lambda report: print_report(report, quiet=True),
            checkpoint_dir=settings.checkpoint_dir,
        )
        worker.start()
        minutes = settings.evaluation_cadence.total_seconds() / 60
        console.print(f"worker: evaluating every {minutes:g} minutes", highlight=False)
    try:
        with _signals_noted():
            app = create_app(services)
            settle_heap()
            uvicorn.run(
                app,
                host=host or settings.host,
                port=port or settings.port,
                log_level="info",
            )
    finally:
        if worker is not None:
            worker.stop()
            console.print("worker: stopped", highlight=False)
        services.close()


def _note(_signal: int, _frame: FrameType | None) -> None:
    """A stop signal arrived; uvicorn has shut down already, the caller cleans up."""


@contextmanager
def _signals_noted() -> Iterator[None]:
    """uvicorn handles SIGINT and SIGTERM itself and, once it has shut down, raises the
    signal again: noted here rather than fatal, so the worker and the database still close."""
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.signal(stop, _note) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def register(app: typer.Typer) -> None:
    app.command()(serve)
