"""The ``accord`` Typer application: one module per command group registers its commands.

Exit codes: 0 ok, 1 invalid input, 2 usage error (Typer's own).
"""

from __future__ import annotations

from typing import Annotated

import typer

from accord import __version__
from accord.cli import (
    admin,
    agreements,
    audit,
    demo,
    diff,
    docs,
    evaluate,
    evidence,
    render,
    sample,
    serve,
    worker,
)

__all__ = ["app", "run"]

app = typer.Typer(
    name="accord",
    help="Accord: service level agreements with partners, written as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"accord {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Accord: service level agreements with partners, written as code."""


agreements.register(app)
render.register(app)
evaluate.register(app)
docs.register(app)
diff.register(app)
sample.register(app)
serve.register(app)
admin.register(app)
audit.register(app)
demo.register(app)
evidence.register(app)
worker.register(app)


def run() -> None:
    """Console-script entry point."""
    app()
