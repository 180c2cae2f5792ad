"""The accord command: version, help, exit codes, and commands loaded only when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from accord import __version__
from accord.cli.main import _COMMANDS, _commands_of, app

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"

runner = CliRunner()


def test_version_is_printed() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"accord {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_every_command_has_help() -> None:
    names = typer.main.get_command(app).list_commands(None)  # the same in every context
    assert {"validate", "evaluate", "explain", "serve", "admin", "worker"} <= set(names)
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage" in result.output


def test_every_command_a_module_registers_is_listed_with_that_module() -> None:
    for module in set(_COMMANDS.values()):
        for name in _commands_of(module):
            assert _COMMANDS.get(name) == module, name


def test_a_file_command_loads_neither_the_server_nor_the_database_layer() -> None:
    probe = (
        "import sys\n"
        "from accord.cli.main import app\n"
        "from typer.testing import CliRunner\n"
        f"result = CliRunner().invoke(app, ['validate', {str(EXAMPLE)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "heavy = ('fastapi', 'sqlalchemy', 'alembic', 'apscheduler', 'uvicorn', 'weasyprint')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
