"""The main job: documents, sample data and explained verdicts from one command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_demo_renders_generates_and_evaluates_an_example(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    shutil.copy(EXAMPLES / "payments-api.yaml", examples)
    out = tmp_path / "out"

    result = CliRunner().invoke(
        app, ["demo", "--out", str(out), "--examples", str(examples), "--period", "2026-10"]
    )

    assert result.exit_code == 0, result.output
    for suffix in ("html", "md", "pdf"):
        assert (out / "documents" / f"payments-api.{suffix}").stat().st_size > 0
    verdicts = json.loads((out / "verdicts" / "payments-api.json").read_text())
    assert verdicts["format"] == "accord.verdicts/v1"
    outcomes = {v["outcome"] for v in verdicts["verdicts"]}
    assert "deviation" in outcomes
    assert verdicts["credits"], "the October story includes a credit"
    assert "Verdicts for 2026-10" in result.output


def test_demo_fails_clearly_without_agreements(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--examples", str(tmp_path)])
    assert result.exit_code == 1
    assert "no agreements" in result.output
