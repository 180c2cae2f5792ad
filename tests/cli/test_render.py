"""accord render: the agreement as HTML, Markdown or PDF, to stdout or a file."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()

PAYMENTS = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def test_html_goes_to_standard_output_by_default() -> None:
    result = runner.invoke(app, ["render", str(PAYMENTS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "Card payments API service level agreement" in result.stdout


def test_markdown_is_written_to_the_output_path_and_the_path_is_reported(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "payments.md"
    result = runner.invoke(app, ["render", str(PAYMENTS), "--format", "md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# Card payments API")
    assert f"wrote {target}" in result.stdout


def test_pdf_without_output_is_written_next_to_the_agreement(tmp_path: Path) -> None:
    agreement = tmp_path / "payments-api.yaml"
    shutil.copy(PAYMENTS, agreement)
    result = runner.invoke(app, ["render", str(agreement), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "payments-api.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert f"wrote {written}" in result.stdout


def test_invalid_agreement_prints_its_problems_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: accord/v1\nkind: Agreement\nmetadata: {id: x}\n")
    result = runner.invoke(app, ["render", str(broken)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{broken}:1:1: error: parties: missing required field 'parties'" in result.stderr


def test_missing_file_exits_1() -> None:
    result = runner.invoke(app, ["render", "no-such-agreement.yaml"])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_unwritable_output_is_a_clear_error_and_exits_1(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    target = blocker / "payments.html"
    result = runner.invoke(app, ["render", str(PAYMENTS), "-o", str(target)])
    assert result.exit_code == 1
    assert f"error: cannot write {target}" in result.stderr


def test_output_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(PAYMENTS), "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert f"cannot write {tmp_path}: it is a directory" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    assert runner.invoke(app, ["render", str(PAYMENTS), "--format", "docx"]).exit_code == 2
