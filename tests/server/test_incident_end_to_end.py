"""Issue 11's "done means", end to end against the real service (SQLite and PostgreSQL), a
real SMTP server on 127.0.0.1 and the worker's own tick, the clock set by the test:

an Alertmanager webhook opens a sev2 incident on PayCo's payments-api agreement on a Friday
evening; its acknowledgement clock (30 business minutes on PayCo's London support hours)
lapses on Monday, not over the weekend; escalation level 1 and then level 2 receive emails at
the computed instants (read from the mailbox); PayCo acknowledges with its own token (another
partner cannot); PayCo posts one status update on time and one late, and resolves; its
post-incident review is filed with two preventive actions; one action runs past its due date
and escalates by email; and when November closes, its verdicts show the mean time to
restore and the status updates on time from what the service recorded, with the credit the
late update costs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from accord.demo.base import SampleOptions
from accord.demo.generate import write_sample_data
from accord.services.agreements import AgreementFiles
from accord.worker.tick import tick
from tests.mailbox import Mailbox
from tests.server.conftest import EXAMPLE, Desk

FRIDAY_EVENING = dt.datetime(2026, 11, 6, 17, 50, tzinfo=dt.UTC)  # 17:50 in London (GMT)
IMPACT_STARTED = dt.datetime(2026, 11, 6, 17, 41, tzinfo=dt.UTC)  # the alert's startsAt
SATURDAY_NOON = dt.datetime(2026, 11, 7, 12, 0, tzinfo=dt.UTC)
#: 30 business minutes: 10 on Friday (until 18:00) and 20 on Monday from 08:00.
ACK_DUE = dt.datetime(2026, 11, 9, 8, 20, tzinfo=dt.UTC)
#: Level 1 (NOC duty manager, within 30m) is told at the lapse, level 2 when its 30 business
#: minutes have run.
LEVEL_2_AT = ACK_DUE + dt.timedelta(minutes=30)
ACKNOWLEDGED = dt.datetime(2026, 11, 9, 8, 55, tzinfo=dt.UTC)
#: Status updates every 2 business hours: the first due at 10:55, met at 10:00; the second
#: due at 12:00, posted late at 12:30; the third (due 14:30) released by the resolution.
FIRST_UPDATE = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)
LATE_UPDATE = dt.datetime(2026, 11, 9, 12, 30, tzinfo=dt.UTC)
RESOLVED = dt.datetime(2026, 11, 9, 13, 0, tzinfo=dt.UTC)
#: The end of 13 November in the agreement's time zone (Europe/Berlin, UTC+1).
ACTION_DUE = dt.datetime(2026, 11, 13, 23, 0, tzinfo=dt.UTC)
#: The first worker tick after November ends judges it as closed.
DECEMBER = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _alert() -> dict[str, object]:
    return {
        "version": "4",
        "status": "firing",
        "receiver": "accord",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "AuthErrors", "severity": "sev2", "region": "eu-west"},
                "annotations": {"summary": "Authorisation errors above 2% in eu-west"},
                "startsAt": IMPACT_STARTED.isoformat(),
                "fingerprint": "e2e-7f3a",
            }
        ],
    }


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _escalations(smtp: Mailbox) -> list[tuple[str, str, str]]:
    """(level, recipient, the instant the email says the level was due) of each escalation
    email received."""
    found = []
    for message in list(smtp.messages):
        subject = str(message["Subject"])
        if "escalated to level" not in subject:
            continue
        level = subject.split("escalated to ")[1].split(":", maxsplit=1)[0]
        body = _body(message)
        [instant] = [
            line.split(": ", 1)[1] for line in body.splitlines() if line.startswith("escalated at")
        ]
        found.append((level, str(message["To"]), instant))
    return sorted(found)


def _call(desk: Desk, who: str, method: str, path: str, body: Any = None) -> Any:
    response = desk.client.request(method, path, headers=desk.headers(who), json=body)
    assert response.is_success, (method, path, response.status_code, response.text)
    return response.json()


def _tick(desk: Desk, at: dt.datetime) -> None:
    desk.world.clock.at = at
    report = tick(desk.world.services)
    assert report.had_turn
    assert [job.describe() for job in report.failed] == []


def _verdict(desk: Desk, objective: str) -> dict[str, Any]:
    page = _call(
        desk,
        "manager",
        "GET",
        f"/api/v1/agreements/payments-api/verdicts?window=2026-11&objective={objective}",
    )
    [verdict] = page["items"]
    return dict(verdict)


def _opened_by_alertmanager(desk: Desk) -> str:
    """An Alertmanager webhook, authenticated by its source's secret, opens the incident."""
    desk.world.clock.at = FRIDAY_EVENING
    source = _call(
        desk,
        "manager",
        "POST",
        "/api/v1/agreements/payments-api/incident-sources",
        {"name": "prometheus", "kind": "alertmanager", "severity": "sev1"},
    )
    hook = {"Authorization": f"Bearer {source['secret']}"}
    opened = desk.client.post("/api/v1/inbound/alertmanager", headers=hook, json=_alert())
    assert opened.status_code == 200, opened.text
    [incident] = opened.json()
    assert (incident["severity"], incident["party"], incident["created"]) == (
        "sev2",
        "payco",
        True,
    )
    path = f"/api/v1/incidents/{incident['id']}"
    clocks = {o["kind"]: o for o in _call(desk, "payco", "GET", path)["obligations"]}
    assert dt.datetime.fromisoformat(clocks["acknowledge"]["due_at"]) == ACK_DUE
    assert clocks["acknowledge"]["calendar"] == "london-support"
    return path


