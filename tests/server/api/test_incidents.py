"""An incident run end to end over the API, with a real SMTP server:

an Alertmanager webhook opens a sev2 incident on PayCo's agreement on a Friday evening; its
acknowledgement clock (30 business minutes on PayCo's London support hours) lapses on Monday
morning; escalation level 1 and then level 2 receive emails at the computed instants; the
partner acknowledges with its own token (another partner sees nothing); the incident is
resolved, and the timeline and clocks say all of it.
"""

from __future__ import annotations

import datetime as dt

from tests.mailbox import Mailbox
from tests.server.conftest import WORKER, Desk

FRIDAY_EVENING = dt.datetime(2026, 11, 6, 17, 50, tzinfo=dt.UTC)  # 17:50 in London (GMT)
#: 10 business minutes on Friday (until 18:00) and 20 on Monday from 08:00.
ACK_DUE = dt.datetime(2026, 11, 9, 8, 20, tzinfo=dt.UTC)
#: Level 1 is told at the lapse; level 2 when level 1's 30 minutes have run.
LEVEL_2_AT = ACK_DUE + dt.timedelta(minutes=30)


def _alert(status: str = "firing") -> dict[str, object]:
    return {
        "version": "4",
        "status": status,
        "receiver": "accord",
        "alerts": [
            {
                "status": status,
                "labels": {"alertname": "AuthErrors", "severity": "sev2", "region": "eu-west"},
                "annotations": {"summary": "Authorisation errors above 2% in eu-west"},
                "startsAt": "2026-11-06T17:41:00Z",
                "fingerprint": "a1b2c3d4",
            }
        ],
    }


def _escalations(smtp: Mailbox, level: int) -> list[str]:
    return sorted(
        str(m["To"]) for m in smtp.messages if f"escalated to level {level}" in str(m["Subject"])
    )


def test_an_alert_escalates_across_a_weekend_and_the_partner_acknowledges(
    desk: Desk, smtp: Mailbox
) -> None:
    client = desk.client
    desk.world.clock.at = FRIDAY_EVENING
    source = client.post(
        "/api/v1/agreements/payments-api/incident-sources",
        headers=desk.headers("manager"),
        json={"name": "prometheus", "kind": "alertmanager", "severity": "sev1"},
    )
    assert source.status_code == 201, source.text
    secret = {"Authorization": f"Bearer {source.json()['secret']}"}
    assert client.post("/api/v1/inbound/alertmanager", json=_alert()).status_code == 401
    opened = client.post("/api/v1/inbound/alertmanager", headers=secret, json=_alert())
    assert opened.status_code == 200, opened.text
    [incident] = opened.json()
    assert (incident["severity"], incident["created"]) == ("sev2", True)
    again = client.post("/api/v1/inbound/alertmanager", headers=secret, json=_alert()).json()
    assert (again[0]["id"], again[0]["created"]) == (incident["id"], False)
    path = f"/api/v1/incidents/{incident['id']}"

    detail = client.get(path, headers=desk.headers("payco")).json()
    clocks = {o["kind"]: o["due_at"] for o in detail["obligations"]}
    assert dt.datetime.fromisoformat(clocks["acknowledge"]) == ACK_DUE
    assert detail["incident"]["impact_started_at"].startswith("2026-11-06T17:41")
    assert client.get(path, headers=desk.headers("charlie")).status_code == 404

    desk.tick(ACK_DUE)  # the due instant itself is still in time
    assert _escalations(smtp, 1) == []
    desk.tick(ACK_DUE + dt.timedelta(minutes=1))
    assert _escalations(smtp, 1) == ["noc@payco.example"]
    assert _escalations(smtp, 2) == []
    desk.tick(LEVEL_2_AT - dt.timedelta(minutes=1))
    assert _escalations(smtp, 2) == []
    desk.tick(LEVEL_2_AT)
    assert _escalations(smtp, 2) == ["noc@payco.example", "partners@payco.example"]

    charlie = client.post(f"{path}/acknowledgement", headers=desk.headers("charlie"))
    assert charlie.status_code == 404
    acked = client.post(f"{path}/acknowledgement", headers=desk.headers("payco"))
    assert acked.status_code == 200, acked.text
    assert acked.json()["acknowledged_by"] == "noc@payco.example"
    desk.world.clock.at = LEVEL_2_AT + dt.timedelta(minutes=10)
    update = client.post(
        f"{path}/updates", headers=desk.headers("payco"), json={"text": "rolled back"}
    )
    assert update.status_code == 200, update.text
    # Level 3 would be told at 10:50 (level 2's two hours); the acknowledgement is done.
    desk.tick(LEVEL_2_AT + dt.timedelta(hours=2, minutes=5))
    assert _escalations(smtp, 3) == []
    resolved = client.post(f"{path}/resolution", headers=desk.headers("payco"))
    assert resolved.json()["state"] == "resolved"

    detail = client.get(path, headers=desk.headers("manager")).json()
    states = {o["kind"]: o["state"] for o in detail["obligations"]}
    assert states["acknowledge"] == "missed"
    assert states["resolve"] == "met"
    kinds = [entry["kind"] for entry in detail["timeline"]]
    assert kinds == ["opened", "escalated", "escalated", "acknowledged", "update", "resolved"], (
        kinds
    )
    missed = next(o for o in detail["obligations"] if o["kind"] == "acknowledge")
    assert dt.datetime.fromisoformat(missed["state_at"]) == ACK_DUE


