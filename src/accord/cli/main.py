"""The ``accord`` Typer application: one module per command group registers its commands.

Exit codes: 0 ok, 1 invalid input, 2 usage error (Typer's own).
"""

from __future__ import annotations

import functools
import importlib
from typing import Annotated, Any, Final

import typer
from typer.core import TyperGroup

from accord import __version__

__all__ = ["app", "run"]

#: Each command and the module whose ``register`` adds it, in the order help lists them. A
#: module is imported only when one of its commands runs (or help lists them), so that
#: ``accord validate`` does not first load the web server, the database layer and the PDF
#: renderer (about 2 s of imports on every command otherwise).
_COMMANDS: Final = {
    "validate": "agreements",
    "schema": "agreements",
    "in-force": "agreements",
    "render": "render",
    "evaluate": "evaluate",
    "import": "interchange",
    "export": "interchange",
    "connectors": "connectors",
    "explain": "evaluate",
    "records": "records",
    "docs": "docs",
    "diff": "diff",
    "sample-data": "sample",
    "serve": "serve",
    "admin": "admin",
    "audit": "audit",
    "backup": "backup",
    "restore": "backup",
    "ledger": "ledger",
    "compliance": "compliance",
    "renewal": "renewal",
    "retention": "retention",
    "review": "review",
    "demo": "demo",
    "report": "report",
    "evidence": "evidence",
    "worker": "worker",
    "deadlines": "obligations",
    "obligations": "obligations",
    "escalations": "obligations",
    "notifications": "notifications",
    "incident": "incidents",
    "action": "incident_reviews",
    "amend": "amend",
    "dispute": "dispute",
}


# Typer vendors Click privately (``typer._click``), so its contexts and commands are typed
# ``Any`` here rather than named through a private module.
@functools.cache
def _commands_of(module: str) -> dict[str, Any]:
    """The commands a module registers, built as Typer builds them."""
    holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    holder.callback()(lambda: None)  # a group even when the module adds one command
    importlib.import_module(f"accord.cli.{module}").register(holder)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


class _LazyCommands(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = _COMMANDS.get(cmd_name)
        return None if module is None else _commands_of(module).get(cmd_name)


app = typer.Typer(
    name="accord",
    help="Accord: service level agreements with partners, written as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_LazyCommands,
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


def run() -> None:
    """Console-script entry point."""
    app()
