"""The docs command writes the language reference to stdout or a file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.reports.language_doc import language_reference

runner = CliRunner()


def test_docs_language_prints_the_reference() -> None:
    result = runner.invoke(app, ["docs", "language"])
    assert result.exit_code == 0
    assert result.stdout == language_reference()


def test_docs_language_writes_the_reference_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "language.md"
    result = runner.invoke(app, ["docs", "language", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == language_reference()


def test_docs_language_into_a_directory_fails_with_exit_code_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["docs", "language", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def test_docs_language_has_help() -> None:
    result = runner.invoke(app, ["docs", "language", "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
