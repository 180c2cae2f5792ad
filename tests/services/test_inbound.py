"""Inbound incident sources as the service runs them: an alert opens one incident however
often it is sent, and its resolution resolves it (its clocks met or waived); the severity is
the alert's when the policy knows it, else the source's; a payload is refused by the field
at fault and opens nothing; the secret is kept only as its SHA-256; only the company's
manager makes a source, and only for an agreement its tenant sees."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal, cast

import pytest
from sqlalchemy import select

from accord.services.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from accord.services.inbound import CreateSource
from accord.services.portfolio import UploadVersion
from accord.store.incident_rows import IncidentSourceRow
from tests.services.world import CONSOLE, World, agreement_document

Kind = Literal["alertmanager", "generic"]

MANAGER = "manager@acme.example"
FIRED_AT = "2026-11-03T08:41:00Z"


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


def _source(world: World, kind: Kind, *, name: str = "pager", severity: str = "sev2") -> str:
    command = CreateSource(agreement="acme-bravo", name=name, kind=kind, severity=severity)
    return world.services.inbound.create_source(world.principal(MANAGER), command).secret


def _alertmanager(*alerts: dict[str, Any], status: str = "firing") -> dict[str, Any]:
    return {"version": "4", "status": status, "receiver": "accord", "alerts": list(alerts)}


def _alert(fingerprint: str = "a1b2", starts_at: str = FIRED_AT, **labels: str) -> dict[str, Any]:
    return {
        "labels": {"alertname": "CheckoutErrors", **labels},
        "annotations": {"summary": "Checkout errors above 2%"},
        "startsAt": starts_at,
        "fingerprint": fingerprint,
    }


def test_an_alert_opens_one_incident_and_its_resolution_resolves_it(desk: World) -> None:
    inbound = desk.services.inbound
    secret = _source(desk, "generic")
    alert = {"id": "INC-7", "title": "Checkout down", "started_at": "2026-11-03T09:55:00+01:00"}
    [opened] = inbound.receive(secret, "generic", alert)
    assert (opened.created, opened.title, opened.source) == (True, "Checkout down", "generic:pager")
    assert opened.impact_started_at == dt.datetime(2026, 11, 3, 8, 55, tzinfo=dt.UTC)
    [again] = inbound.receive(secret, "generic", alert)
    assert (again.id, again.created) == (opened.id, False)

    desk.clock.advance(dt.timedelta(minutes=20))
    [resolved] = inbound.receive(secret, "generic", {"id": "INC-7", "status": "resolved"})
    assert (resolved.id, resolved.state) == (opened.id, "resolved")
    assert (resolved.resolved_at, resolved.resolved_by) == (desk.clock.now(), "generic:pager")
    detail = desk.services.incidents.get(desk.principal(MANAGER), opened.id)
    states = {duty.kind: duty.state for duty in detail.obligations}
    assert states == {"acknowledge": "met", "resolve": "met"}  # nothing left to lapse
    assert inbound.receive(secret, "generic", {"id": "INC-7", "status": "resolved"}) == []
    assert inbound.receive(secret, "generic", {"id": "INC-8", "status": "resolved"}) == []

    bravo, charlie = (
        desk.principal("partner@bravo.example"),
        desk.principal("partner@charlie.example"),
    )
    assert [i.id for i in desk.services.incidents.list(bravo)] == [opened.id]
    assert desk.services.incidents.list(charlie) == []


def test_the_alert_s_severity_counts_when_the_policy_knows_it(desk: World) -> None:
    secret = _source(desk, "alertmanager", severity="sev2")
    payload = _alertmanager(
        _alert("f1", severity="sev1"),
        _alert("f2", severity="critical"),
        _alert("", "0001-01-01T00:00:00Z", region="eu-west"),  # no fingerprint, no start
    )
    opened = desk.services.inbound.receive(secret, "alertmanager", payload)
    assert [(i.severity, i.impact_started_at) for i in opened] == [
        ("sev1", dt.datetime(2026, 11, 3, 8, 41, tzinfo=dt.UTC)),
        ("sev2", dt.datetime(2026, 11, 3, 8, 41, tzinfo=dt.UTC)),
        ("sev2", None),
    ]
    assert len({i.id for i in opened}) == 3


def test_an_alert_that_fires_again_after_it_resolved_is_a_new_incident(desk: World) -> None:
    inbound = desk.services.inbound
    secret = _source(desk, "alertmanager")
    [first] = inbound.receive(secret, "alertmanager", _alertmanager(_alert()))
    [resolved] = inbound.receive(
        secret, "alertmanager", _alertmanager({**_alert(), "status": "resolved"})
    )
    assert (resolved.id, resolved.state) == (first.id, "resolved")
    [later] = inbound.receive(
        secret, "alertmanager", _alertmanager(_alert(starts_at="2026-11-03T09:30:00Z"))
    )
    assert later.created
    assert later.id != first.id


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("generic", {"title": "x"}, "id: the sender's id of the incident is required"),
        ("generic", {"id": "x", "status": "closed"}, "status: 'closed'; write open or resolved"),
        ("generic", {"id": "x", "title": " "}, "title: an incident needs a title"),
        (
            "generic",
            {"id": "x", "title": "t", "started_at": "2026-11-03T10:00:00"},
            "started_at: '2026-11-03T10:00:00' has no time zone",
        ),
        (
            "generic",
            {"id": "x", "title": "t", "started_at": "this morning"},
            "started_at: 'this morning' is not an ISO 8601 instant",
        ),
        ("alertmanager", {"alerts": "x"}, "alerts: an Alertmanager webhook carries a list"),
        ("alertmanager", {"alerts": [7]}, r"alerts\[0\]: an alert is an object"),
        (
            "alertmanager",
            {"alerts": [{"labels": {}}]},
            r"alerts\[0\]: an alert needs a fingerprint or labels",
        ),
        (
            "alertmanager",
            _alertmanager(_alert(), _alert("f2", "2026-11-03 09:00")),
            r"alerts\[1\].startsAt: '2026-11-03 09:00' has no time zone",
        ),
    ],
)
def test_a_bad_payload_is_refused_by_the_field_at_fault_and_opens_nothing(
    desk: World, kind: Kind, payload: dict[str, Any], message: str
) -> None:
    secret = _source(desk, kind)
    with pytest.raises(Invalid, match=message):
        desk.services.inbound.receive(secret, kind, payload)
    assert desk.services.incidents.list(CONSOLE) == []


def test_a_wrong_secret_or_kind_of_webhook_is_refused(desk: World) -> None:
    secret = _source(desk, "generic")
    with pytest.raises(Unauthenticated, match="unknown incident source secret"):
        desk.services.inbound.receive(secret + "x", "generic", {"id": "x", "title": "t"})
    with pytest.raises(Invalid, match="source 'pager' takes generic webhooks, not alertmanager"):
        desk.services.inbound.receive(secret, "alertmanager", _alertmanager(_alert()))


def test_the_secret_is_shown_once_and_kept_as_its_digest(desk: World) -> None:
    secret = _source(desk, "generic")
    assert secret.startswith("ais_")
    with desk.services.context.engine.connect() as connection:
        [stored] = connection.execute(select(IncidentSourceRow.secret_sha256)).scalars()
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    [entry] = [
        e
        for e in desk.services.audit.entries(CONSOLE, limit=1000)
        if e["action"] == "incident_source.created"
    ]
    assert (entry["actor"], entry["entity_id"]) == (MANAGER, "acme-bravo")
    assert entry["after"] == {"name": "pager", "kind": "generic"}


def test_only_the_company_s_manager_makes_a_source_for_an_agreement_it_sees(
    desk: World,
) -> None:
    inbound = desk.services.inbound
    command = CreateSource(agreement="acme-bravo", name="pager", kind="generic", severity="sev2")
    for refused, error in (
        ("partner@bravo.example", Forbidden),
        ("viewer@acme.example", Forbidden),
        ("partner@charlie.example", NotFound),
    ):
        with pytest.raises(error):
            inbound.create_source(desk.principal(refused), command)
    inbound.create_source(desk.principal(MANAGER), command)
    with pytest.raises(Conflict, match="acme-bravo' already has a source 'pager'"):
        inbound.create_source(desk.principal(MANAGER), command)
    # A kind the type does not allow, as an API body or a CLI option could still send it.
    email = CreateSource(agreement="acme-bravo", name="mail", kind=cast(Kind, "email"))
    with pytest.raises(Invalid, match="kind 'email'; kinds: alertmanager, generic"):
        inbound.create_source(desk.principal(MANAGER), email)


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