def test_a_resolved_alert_resolves_its_incident_and_bad_payloads_are_located(desk: Desk) -> None:
    client = desk.client
    desk.world.clock.at = FRIDAY_EVENING
    secret = client.post(
        "/api/v1/agreements/payments-api/incident-sources",
        headers=desk.headers("manager"),
        json={"name": "prometheus", "kind": "alertmanager", "severity": "sev2"},
    ).json()["secret"]
    headers = {"Authorization": f"Bearer {secret}"}
    [opened] = client.post("/api/v1/inbound/alertmanager", headers=headers, json=_alert()).json()
    desk.world.clock.at += dt.timedelta(minutes=20)
    [closed] = client.post(
        "/api/v1/inbound/alertmanager", headers=headers, json=_alert("resolved")
    ).json()
    assert (closed["id"], closed["state"]) == (opened["id"], "resolved")
    bad = client.post("/api/v1/inbound/alertmanager", headers=headers, json={"alerts": [7]})
    assert bad.status_code == 422
    assert "alerts[0]" in bad.json()["detail"]
    wrong_kind = client.post("/api/v1/inbound/incidents", headers=headers, json={"id": "x"})
    assert wrong_kind.status_code == 422


def test_opening_by_hand_names_the_severities_and_partners_see_only_their_own(
    desk: Desk,
) -> None:
    client = desk.client
    desk.world.clock.at = FRIDAY_EVENING
    url = "/api/v1/agreements/payments-api/incidents"
    bad = client.post(url, headers=desk.headers("payco"), json={"title": "x", "severity": "p1"})
    assert bad.status_code == 422
    assert "sev1, sev2" in bad.json()["detail"]
    made = client.post(url, headers=desk.headers("payco"), json={"title": "x", "severity": "sev1"})
    assert made.status_code == 201, made.text
    assert (
        client.post(
            url, headers=desk.headers("charlie"), json={"title": "x", "severity": "sev1"}
        ).status_code
        == 404
    )
    assert [
        i["id"] for i in client.get("/api/v1/incidents", headers=desk.headers("charlie")).json()
    ] == []
    assert len(client.get("/api/v1/incidents", headers=desk.headers("payco")).json()) == 1
    changed = client.post(
        f"/api/v1/incidents/{made.json()['id']}/severity",
        headers=desk.headers("manager"),
        json={"severity": "sev2", "reason": "fewer than 5% affected"},
    )
    assert changed.json()["severity"] == "sev2"
    incident = f"/api/v1/incidents/{made.json()['id']}"
    for step in ("resolution", "closure"):
        assert client.post(f"{incident}/{step}", headers=desk.headers("payco")).status_code == 200
    late = client.post(
        f"{incident}/severity",
        headers=desk.headers("manager"),
        json={"severity": "sev1", "reason": "worse than thought"},
    )
    assert late.status_code == 409
    assert "is closed" in late.json()["detail"]


def test_a_security_incident_owes_the_contract_s_breach_notice(desk: Desk) -> None:
    desk.world.clock.at = FRIDAY_EVENING
    made = desk.client.post(
        "/api/v1/agreements/payments-api/incidents",
        headers=desk.headers("payco"),
        json={"title": "Card data exposed", "severity": "sev1", "security": True},
    )
    assert made.status_code == 201, made.text
    detail = desk.client.get(
        f"/api/v1/incidents/{made.json()['id']}", headers=desk.headers("manager")
    ).json()
    [notice] = [o for o in detail["obligations"] if "contract's breach" in o["subject"]]
    # security_breach_notification: 24h, on the wall clock (weekend or not).
    assert dt.datetime.fromisoformat(notice["due_at"]) == FRIDAY_EVENING + dt.timedelta(hours=24)
    desk.world.clock.at = FRIDAY_EVENING + dt.timedelta(hours=25)
    [missed] = [
        o
        for o in desk.world.services.obligations.check(WORKER).missed
        if "contract's breach" in o.subject
    ]
    assert missed.state_at == FRIDAY_EVENING + dt.timedelta(hours=24)


def test_a_source_omitting_its_severity_is_told_the_policy_s_severities(desk: Desk) -> None:
    omitted = desk.client.post(
        "/api/v1/agreements/payments-api/incident-sources",
        headers=desk.headers("manager"),
        json={"name": "prometheus", "kind": "alertmanager"},
    )
    assert omitted.status_code == 422, omitted.text
    assert omitted.json()["detail"] == (
        "severity: name the one for alerts that name none; "
        "the incident policy of payments-api has severities: sev1, sev2"
    )
