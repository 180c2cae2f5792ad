"""accord ledger: the operator lists credits with totals, exports them and moves one on.

The commands read the real clock: October 2026's claim deadline (1 December 2026) has passed,
so its unclaimed credit reads expired and can no longer be claimed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from accord.services.verdicts import RunEvaluation
from accord.settings import sqlite_url
from tests.services.world import CONSOLE, events, make_services, populate

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """October's credit of 100 EUR final (judged after its close, on 9 November)."""
    folder = tmp_path / "data"
    clock = FixedClock(dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC))
    services = make_services(folder, sqlite_url(folder), clock)
    world = populate(services, clock)
    services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    clock.at = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
    services.verdicts.evaluate(CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10"))
    services.close()
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    return folder


def test_the_ledger_lists_credits_with_totals(data_dir: Path) -> None:
    result = runner.invoke(app, ["ledger", "list", "--period", "2026"])
    assert result.exit_code == 0, result.output
    assert "acme-bravo" in result.stdout
    assert "total expired: 100.00 EUR (1 credits)" in result.stdout


def test_the_ledger_exports_csv_for_finance(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "credits.csv"
    result = runner.invoke(app, ["ledger", "list", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(out.read_text())))
    assert (row["agreement"], row["owed"], row["state"]) == ("acme-bravo", "100.00", "expired")


def test_an_expired_credit_cannot_be_claimed(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["ledger", "claim", "acme-bravo", "availability-credits", "2026-10"]
    )
    assert result.exit_code == 1
    assert "is expired: it cannot be claimed" in " ".join(result.output.split())
    missing = runner.invoke(app, ["ledger", "claim", "acme-bravo", "nothing", "2026-10"])
    assert missing.exit_code == 1
    assert "owes no credit under 'nothing'" in " ".join(missing.output.split())


ADJUST = ("ledger", "adjust", "acme-bravo", "availability-credits", "2026-10")
ADJUST += ("--currency", "EUR", "--reason", "goodwill")


def test_an_adjustment_at_the_console_needs_a_second_person(data_dir: Path) -> None:
    asked = runner.invoke(
        app,
        [*ADJUST, "--amount", "-40.00", "--by", "alice", "--link", "ACME-77"],
    )
    assert asked.exit_code == 0, asked.output
    assert "adjustment 1 of acme-bravo availability-credits 2026-10: -40.00 EUR — requested" in (
        asked.stdout
    )
    own = runner.invoke(app, ["ledger", "approve", "acme-bravo", "1", "--by", "alice"])
    assert own.exit_code != 0
    assert "four-eyes" in own.output
    approved = runner.invoke(app, ["ledger", "approve", "acme-bravo", "1", "--by", "bob"])
    assert approved.exit_code == 0, approved.output
    assert "— applied, entry" in approved.stdout
    listed = runner.invoke(app, ["ledger", "adjustments", "acme-bravo"])
    assert "alice / bob" in listed.stdout
    totals = runner.invoke(app, ["ledger", "list"])
    assert "total expired: 60.00 EUR (1 credits)" in totals.stdout


def test_an_adjustment_with_a_bad_amount_is_a_clear_error(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [*ADJUST, "--amount", "forty", "--by", "alice"],
    )
    assert result.exit_code == 1
    assert "amount 'forty' is not a number" in result.output
