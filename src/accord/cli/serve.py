"""``accord serve``: the API on the configured database (embedded SQLite by default)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from accord.bootstrap import build
from accord.cli.output import console
from accord.cli.runtime import load_settings
from accord.server.app import create_app

__all__ = ["register"]


def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Interface to listen on (ACCORD_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port (ACCORD_PORT).")
    ] = None,
) -> None:
    """Serve the HTTP API (/api/v1, /openapi.json, /healthz); data under ACCORD_DATA_DIR."""
    settings = load_settings()
    services = build(settings)
    console.print(f"data in {settings.data_dir}", highlight=False)
    try:
        uvicorn.run(
            create_app(services),
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
        )
    finally:
        services.close()


def register(app: typer.Typer) -> None:
    app.command()(serve)