def _escalated_after_the_weekend(desk: Desk, smtp: Mailbox) -> None:
    """The acknowledgement clock stands still over the weekend: no escalation on Saturday,
    nor at the due instant itself; level 1 is told when the clock lapses, level 2 when level
    1's 30 minutes have run."""
    for at in (SATURDAY_NOON, ACK_DUE):
        _tick(desk, at)
        assert _escalations(smtp) == [], at
    _tick(desk, ACK_DUE + dt.timedelta(minutes=1))
    level_1 = ("level 1", "noc@payco.example", ACK_DUE.isoformat())
    assert _escalations(smtp) == [level_1]
    _tick(desk, LEVEL_2_AT - dt.timedelta(minutes=1))
    assert _escalations(smtp) == [level_1]
    _tick(desk, LEVEL_2_AT)
    level_2 = [
        ("level 2", "noc@payco.example", LEVEL_2_AT.isoformat()),
        ("level 2", "partners@payco.example", LEVEL_2_AT.isoformat()),
    ]
    assert _escalations(smtp) == sorted([level_1, *level_2])


def _handled_by_the_partner(desk: Desk, path: str) -> None:
    """The partner acknowledges with its own token (another partner's finds nothing), posts
    one update on time and one late, and resolves."""
    desk.world.clock.at = ACKNOWLEDGED
    other = desk.client.post(f"{path}/acknowledgement", headers=desk.headers("charlie"))
    assert other.status_code == 404
    acked = _call(desk, "payco", "POST", f"{path}/acknowledgement")
    assert (acked["state"], acked["acknowledged_by"]) == ("acknowledged", "noc@payco.example")
    desk.world.clock.at = FIRST_UPDATE
    _call(desk, "payco", "POST", f"{path}/updates", {"text": "Rolled back the release."})
    desk.world.clock.at = LATE_UPDATE
    _call(desk, "payco", "POST", f"{path}/updates", {"text": "Error ratio back under 0.1%."})
    desk.world.clock.at = RESOLVED
    assert _call(desk, "payco", "POST", f"{path}/resolution")["state"] == "resolved"
    duties = _call(desk, "manager", "GET", path)["obligations"]
    assert [o["state"] for o in duties if o["kind"] == "update"] == ["met", "missed", "waived"]


