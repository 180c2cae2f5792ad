"""accord import openslo|sloth and accord export openslo: files in, files out, notes on
stderr, exit 1 with the place of the problem."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
FILES = Path(__file__).parents[1] / "connectors" / "openslo" / "files"
PAYMENTS = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def test_import_openslo_writes_an_agreement_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "checkout.yaml"
    result = runner.invoke(
        app, ["import", "openslo", str(FILES / "checkout.yaml"), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "note: " in result.output
    assert "AlertPolicy fast-burn: not carried" in result.output
    checked = runner.invoke(app, ["validate", str(target)])
    assert checked.exit_code == 0, checked.output


def test_import_sloth_prints_the_agreement(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", "sloth", str(FILES / "sloth.yaml"), "--url", "http://127.0.0.1:9090"]
    )
    assert result.exit_code == 0, result.output
    assert "id: requests-availability" in result.stdout


def test_export_openslo_prints_slos_and_notes_what_it_left_out() -> None:
    result = runner.invoke(app, ["export", "openslo", str(PAYMENTS)])
    assert result.exit_code == 0, result.output
    assert "kind: SLO" in result.stdout
    assert "accord/tolerance" in result.stdout
    assert "service credits and chronic-failure clauses have no OpenSLO form" in result.output


def test_a_bad_file_exits_1_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: openslo/v1\nkind: Widget\nmetadata: {name: w}\n", "utf-8")
    result = runner.invoke(app, ["import", "openslo", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml:1: unknown OpenSLO kind 'Widget'" in result.output
