"""accord sample-data: writes the examples' data and says what it wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_the_files_written_are_listed_with_their_row_counts(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    shutil.copy(EXAMPLES / "payments-api.yaml", examples)
    out = tmp_path / "data"
    result = runner.invoke(
        app, ["sample-data", "--out", str(out), "--months", "1", "--examples", str(examples)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "payments" / "authorisations" / "2026-10.parquet").is_file()
    assert "payments/maintenance.csv" in result.stdout
    assert "authorisations" in result.stdout
    assert "accord evaluate" in result.stdout


def test_a_malformed_end_month_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample-data", "--out", str(tmp_path), "--end", "October"])
    assert result.exit_code == 1
    assert "YYYY-MM" in result.stderr


def test_a_folder_without_agreements_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sample-data", "--out", str(tmp_path / "data"), "--examples", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "no agreements" in result.stderr