def _reviewed_with_two_actions(desk: Desk, path: str) -> list[dict[str, Any]]:
    """The post-incident review, with two preventive actions, is filed in time; the first
    action is done."""
    review = f"{path}/review"
    written = {
        "summary": "A release broke token refresh in eu-west.",
        "customer_impact": {"payments failed": 3400},
        "root_cause": "The token cache was flushed on deploy.",
        "contributing_factors": ["no canary stage"],
        "went_well": "Rollback took 4 minutes.",
        "went_wrong": "Nobody was paged on Friday evening.",
    }
    _call(desk, "payco", "PUT", review, written)
    actions = [
        _call(desk, "payco", "POST", f"{path}/actions", body)
        for body in (
            {"title": "Add a canary stage", "owner": "Release engineering", "due_on": "2026-11-20"},
            {"title": "Page on the auth error ratio", "owner": "PayCo NOC", "due_on": "2026-11-13"},
        )
    ]
    assert dt.datetime.fromisoformat(actions[1]["due_at"]) == ACTION_DUE
    desk.world.clock.at = dt.datetime(2026, 11, 10, 15, 0, tzinfo=dt.UTC)
    filed = _call(desk, "payco", "POST", f"{review}/filing")
    assert (filed["review"]["state"], filed["obligation"]["state"]) == ("filed", "met")
    _call(desk, "payco", "POST", f"/api/v1/actions/{actions[0]['id']}/completion", {})
    return actions


def _overdue_action_escalates(desk: Desk, smtp: Mailbox, action: dict[str, Any]) -> None:
    _tick(desk, ACTION_DUE)
    before = len(_escalations(smtp))
    _tick(desk, ACTION_DUE + dt.timedelta(minutes=5))
    [told] = [m for m in smtp.messages if "preventive action" in _body(m)]
    assert "escalated to level 1" in str(told["Subject"])
    assert str(told["To"]) == "noc@payco.example"
    assert f"escalated at: {ACTION_DUE.isoformat()}" in _body(told)
    assert len(_escalations(smtp)) == before + 1
    late = _call(desk, "payco", "GET", f"/api/v1/actions/{action['id']}")
    assert (late["state"], late["obligation"]["state"]) == ("open", "missed")


def test_an_alert_runs_through_escalation_review_and_the_month_s_verdicts(
    desk: Desk, smtp: Mailbox
) -> None:
    # PayCo's authorisation data for October and November, so that the worker judges every
    # objective of the agreement, not only those measured from the service's records.
    files = desk.world.services.context.data_dir / "files"
    options = SampleOptions(months=2, end="2026-11", volume=0.02, bad_rows=False)
    write_sample_data(AgreementFiles().load_valid(EXAMPLE).agreement, files, options)

    path = _opened_by_alertmanager(desk)
    _escalated_after_the_weekend(desk, smtp)
    _handled_by_the_partner(desk, path)
    actions = _reviewed_with_two_actions(desk, path)
    _overdue_action_escalates(desk, smtp, actions[1])

    # November closes: the worker's tick judges it from what the service recorded.
    _tick(desk, DECEMBER)
    restore = _verdict(desk, "incident-restore")
    # From the impact start (Friday 17:41) to the resolution (Monday 13:00), wall clock.
    assert Decimal(restore["value"]) == Decimal((RESOLVED - IMPACT_STARTED).total_seconds())
    assert restore["outcome"] == "breach"  # above the 4h tolerance
    on_time = _verdict(desk, "status-updates")
    assert Decimal(on_time["value"]) == Decimal("0.5")  # one update on time, one late
    assert on_time["outcome"] == "breach"
    credits = _call(
        desk, "manager", "GET", "/api/v1/agreements/payments-api/credits?window=2026-11"
    )
    owed = {(e["scheme"], e["amount"]) for e in credits["entries"]}
    assert ("update-credits", "800.00") in owed  # 2% of the 40,000 EUR fee
