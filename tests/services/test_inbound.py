"""Inbound incident sources: a source's severity is one the policy knows; an alert that
resolves resolves its incident as a resolution by hand would."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accord.services.errors import Invalid
from accord.services.inbound import CreateSource
from accord.services.portfolio import UploadVersion
from tests.services.world import CONSOLE, World, agreement_document

MANAGER = "manager@acme.example"


def _severity(id_: str, acknowledge: str) -> dict[str, str]:
    return {
        "id": id_,
        "name": id_.title(),
        "classification": "Any outage",
        "acknowledge": acknowledge,
        "update_every": "1h",
        "resolve": "1 day",
    }


@pytest.fixture
def desk(world: World) -> World:
    """acme-bravo with an incident policy (sev1, sev2) from version 2 on."""
    document = agreement_document("bravo", version="2")
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
        "severities": [_severity("sev1", "15m"), _severity("sev2", "30m")],
        "review": {"required_for": ["sev1"], "deadline": "5 days"},
        "security_breach_notification": "24h",
    }
    world.services.portfolio.upload(
        world.principal(MANAGER), UploadVersion(text=json.dumps(document))
    )
    return world


def _source(world: World, kind: str, *, name: str = "pager", severity: str = "sev2") -> str:
    command = CreateSource(agreement="acme-bravo", name=name, kind=kind, severity=severity)  # type: ignore[arg-type]
    return world.services.inbound.create_source(world.principal(MANAGER), command).secret


def test_an_alert_that_resolves_closes_the_incident_as_a_resolution_by_hand_would(
    desk: World,
) -> None:
    inbound = desk.services.inbound
    secret = _source(desk, "generic")
    [opened] = inbound.receive(
        secret, "generic", {"id": "INC-9", "title": "Down", "severity": "sev1"}
    )
    desk.clock.advance(dt.timedelta(minutes=5))  # before anyone acknowledged it
    [resolved] = inbound.receive(secret, "generic", {"id": "INC-9", "status": "resolved"})
    assert (resolved.acknowledged_at, resolved.acknowledged_by) == (
        desk.clock.now(),
        "generic:pager",
    )
    detail = desk.services.incidents.get(desk.principal(MANAGER), opened.id)
    duties = {duty.kind: duty for duty in detail.obligations}
    assert (duties["acknowledge"].state, duties["resolve"].state) == ("met", "met")
    assert duties["review"].state == "open"  # sev1 owes a review from its resolution
    assert duties["review"].trigger_at == desk.clock.now()
    desk.clock.advance(dt.timedelta(hours=2))
    desk.services.obligations.check(CONSOLE)
    assert desk.services.obligations.late_escalations(CONSOLE) == []


def test_a_source_s_severity_must_be_one_the_policy_knows(desk: World) -> None:
    manager = desk.principal(MANAGER)
    unknown = CreateSource(agreement="acme-bravo", name="pager", kind="generic", severity="P1")
    with pytest.raises(
        Invalid,
        match="severity 'P1' is not in the incident policy of acme-bravo; severities: sev1, sev2",
    ):
        desk.services.inbound.create_source(manager, unknown)
    no_policy = CreateSource(
        agreement="acme-charlie", name="pager", kind="generic", severity="sev1"
    )
    with pytest.raises(Invalid, match="acme-charlie; severities: none"):
        desk.services.inbound.create_source(manager, no_policy)
