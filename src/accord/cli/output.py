"""Shared console output for CLI commands: problems, errors, exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from accord.core.model import Agreement
from accord.core.problems import Problem
from accord.services.agreements import AgreementFileError, AgreementFiles

__all__ = [
    "EXIT_INVALID",
    "Format",
    "FormatOpt",
    "JsonAliasOpt",
    "console",
    "emit",
    "err_console",
    "fail",
    "format_of",
    "print_problems",
    "valid_agreement",
]

EXIT_INVALID = 1


class Format(StrEnum):
    """How a command that lists stored things prints them."""

    TABLE = "table"
    JSON = "json"


FormatOpt = Annotated[Format, typer.Option("--format", help="table or json.")]
#: ``--json``, the governance commands' spelling of ``--format json`` before they took
#: ``--format`` like the other commands: hidden, kept so that scripts written for it work.
JsonAliasOpt = Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")]


def format_of(output: Format, as_json: bool) -> Format:
    """The format chosen by ``--format`` or its old spelling ``--json``."""
    return Format.JSON if as_json else output


# Piped output (CI logs, files) gets room for tables instead of the 80-column default.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_problems(problems: Iterable[Problem], *, as_json: bool = False) -> None:
    """Problems to stderr, one per line with its hint below (or as JSON lines to stdout)."""
    for problem in problems:
        if as_json:
            typer.echo(json.dumps(problem.to_dict()))
            continue
        colour = "red" if problem.severity == "error" else "yellow"
        err_console.print(
            f"{escape(problem.file)}:{problem.line}:{problem.column}: "
            f"[{colour}]{problem.severity}[/{colour}]: [bold]{escape(problem.path)}[/bold]: "
            f"{escape(problem.message)}"
        )
        if problem.hint:
            err_console.print(f"    hint: {escape(problem.hint)}", style="dim")


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print an error to stderr and exit with the given code."""
    err_console.print(f"[red]error[/red]: {escape(message)}")
    raise typer.Exit(code)


def valid_agreement(path: Path) -> Agreement:
    """The agreement in the file, or its problems printed and exit code 1."""
    try:
        loaded = AgreementFiles().load_valid(path)
    except AgreementFileError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    assert loaded.agreement is not None
    return loaded.agreement


def emit(text: str, output: Path | None, wrote: str) -> None:
    """The text to stdout, or to ``output`` and then ``wrote`` (what was written) to the
    console; an unwritable file is a clear error."""
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    console.print(wrote)
