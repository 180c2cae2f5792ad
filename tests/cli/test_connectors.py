"""accord connectors check, and accord evaluate reading sources through connectors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from tests.connectors.tickets.test_connector import FILES, HEAD, MEASURES, sources_yaml

runner = CliRunner()


def _agreement(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "support.yaml"
    export = (
        f"format: export\n    path: {FILES / 'zendesk'}\n"
        "    export: {system: zendesk, layout: json}"
    )
    path.write_text(
        HEAD + sources_yaml(export, export) + extra + MEASURES.format(paused="pending"),
        encoding="utf-8",
    )
    return path


def test_check_reports_what_each_connector_reads(tmp_path: Path) -> None:
    result = runner.invoke(app, ["connectors", "check", str(_agreement(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "ok tickets: 6 rows from the zendesk export" in result.output
    assert "ok ticket-status: 15 rows from the zendesk export" in result.output


def test_check_fails_naming_an_unreachable_server(tmp_path: Path) -> None:
    prometheus = """
  - id: requests
    kind: events
    format: prometheus
    prometheus: {url: 'http://127.0.0.1:9', events: http_requests_total}
    timestamp: at
    columns:
      at: {column: __time__, type: timestamp}
"""
    path = _agreement(tmp_path)
    text = path.read_text(encoding="utf-8").replace("\nindicators:", prometheus + "indicators:", 1)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["connectors", "check", str(path)])
    assert result.exit_code == 1
    assert "failed requests: source 'requests': cannot reach http://127.0.0.1:9" in result.output


def test_evaluate_reads_a_zendesk_export(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(_agreement(tmp_path)),
            "--data",
            str(tmp_path),
            "--period",
            "2026-10",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    verdicts = {v["objective"]: v for v in json.loads(result.stdout)["verdicts"]}
    assert verdicts["resolution"]["counts"] == {"good": 4, "valid": 6, "open": 0, "overdue": 1}
