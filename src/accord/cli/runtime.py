"""Opening the service from the command line: settings from the environment, the services
built and closed around one command, service refusals printed as errors (exit 1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from accord.bootstrap import build
from accord.cli.output import EXIT_INVALID, fail, print_problems
from accord.services.container import Services
from accord.services.errors import Invalid, ServiceError
from accord.settings import Settings, SettingsError

__all__ = ["load_settings", "open_services"]


def load_settings() -> Settings:
    try:
        return Settings.load()
    except SettingsError as exc:
        fail(str(exc))


@contextmanager
def open_services() -> Iterator[Services]:
    services = build(load_settings())
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
