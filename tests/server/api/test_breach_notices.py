"""A security incident on PayCo's agreement (which names the contract, GDPR Art. 33, NIS2
Art. 23 and DORA Art. 19) owes each regime's notices at the law's instants; classifying it
as major starts DORA's; each notice is recorded as sent (when, to whom, what) and one sent
late is missed as of its due instant. Another partner sees none of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.server.conftest import WORKER, Desk

DETECTED = dt.datetime(2026, 11, 6, 16, 50, tzinfo=dt.UTC)
OPENED = DETECTED + dt.timedelta(hours=1)
H = dt.timedelta(hours=1)


def _duties(desk: Desk, path: str) -> dict[str, dict[str, Any]]:
    detail = desk.client.get(path, headers=desk.headers("manager")).json()
    return {
        o["subject"].split(" on incident")[0]: o
        for o in detail["obligations"]
        if o["kind"] == "breach_notice"
    }


def _due(duty: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(duty["due_at"])


def test_the_regimes_clocks_run_and_a_late_notice_is_missed(desk: Desk) -> None:
    desk.world.clock.at = OPENED
    made = desk.client.post(
        "/api/v1/agreements/payments-api/incidents",
        headers=desk.headers("payco"),
        json={
            "title": "Card data exposed",
            "severity": "sev1",
            "security": True,
            "detected_at": DETECTED.isoformat(),
        },
    )
    assert made.status_code == 201, made.text
    path = f"/api/v1/incidents/{made.json()['id']}"
    duties = _duties(desk, path)
    assert {name: _due(duty) for name, duty in duties.items()} == {
        "Breach notice (The contract's breach notice)": DETECTED + 24 * H,
        "Notification to the supervisory authority (GDPR Art. 33)": DETECTED + 72 * H,
        "Early warning (NIS2 Art. 23)": DETECTED + 24 * H,
        "Incident notification (NIS2 Art. 23)": DETECTED + 72 * H,
        "Final report (NIS2 Art. 23)": dt.datetime(2026, 12, 9, 16, 50, tzinfo=dt.UTC),
    }
    assert duties["Early warning (NIS2 Art. 23)"]["party"] == "acme"

    desk.world.clock.at = OPENED + H
    classified = desk.client.post(f"{path}/classification", headers=desk.headers("manager"))
    assert classified.status_code == 200, classified.text
    dora = {d["subject"].split(" on incident")[0]: _due(d) for d in classified.json()}
    # Classified at 18:50: 4 hours later (22:50) comes before 24 hours after awareness.
    assert dora["Initial notification of a major ICT-related incident (DORA Art. 19)"] == (
        OPENED + 5 * H
    )
    assert dora["Intermediate report (DORA Art. 19)"] == OPENED + 5 * H + 72 * H
    again = desk.client.post(f"{path}/classification", headers=desk.headers("manager"))
    assert again.status_code == 409

    desk.world.clock.at = OPENED + 4 * H
    sent = desk.client.post(
        f"{path}/notices",
        headers=desk.headers("manager"),
        json={
            "regime": "dora-art-19",
            "notice": "initial",
            "recipient": "BaFin",
            "content": "Major ICT incident: card data exposure at PayCo",
            "sent_at": (OPENED + 3 * H).isoformat(),
        },
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["obligation"]["state"] == "met"
    moved = _duties(desk, path)["Intermediate report (DORA Art. 19)"]
    assert _due(moved) == OPENED + 3 * H + 72 * H  # now from when the initial one was sent

    desk.world.clock.at = DETECTED + 80 * H
    desk.world.services.obligations.check(WORKER)
    late = desk.client.post(
        f"{path}/notices",
        headers=desk.headers("manager"),
        json={
            "regime": "gdpr-art-33",
            "notice": "notification",
            "recipient": "Berlin data protection authority",
            "content": "Art. 33(3) details",
            "sent_at": (DETECTED + 73 * H).isoformat(),
        },
    )
    assert late.status_code == 201, late.text
    duty = late.json()["obligation"]
    assert duty["state"] == "missed"
    assert _due(duty) == dt.datetime.fromisoformat(duty["state_at"]) == DETECTED + 72 * H
    listed = desk.client.get(f"{path}/notices", headers=desk.headers("payco")).json()
    assert [(n["regime"], n["notice"]) for n in listed] == [
        ("dora-art-19", "initial"),
        ("gdpr-art-33", "notification"),
    ]
    timeline = desk.client.get(path, headers=desk.headers("payco")).json()["timeline"]
    kinds = [e["kind"] for e in timeline if e["kind"] != "escalated"]  # the unacknowledged sev1
    assert kinds == ["opened", "classified_major", "notice_sent", "notice_sent"]


def test_bad_notices_are_refused_and_another_partner_sees_nothing(desk: Desk) -> None:
    desk.world.clock.at = OPENED
    url = "/api/v1/agreements/payments-api/incidents"
    plain = desk.client.post(
        url, headers=desk.headers("payco"), json={"title": "Slow", "severity": "sev2"}
    ).json()
    secure = desk.client.post(
        url,
        headers=desk.headers("payco"),
        json={"title": "Leak", "severity": "sev1", "security": True},
    ).json()
    body = {"regime": "gdpr-art-33", "notice": "notification", "recipient": "DPA", "content": "x"}
    cases: list[tuple[int, dict[str, Any], int, str]] = [
        (plain["id"], body, 409, "not a security incident"),
        (secure["id"], {**body, "regime": "hipaa"}, 422, "regimes: contract, gdpr-art-33"),
        (secure["id"], {**body, "notice": "final"}, 422, "notices: notification"),
        (secure["id"], {**body, "regime": "dora-art-19", "notice": "initial"}, 409, "not owed yet"),
        (
            secure["id"],
            {**body, "sent_at": (OPENED + H).isoformat()},
            422,
            "in the future",
        ),
    ]
    for incident, payload, status, words in cases:
        response = desk.client.post(
            f"/api/v1/incidents/{incident}/notices", headers=desk.headers("payco"), json=payload
        )
        assert response.status_code == status, (payload, response.text)
        assert words in response.json()["detail"], response.json()
    path = f"/api/v1/incidents/{secure['id']}"
    for method, route in (
        ("GET", f"{path}/notices"),
        ("POST", f"{path}/notices"),
        ("POST", f"{path}/classification"),
    ):
        other = desk.client.request(method, route, headers=desk.headers("charlie"), json=body)
        assert other.status_code == 404, route
        viewer = desk.client.request(method, route, headers=desk.headers("viewer"), json=body)
        assert viewer.status_code == (200 if method == "GET" else 403), route
