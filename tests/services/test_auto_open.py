"""Incidents the service opens by itself when the agreement says so (``incidents.open_on``):
a recorded breach opens one incident per objective, scope and window, once; a burn-rate
alert opens one per alert; an agreement without the rule opens none."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from accord.core.loader import load_agreement
from accord.core.verdicts import Outcome
from accord.demo.base import SampleOptions
from accord.demo.generate import write_sample_data
from accord.services.agreements import AgreementFiles
from accord.services.auto_open import openings
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.recording import stored_record
from accord.services.verdicts import RunEvaluation
from accord.store.tables import VerdictRow
from tests.services.world import CONSOLE, World, agreement_document, events

OCTOBER = RunEvaluation(agreement="acme-bravo", period="2026-10")


def _with_policy(version: str) -> dict[str, Any]:
    document = agreement_document("bravo", version=version)
    document["escalation"] = [
        {
            "id": "ops",
            "levels": [
                {"level": 1, "party": "bravo", "owner": "Duty", "within": "30m", "authority": "all"}
            ],
        }
    ]
    document["incidents"] = {
        "escalation": "ops",
        "on_call": "Bravo NOC",
        "severities": [
            {
                "id": "sev2",
                "name": "Major",
                "classification": "Any breach",
                "acknowledge": "30m",
                "update_every": "1h",
                "resolve": "1 day",
            }
        ],
        "review": {"required_for": ["sev2"], "deadline": "5 days"},
        "security_breach_notification": "24h",
        "open_on": {"on": ["breach", "burn_alert"], "severity": "sev2"},
    }
    return document


def _breaching_october(world: World) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=5),  # 80%: below the 90% tolerance
        ),
    )


def test_a_recorded_breach_opens_one_incident_once(world: World) -> None:
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(_with_policy("2"))))
    _breaching_october(world)
    world.services.verdicts.evaluate(manager, OCTOBER)
    [incident] = world.services.incidents.list(CONSOLE, agreement="acme-bravo")
    assert (incident.source, incident.severity, incident.state) == ("verdict", "sev2", "open")
    assert incident.title.startswith("availability (all) in 2026-10 breaches: 80")
    assert incident.reported_by == "manager@acme.example"
    world.services.verdicts.evaluate(manager, OCTOBER)
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10", reason="re-run")
    )
    assert len(world.services.incidents.list(CONSOLE, agreement="acme-bravo")) == 1
    # The other agreement has no open_on rule: its breach opens nothing.
    assert world.services.incidents.list(CONSOLE, agreement="acme-charlie") == []


def test_each_burn_alert_that_fires_opens_its_own_incident(world: World) -> None:
    loaded = load_agreement(json.dumps(_with_policy("2")), "acme-bravo.json")
    assert loaded.agreement is not None, loaded.problems
    manager = world.principal("manager@acme.example")
    _breaching_october(world)
    world.services.verdicts.evaluate(manager, OCTOBER)
    with world.services.context.uow(CONSOLE) as uow:
        record = stored_record(uow.session.scalars(select(VerdictRow)).one())
    assert record.budget is not None
    fired = dataclasses.replace(
        record,
        outcome=Outcome.MET,
        budget=dataclasses.replace(record.budget, alerts=("page-1h", "ticket-3d")),
    )
    found = [(o.source, o.source_key) for o in openings(loaded.agreement, fired)]
    assert found == [
        ("burn_alert", "availability|all|2026-10|page-1h"),
        ("burn_alert", "availability|all|2026-10|ticket-3d"),
    ]


def test_the_support_outsourcer_example_opens_an_incident_from_its_october_breach(
    world: World,
) -> None:
    """The example that declares ``open_on``, on its own sample data: October's one breach
    (tickets resolved within 3 business days in the Americas) opens one sev2 incident, with
    its clocks, on the provider."""
    example = Path(__file__).parents[2] / "examples" / "support-outsourcer.yaml"
    agreement = AgreementFiles().load_valid(example).agreement
    options = SampleOptions(months=1, end="2026-10", volume=0.3, bad_rows=False)
    write_sample_data(agreement, world.services.context.data_dir / "files", options)
    links = {"wanderly": "acme", "callbridge": "bravo"}
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=example.read_text(), parties=links))
    october = RunEvaluation(agreement="support-outsourcer", period="2026-10")
    world.services.verdicts.evaluate(CONSOLE, october)

    [incident] = world.services.incidents.list(CONSOLE, agreement="support-outsourcer")
    assert (incident.source, incident.severity, incident.party) == ("verdict", "sev2", "callbridge")
    assert incident.title.startswith("resolution-americas (")
    assert "in 2026-10 breaches" in incident.title
    detail = world.services.incidents.get(CONSOLE, incident.id)
    assert {o.kind for o in detail.obligations} >= {"acknowledge", "resolve"}
