"""accord retention: place, list and release legal holds; the purge says what it removes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from tests.cli.conftest import open_world
from tests.services.world import CONSOLE, agreement_document, data_handling, events

runner = CliRunner()


def keep_a_day_of_measurements(folder: Path) -> None:
    world = open_world(folder)
    try:
        document = agreement_document("bravo", version="2")
        document["data_handling"] = data_handling(
            retention=[
                {"data": "logs", "period": "1 day", "applies_to": "performance_data"},
                {"data": "trail", "period": "1 day", "applies_to": "audit_logs"},
            ]
        )
        world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
        world.services.ingestion.push(
            CONSOLE,
            PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(5)),
        )
    finally:
        world.services.close()


def test_holds_and_the_purge_from_the_console(world_dir: Path) -> None:
    keep_a_day_of_measurements(world_dir)
    placed = runner.invoke(
        app, ["retention", "hold", "acme-bravo", "--reason", "audit 2026", "--until", "2027-01-01"]
    )
    assert placed.exit_code == 0, placed.output
    assert "legal hold 1 placed on acme-bravo: audit 2026" in placed.stdout
    listed = runner.invoke(app, ["retention", "holds", "acme-bravo"])
    assert "1 active (start to 2027-01-01 00:00:00+00:00) by console: audit 2026" in listed.stdout
    held = runner.invoke(app, ["retention", "purge", "--dry-run"])
    assert held.exit_code == 0, held.output
    assert "kept by legal holds or open disputes: requests/b1" in held.stdout
    assert runner.invoke(app, ["retention", "release", "acme-bravo", "1"]).exit_code == 0
    purged = runner.invoke(app, ["retention", "purge"])
    assert "acme-bravo: batches before" in purged.stdout
    assert "1 batches (5 events)" in purged.stdout
    assert re.search(r"the content of [1-9][0-9]* audit entries", purged.stdout), purged.stdout
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    again = runner.invoke(app, ["retention", "release", "acme-bravo", "1"])
    assert again.exit_code == 1
    assert "legal hold 1 was released" in again.stderr
