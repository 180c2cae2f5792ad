"""Post-incident reviews and preventive actions over the API, with a real SMTP server.

A sev2 incident on PayCo's agreement is resolved on a Monday morning; its review is due five
business days later on PayCo's London support hours; PayCo writes it, Acme and PayCo comment,
PayCo files it in time; of its two preventive actions one is done in time and the other runs
past its due date, escalates to level 1 by email, and is done late (level 2 is never told).
Another partner sees none of it; a viewer reads but does not write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.mailbox import Mailbox
from tests.server.conftest import Desk

FRIDAY_EVENING = dt.datetime(2026, 11, 6, 17, 50, tzinfo=dt.UTC)
RESOLVED = dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC)  # Monday, 09:00 in London
#: 50 business hours (5 days of 08:00–18:00): 9 on Monday, 10 a day Tuesday to Friday, 1 on
#: the next Monday.
REVIEW_DUE = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
#: The end of 13 November in the agreement's time zone (Europe/Berlin, UTC+1).
ACTION_B_DUE = dt.datetime(2026, 11, 13, 23, 0, tzinfo=dt.UTC)


def _resolved_incident(desk: Desk) -> str:
    desk.world.clock.at = FRIDAY_EVENING
    made = desk.client.post(
        "/api/v1/agreements/payments-api/incidents",
        headers=desk.headers("payco"),
        json={"title": "Authorisation errors in eu-west", "severity": "sev2"},
    )
    assert made.status_code == 201, made.text
    path = f"/api/v1/incidents/{made.json()['id']}"
    desk.world.clock.at = FRIDAY_EVENING + dt.timedelta(minutes=5)
    assert desk.client.post(f"{path}/acknowledgement", headers=desk.headers("payco")).is_success
    desk.world.clock.at = RESOLVED
    assert desk.client.post(f"{path}/resolution", headers=desk.headers("payco")).is_success
    return path


def _as(desk: Desk, who: str, method: str, path: str, body: Any = None) -> Any:
    response = desk.client.request(method, path, headers=desk.headers(who), json=body)
    assert response.is_success, response.text
    return response.json()


def _escalations(smtp: Mailbox) -> list[tuple[str, str]]:
    return sorted(
        (str(m["Subject"]).split("escalated to ")[1].split(":")[0], str(m["To"]))
        for m in smtp.messages
        if "escalated to level" in str(m["Subject"])
        and "preventive action" in m.get_payload(0).get_payload(decode=True).decode()
    )


def test_a_review_is_written_commented_filed_and_its_overdue_action_escalates(
    desk: Desk, smtp: Mailbox
) -> None:
    path = _resolved_incident(desk)
    review = f"{path}/review"
    detail = _as(desk, "manager", "GET", review)
    assert detail["review"] is None
    assert dt.datetime.fromisoformat(detail["obligation"]["due_at"]) == REVIEW_DUE

    desk.world.clock.at = RESOLVED + dt.timedelta(hours=1)
    _as(desk, "payco", "PUT", review, {"summary": "A release broke token refresh."})
    early = desk.client.post(f"{review}/filing", headers=desk.headers("payco"))
    assert early.status_code == 422
    assert "root cause" in early.json()["detail"]
    written = _as(
        desk,
        "payco",
        "PUT",
        review,
        {
            "customer_impact": {"customers affected": 1200, "payments failed": 3400},
            "root_cause": "The token cache was flushed on deploy.",
            "contributing_factors": ["no canary stage", "  ", "alert on latency only"],
            "went_well": "Rollback took 4 minutes.",
            "went_wrong": "Nobody was paged on Friday evening.",
        },
    )["review"]
    assert written["customer_impact"] == {"customers affected": 1200, "payments failed": 3400}
    assert written["contributing_factors"] == ["no canary stage", "alert on latency only"]
    assert (written["state"], written["updated_by"]) == ("draft", "noc@payco.example")
    _as(desk, "manager", "POST", f"{review}/comments", {"text": "Please add the refund count."})
    _as(desk, "payco", "POST", f"{review}/comments", {"text": "Added: 212 refunds."})

    action_a = _as(
        desk,
        "payco",
        "POST",
        f"{path}/actions",
        {"title": "Add a canary stage", "owner": "Release engineering", "due_on": "2026-11-20"},
    )
    action_b = _as(
        desk,
        "manager",
        "POST",
        f"{path}/actions",
        {"title": "Alert on the auth error ratio", "owner": "PayCo NOC", "due_on": "2026-11-13"},
    )
    assert dt.datetime.fromisoformat(action_b["due_at"]) == ACTION_B_DUE
    assert (action_b["party"], action_b["state"]) == ("payco", "open")

    desk.world.clock.at = dt.datetime(2026, 11, 13, 15, 0, tzinfo=dt.UTC)
    filed = _as(desk, "payco", "POST", f"{review}/filing")
    assert (filed["review"]["state"], filed["obligation"]["state"]) == ("filed", "met")
    again = desk.client.post(f"{review}/filing", headers=desk.headers("payco"))
    assert again.status_code == 409
    rewrite = desk.client.put(review, headers=desk.headers("payco"), json={"summary": "x"})
    assert rewrite.status_code == 409
    assert "a filed review is not rewritten" in rewrite.json()["detail"]

    desk.tick(ACTION_B_DUE)  # the due instant itself is still in time
    assert _escalations(smtp) == []
    desk.tick(ACTION_B_DUE + dt.timedelta(minutes=10))
    assert _escalations(smtp) == [("level 1", "noc@payco.example")]
    desk.world.clock.at = ACTION_B_DUE + dt.timedelta(minutes=20)
    late = _as(desk, "payco", "POST", f"/api/v1/actions/{action_b['id']}/completion", {})
    assert (late["state"], late["obligation"]["state"]) == ("done", "missed")
    desk.tick(ACTION_B_DUE + dt.timedelta(hours=3))  # level 2 would be told at 23:30
    assert _escalations(smtp) == [("level 1", "noc@payco.example")]
    desk.world.clock.at = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)
    done = _as(desk, "payco", "POST", f"/api/v1/actions/{action_a['id']}/completion", {})
    assert (done["state"], done["obligation"]["state"]) == ("done", "met")

    detail = _as(desk, "manager", "GET", review)
    kinds = [entry["kind"] for entry in detail["timeline"]]
    assert kinds == [
        "opened",
        "acknowledged",
        "resolved",
        "review_edited",
        "review_edited",
        "review_comment",
        "review_comment",
        "action_added",
        "action_added",
        "review_filed",
        "escalated",
        "action_done",
        "action_done",
    ], kinds
    actors = {entry["actor"] for entry in detail["timeline"] if entry["kind"] == "review_comment"}
    assert actors == {"manager@acme.example", "noc@payco.example"}
    rates = {
        r["kind"]: (r["party"], r["on_time"], r["late"], r["on_time_ratio"])
        for r in _as(desk, "manager", "GET", "/api/v1/incident-duties/rates")
    }
    assert rates == {"review": ("payco", 1, 0, 1.0), "action": ("payco", 1, 1, 0.5)}
    assert _as(desk, "payco", "GET", "/api/v1/actions?state=open") == []
    assert len(_as(desk, "payco", "GET", "/api/v1/actions?agreement=payments-api")) == 2


def test_another_partner_sees_no_review_and_a_viewer_only_reads(desk: Desk) -> None:
    path = _resolved_incident(desk)
    _as(desk, "payco", "PUT", f"{path}/review", {"summary": "s"})
    action = _as(
        desk,
        "payco",
        "POST",
        f"{path}/actions",
        {"title": "t", "owner": "o", "due_on": "2026-12-01"},
    )
    routes: list[tuple[str, str, Any]] = [
        ("GET", f"{path}/review", None),
        ("PUT", f"{path}/review", {"summary": "mine"}),
        ("POST", f"{path}/review/filing", None),
        ("POST", f"{path}/review/comments", {"text": "x"}),
        ("POST", f"{path}/actions", {"title": "t", "owner": "o", "due_on": "2026-12-01"}),
        ("GET", f"/api/v1/actions/{action['id']}", None),
        ("POST", f"/api/v1/actions/{action['id']}/completion", {}),
        ("POST", f"/api/v1/actions/{action['id']}/cancellation", {"reason": "x"}),
    ]
    for method, route, body in routes:
        response = desk.client.request(method, route, headers=desk.headers("charlie"), json=body)
        assert response.status_code == 404, (method, route, response.text)
        viewer = desk.client.request(method, route, headers=desk.headers("viewer"), json=body)
        assert viewer.status_code == (200 if method == "GET" else 403), (method, route)
    assert _as(desk, "charlie", "GET", "/api/v1/actions") == []
    assert _as(desk, "charlie", "GET", "/api/v1/incident-duties/rates") == []
    assert len(_as(desk, "viewer", "GET", "/api/v1/actions")) == 1


def test_bad_review_input_is_refused_with_its_reason(desk: Desk) -> None:
    path = _resolved_incident(desk)
    cases: list[tuple[str, str, Any, str]] = [
        ("PUT", f"{path}/review", {"customer_impact": {"customers": -1}}, "zero or more"),
        ("POST", f"{path}/actions", {"title": "t", "owner": "o", "due_on": "2026-11-01"}, "passed"),
        (
            "POST",
            f"{path}/actions",
            {"title": "t", "owner": "o", "due_on": "2026-12-01", "party": "zeta"},
            "acme, payco",
        ),
        ("POST", f"{path}/review/filing", None, "no review"),
        ("POST", "/api/v1/actions/999/completion", {}, "no preventive action 999"),
    ]
    for method, route, body, words in cases:
        response = desk.client.request(method, route, headers=desk.headers("payco"), json=body)
        assert 400 <= response.status_code < 500, (route, response.text)
        assert words in response.json()["detail"], (route, response.json())
    action = _as(
        desk,
        "payco",
        "POST",
        f"{path}/actions",
        {"title": "t", "owner": "o", "due_on": "2026-12-01"},
    )
    cancelled = _as(
        desk, "manager", "POST", f"/api/v1/actions/{action['id']}/cancellation", {"reason": "dup"}
    )
    assert (cancelled["state"], cancelled["obligation"]["state"]) == ("cancelled", "waived")
    twice = desk.client.post(
        f"/api/v1/actions/{action['id']}/completion", headers=desk.headers("payco"), json={}
    )
    assert twice.status_code == 409
