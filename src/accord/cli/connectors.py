"""``accord connectors check``: can each source that a connector reads be read?"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.bootstrap import connection_store
from accord.cli.output import EXIT_INVALID, console, err_console, fail, valid_agreement
from accord.cli.runtime import configured_servers, load_settings
from accord.connectors.credentials import Connection, ConnectionError_, ConnectionStore, new_key
from accord.connectors.registry import connectors_for
from accord.core.model.sources import SourceFormat
from accord.services.evaluation import DataError

__all__ = ["register"]

connectors = typer.Typer(
    name="connectors",
    help="Check the sources that connectors read; keep the credentials of their servers.",
    no_args_is_help=True,
)
_OUTSIDE = (SourceFormat.PROMETHEUS, SourceFormat.EXPORT, SourceFormat.STATUS_FEED)


@connectors.command("check")
def check(
    agreement: Annotated[Path, typer.Argument(help="Agreement file (YAML).")],
    data: Annotated[
        Path, typer.Option("--data", help="Directory the sources' paths are under.")
    ] = Path(),
) -> None:
    """Ask every Prometheus server and read every ticket export the agreement names; exit 1
    when one cannot be read, saying why."""
    written = valid_agreement(agreement)
    readers = connectors_for(data, data / ".accord-cache", servers=configured_servers())
    failed = False
    for source in (s for s in written.sources if s.format in _OUTSIDE):
        try:
            console.print(f"[green]ok[/green] {escape(source.id)}: {escape(readers.check(source))}")
        except DataError as exc:
            failed = True
            err_console.print(f"[red]failed[/red] {escape(source.id)}: {escape(str(exc))}")
    if failed:
        raise typer.Exit(EXIT_INVALID)


@connectors.command("key")
def key() -> None:
    """Print a new key to encrypt connection secrets with: keep it outside the database and
    the data folder, and give it as ACCORD_SECRET_KEY or in ACCORD_SECRET_KEY_FILE."""
    typer.echo(new_key())


@connectors.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A name for the connection.")],
    url: Annotated[str, typer.Option("--url", help="The server, as sources name it.")],
    user: Annotated[
        str | None, typer.Option("--user", help="Basic authentication as this user.")
    ] = None,
    secret_env: Annotated[
        str | None,
        typer.Option(
            "--secret-env",
            help="Read the token (or, with --user, the password) from this environment "
            "variable; without it, it is asked for.",
        ),
    ] = None,
) -> None:
    """Keep how to sign in to a server: sources with its URL are read with it. The secret
    is stored encrypted (ACCORD_SECRET_KEY)."""
    if not re.match(r"^https?://[^\s/]+", url):
        fail(f"--url {url!r}: not an http(s) URL")
    if secret_env is not None:
        secret = os.environ.get(secret_env, "")
        if not secret:
            fail(f"--secret-env {secret_env}: the variable is not set or empty")
    else:
        secret = typer.prompt("password" if user else "token", hide_input=True)
    store = _store()
    try:
        store.add(Connection(name, url, secret, user))
    except ConnectionError_ as exc:
        fail(str(exc))
    console.print(f"kept {escape(Connection(name, url, secret, user).shown())} in {store.path}")


@connectors.command("list")
def list_connections() -> None:
    """The connections kept (never their secrets)."""
    try:
        found = _store().connections()
    except ConnectionError_ as exc:
        fail(str(exc))
    for connection in found:
        console.print(escape(connection.shown()))
    if not found:
        console.print("no connections")


@connectors.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The connection's name.")]) -> None:
    """Forget a connection."""
    try:
        removed = _store().remove(name)
    except ConnectionError_ as exc:
        fail(str(exc))
    if not removed:
        fail(f"no connection named {name!r}")
    console.print(f"removed {escape(name)}")


def _store() -> ConnectionStore:
    try:
        return connection_store(load_settings())
    except ConnectionError_ as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    app.add_typer(connectors)
