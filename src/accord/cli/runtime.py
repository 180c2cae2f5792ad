"""Opening the service from the command line: settings from the environment, the services
built and closed around one command, service refusals printed as errors (exit 1)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import typer

from accord.bootstrap import MigrationRefused, build, connection_store
from accord.cli.output import EXIT_INVALID, fail, print_problems
from accord.connectors.credentials import ConnectionError_
from accord.connectors.prometheus.client import Server
from accord.services.container import Services
from accord.services.errors import Invalid, ServiceError
from accord.settings import Settings, SettingsError

__all__ = ["build_services", "configured_servers", "load_settings", "open_services"]


def load_settings() -> Settings:
    try:
        return Settings.load()
    except SettingsError as exc:
        fail(str(exc))


def configured_servers() -> Mapping[str, Server]:
    """The servers of the connections configured in settings, credentials decrypted."""
    try:
        return connection_store(load_settings()).servers()
    except ConnectionError_ as exc:
        fail(str(exc))


def build_services(settings: Settings) -> Services:
    """The services over ``settings``, or an error saying why they cannot open (a credential
    that does not decrypt, a migration refused by the data it found), exit 1."""
    try:
        return build(settings)
    except (ConnectionError_, MigrationRefused) as exc:
        fail(str(exc))


@contextmanager
def open_services() -> Iterator[Services]:
    services = build_services(load_settings())
    try:
        yield services
    except Invalid as exc:
        if exc.problems:
            print_problems(exc.problems)
            raise typer.Exit(EXIT_INVALID) from None
        fail(exc.message)
    except ServiceError as exc:
        fail(exc.message)
    finally:
        services.close()
