"""accord deadlines (from files) and accord obligations (from the service)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"


def test_deadlines_lists_every_example_agreement() -> None:
    files = [str(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    result = runner.invoke(app, ["deadlines", *files, "--as-of", "2026-12-05", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {
        (item["agreement"], item["kind"]): item["last_day"] for item in json.loads(result.stdout)
    }
    assert len(found) == 2 * len(files)
    assert found["payments-api", "renewal_notice"] == "2027-10-02"
    assert found["logistics-carrier", "renewal_notice"] == "2027-10-31"


def test_deadlines_table_shows_the_last_day() -> None:
    result = runner.invoke(
        app, ["deadlines", str(EXAMPLES / "payments-api.yaml"), "--as-of", "2026-12-05"]
    )
    assert result.exit_code == 0, result.output
    assert "2027-10-02" in result.stdout
    assert "301" in result.stdout


def test_deadlines_of_a_bad_file_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: accord/v1\nkind: Agreement\n")
    result = runner.invoke(app, ["deadlines", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml" in result.stderr


def test_obligations_lists_the_stored_deadlines(payments_dir: Path) -> None:
    result = runner.invoke(app, ["obligations", "--format", "json"])
    assert result.exit_code == 0, result.output
    kinds = {item["kind"] for item in json.loads(result.stdout)}
    assert kinds == {"renewal_notice", "termination_notice"}
    result = runner.invoke(app, ["obligations", "--due-within", "7d"])
    assert result.exit_code == 0, result.output
    assert "no obligations match" in result.stdout


def test_obligations_rejects_a_horizon_without_a_fixed_length(payments_dir: Path) -> None:
    result = runner.invoke(app, ["obligations", "--due-within", "2 months"])
    assert result.exit_code == 1
    assert "--due-within" in result.stderr


def test_escalations_self_check_reports_a_rung_not_sent(payments_dir: Path) -> None:
    assert runner.invoke(app, ["escalations"]).stdout.strip() == "no escalations running late"
    opened = runner.invoke(
        app, ["incident", "open", "payments-api", "--title", "Down", "--severity", "sev1"]
    )
    assert opened.exit_code == 0, opened.output
    # The wall clock runs on: nothing is late yet, a fresh sev1 has 15 minutes.
    result = runner.invoke(app, ["escalations", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
