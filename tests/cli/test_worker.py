"""accord worker: scheduled evaluation on the configured database; --once runs one tick."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from accord.settings import sqlite_url
from tests.services.world import NOW, events, make_services, populate

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACCORD_CONFIG", raising=False)
    return folder


def test_once_on_an_empty_database_there_is_nothing_to_do(data_dir: Path) -> None:
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "worker: 0 jobs: 0 recorded, 0 failed" in result.stdout


def test_once_evaluates_every_agreement_and_a_second_time_records_nothing(
    data_dir: Path,
) -> None:
    services = make_services(data_dir, sqlite_url(data_dir), FixedClock(NOW))
    try:
        world = populate(services, FixedClock(NOW))
        services.ingestion.push(
            world.principal("partner@bravo.example"),
            PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(50)),
        )
    finally:
        services.close()
    first = runner.invoke(app, ["worker", "--once"])
    assert first.exit_code == 0, first.output
    assert "worker: acme-bravo " in first.stdout
    assert "verdict" in first.stdout
    assert "0 failed" in first.stdout
    again = runner.invoke(app, ["worker", "--once"])
    assert again.exit_code == 0, again.output
    assert "0 recorded, 0 failed" in again.stdout


def test_a_bad_setting_is_named_without_a_traceback(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_EVALUATION_MINUTES", "soon")
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 1
    assert "ACCORD_EVALUATION_MINUTES must be a whole number" in result.stderr


def test_the_worker_runs_until_it_is_told_to_stop(tmp_path: Path) -> None:
    environment = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path / "data")}
    environment.pop("ACCORD_DATABASE_URL", None)
    accord = Path(sys.executable).parent / "accord"
    worker = subprocess.Popen(
        [str(accord), "worker"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert worker.stdout is not None
        first = worker.stdout.readline()
        assert first.startswith("worker: evaluating every 15 minutes"), first
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert output.strip() == "worker: stopping"
