"""The main job: documents, sample data and explained verdicts from one command."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord.cli.demo
from accord.bootstrap import build
from accord.cli.main import app
from accord.core.model import Agreement
from accord.demo.base import SampleOptions, WrittenFile
from accord.demo.generate import write_sample_data
from accord.server.app import create_app
from accord.services.container import Services
from accord.services.permissions import Principal
from accord.settings import Settings
from tests.server.conftest import TestClient

EXAMPLES = Path(__file__).parents[2] / "examples"
#: The share of the demo's volume written here: the story (a deviation, a credit) holds at
#: any volume (tests/demo/test_generate.py tells it at a fifth), and six months of every
#: request at full volume made this the suite's slowest test by far.
TEST_VOLUME = 0.2


def _smaller_sample_data(monkeypatch: pytest.MonkeyPatch) -> list[SampleOptions]:
    """The sample data the demo asks for, written at ``TEST_VOLUME`` of its volume; the
    options it asked for, to check they are the demo's own (every default)."""
    asked: list[SampleOptions] = []

    def write(agreement: Agreement, out: Path, options: SampleOptions) -> list[WrittenFile]:
        asked.append(options)
        smaller = dataclasses.replace(options, volume=options.volume * TEST_VOLUME)
        return write_sample_data(agreement, out, smaller)

    monkeypatch.setattr(accord.cli.demo, "write_sample_data", write)
    return asked


def test_demo_renders_generates_and_evaluates_an_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _smaller_sample_data(monkeypatch)
    examples = tmp_path / "examples"
    examples.mkdir()
    shutil.copy(EXAMPLES / "payments-api.yaml", examples)
    out = tmp_path / "out"

    result = CliRunner().invoke(
        app,
        ["demo", "--out", str(out), "--examples", str(examples), "--period", "2026-10"],
        env={"ACCORD_DEMO_SERVE": "0"},
    )

    assert result.exit_code == 0, result.output
    assert asked == [SampleOptions()], "six months at full volume, seed 1, with bad rows"
    for suffix in ("html", "md", "pdf"):
        assert (out / "documents" / f"payments-api.{suffix}").stat().st_size > 0
    verdicts = json.loads((out / "verdicts" / "payments-api.json").read_text())
    assert verdicts["format"] == "accord.verdicts/v2"
    outcomes = {v["outcome"] for v in verdicts["verdicts"]}
    assert "deviation" in outcomes
    assert verdicts["credits"], "the October story includes a credit"
    assert "Verdicts for 2026-10" in result.output
    _signs_in_to_the_demo_store(out, result.output)


def _signs_in_to_the_demo_store(out: Path, output: str) -> None:
    """The printed manager password opens the web app on the store, which holds the
    agreement judged for six months; the partner sees its agreement too."""
    passwords = dict(re.findall(r"(\S+@\S+\.example)\s.*?\s(\S+)\s*│?\n", output))
    assert set(passwords) >= {"manager@acme.example", "partner@payco.example"}
    services = build(Settings.for_data_dir(out / "store"))
    try:
        with TestClient(create_app(services)) as client:
            form = client.get("/sign-in").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token is not None
            signed_in = client.post(
                "/sign-in",
                data={
                    "email": "manager@acme.example",
                    "password": passwords["manager@acme.example"],
                    "csrf_token": token.group(1),
                },
            )
            assert signed_in.status_code == 200, signed_in.text
            assert "payments-api" in signed_in.text
            page = client.get("/agreements/payments-api")
            assert page.text.count("2026-0") >= 5  # May to September charted, October too
            verdict = re.search(r'href="(/agreements/payments-api/verdicts/\d+)"', page.text)
            assert verdict is not None
            bundle = client.get(f"{verdict.group(1)}/evidence.zip")
            assert bundle.status_code == 200, bundle.text[:500]
            names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
            assert {"agreement.yaml", "verdict.json", "manifest.json"} <= set(names)
        _keeps_october_s_reports_as_the_worker_does(services)
    finally:
        services.close()


def _keeps_october_s_reports_as_the_worker_does(services: Services) -> None:
    """October's reports were generated once, as after its close; none is due again."""
    console = Principal.console()
    kept = {(r.scope, r.period): r.generated_by for r in services.reports.stored(console)}
    assert kept[("payco", "2026-10")] == kept[("portfolio", "2026-10")] == "worker"
    assert ("payco", "2026-10") not in services.scheduled_reports.due(console)


def test_demo_fails_clearly_without_agreements(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--examples", str(tmp_path)])
    assert result.exit_code == 1
    assert "no agreements" in result.output


def test_demo_refuses_a_bad_period_before_writing_anything(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    shutil.copy(EXAMPLES / "payments-api.yaml", examples)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["demo", "--out", str(out), "--examples", str(examples), "--period", "2026-13"],
        env={"ACCORD_DEMO_SERVE": "0"},
    )
    assert result.exit_code == 1
    assert "'2026-13' is not a period" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()
