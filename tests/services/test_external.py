"""Stored agreements whose sources a connector reads: evaluated by the service as the CLI
evaluates files (here a Zendesk export under the data folder), or refused with a 400 that
names the source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from accord.services.errors import Invalid
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, World, agreement_document

ZENDESK = Path(__file__).parents[1] / "connectors" / "tickets" / "files" / "zendesk"


def _upload_support(world: World, folder: str) -> None:
    document = agreement_document("bravo", version="2")
    export = {"system": "zendesk", "layout": "json"}
    document["calendars"] = [
        {
            "id": "support-hours",
            "name": "Support hours",
            "timezone": "Europe/Berlin",
            "hours": {"mon-fri": ["09:00-17:00"]},
        }
    ]
    document["sources"] = [
        {
            "id": "tickets",
            "kind": "tickets",
            "format": "export",
            "path": folder,
            "export": export,
            "key": "key",
            "timestamp": "opened",
            "columns": {
                "key": {"column": "key", "type": "string"},
                "opened": {"column": "opened_at", "type": "timestamp"},
                "responded": {"column": "first_response_at", "type": "timestamp"},
            },
        },
    ]
    document["indicators"] = [
        {
            "id": "first-response",
            "name": "First response",
            "kind": "business_duration",
            "source": "tickets",
            "start": "opened",
            "end": "responded",
            "calendar": "support-hours",
            "statistic": "within",
            "threshold": "4 business hours",
        }
    ]
    document["objectives"] = [
        {
            "id": "first-response",
            "name": "First response",
            "indicator": "first-response",
            "target": "90%",
            "tolerance": "80%",
            "window": "month",
        }
    ]
    document.pop("remedies")
    manager = world.principal("manager@acme.example")
    document["metadata"]["effective"] = "2026-01-01"  # judges October: a backdated correction
    upload = UploadVersion(text=json.dumps(document), backdated="support terms from the start")
    world.services.portfolio.upload(manager, upload)


def test_the_service_evaluates_a_ticket_export_in_its_data_folder(
    world: World, tmp_path: Path
) -> None:
    data_dir = world.services.context.data_dir
    shutil.copytree(ZENDESK, data_dir / "files" / "exports" / "zendesk")
    _upload_support(world, "exports/zendesk")
    manager = world.principal("manager@acme.example")
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    assert [f"{v.objective} {v.outcome}" for v in page.items] == ["first-response deviation"]


def test_an_export_the_service_cannot_read_is_a_400_naming_the_source(world: World) -> None:
    _upload_support(world, "exports/nowhere")
    manager = world.principal("manager@acme.example")
    with pytest.raises(Invalid, match=r"source 'tickets': no zendesk export files match"):
        world.services.verdicts.evaluate(
            manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
        )
