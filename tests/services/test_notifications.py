"""The outbox: reminders before a notice deadline are written once, delivered by the worker
over a real SMTP server, retried with backoff when delivery fails, every attempt recorded."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.bootstrap import build
from accord.services.container import Services
from accord.services.errors import Forbidden, Invalid
from accord.services.notifications import MAX_ATTEMPTS, Preferences, backoff
from accord.services.permissions import Principal
from accord.services.portfolio import UploadVersion
from accord.services.ports import FixedClock
from accord.settings import Settings
from tests.mailbox import Mailbox
from tests.services.world import FAST_HASHES, NOW, World, agreement_document, populate

WORKER = Principal.console("worker")
#: acme-bravo's notice deadlines: before 1 October 2027 00:00 in Berlin.
DUE = dt.datetime(2027, 9, 30, 22, tzinfo=dt.UTC)


def _with_contacts(world: World) -> None:
    document = agreement_document("bravo", version="2")
    document["parties"][0]["contacts"] = [
        {"name": "Vendor desk", "email": "vendors@acme.example"},
        {"name": "Legal", "email": "legal@acme.example"},
    ]
    document["notifications"] = {"reminders": ["30 days", "7 days"]}
    world.services.portfolio.upload(
        world.principal("manager@acme.example"), UploadVersion(text=json.dumps(document))
    )


@pytest.fixture
def mailed(database_url: str, tmp_path: Path, smtp: Mailbox) -> Iterator[World]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        mail_from="accord@acme.example",
    )
    clock = FixedClock(NOW)
    services: Services = build(settings, clock=clock, passwords=FAST_HASHES)
    world = populate(services, clock)
    _with_contacts(world)
    yield world
    services.close()


def test_a_reminder_goes_out_ahead_of_a_notice_deadline(mailed: World, smtp: Mailbox) -> None:
    services = mailed.services
    mailed.clock.at = DUE - dt.timedelta(days=31)
    assert services.obligations.check(WORKER).reminded == 0
    mailed.clock.at = DUE - dt.timedelta(days=29)
    # Renewal and termination notice, to each of the two contacts.
    assert services.obligations.check(WORKER).reminded == 4
    assert services.obligations.check(WORKER).reminded == 0  # once per lead time
    report = services.notifications.deliver_due(WORKER)
    assert (report.delivered, report.failed) == (4, 0)
    [renewal, _termination] = sorted(smtp.to("legal@acme.example"), key=lambda m: m["Subject"])
    assert "last day to give notice (3 months) to stop or request renewal" in renewal["Subject"]
    body = renewal.get_body(("plain",))
    assert body is not None
    assert "last day: 2027-09-30" in body.get_content()
    assert "30 days before" in body.get_content()
    assert services.notifications.deliver_due(WORKER).delivered == 0  # never twice
    mailed.clock.at = DUE - dt.timedelta(days=6)
    assert services.obligations.check(WORKER).reminded == 4  # the 7-day reminder
    assert services.notifications.deliver_due(WORKER).delivered == 4
    assert len(smtp.messages) == 8
    assert len({m["Message-ID"] for m in smtp.messages}) == 8


def test_every_attempt_is_recorded_and_a_failure_backs_off(mailed: World, smtp: Mailbox) -> None:
    services = mailed.services
    mailed.clock.at = DUE - dt.timedelta(days=3)
    services.obligations.check(WORKER)

    def refuse(_message: object) -> None:
        raise RuntimeError("mail store full")  # aiosmtpd answers 451

    smtp.on_message = refuse
    report = services.notifications.deliver_due(WORKER)
    assert (report.delivered, report.failed) == (0, 4)
    [first, *_] = services.notifications.matching(WORKER, agreement="acme-bravo")
    assert first.state == "pending"
    wait = first.next_attempt_at - mailed.clock.at
    assert dt.timedelta(seconds=30) <= wait <= dt.timedelta(minutes=1)
    assert services.notifications.deliver_due(WORKER).failed == 0  # not yet due again
    smtp.on_message = None
    mailed.clock.at += dt.timedelta(minutes=1)
    assert services.notifications.deliver_due(WORKER).delivered == 4
    shown = services.notifications.get(WORKER, first.id)
    assert [(a.number, a.outcome) for a in shown.history] == [(1, "failed"), (2, "delivered")]
    assert shown.history[0].detail is not None
    assert shown.state == "delivered"


def test_backoff_doubles_with_jitter_up_to_six_hours() -> None:
    rng = random.Random(7)
    for attempt in range(1, MAX_ATTEMPTS + 3):
        ceiling = min(dt.timedelta(minutes=2 ** (attempt - 1)), dt.timedelta(hours=6))
        wait = backoff(attempt, rng)
        assert ceiling / 2 <= wait <= ceiling


def test_a_partner_sees_only_its_agreements_notifications(mailed: World) -> None:
    charlie = mailed.principal("partner@charlie.example")
    bravo = mailed.principal("partner@bravo.example")
    mailed.clock.at = DUE - dt.timedelta(days=3)
    mailed.services.obligations.check(WORKER)
    assert len(mailed.services.notifications.matching(bravo)) == 4
    assert mailed.services.notifications.matching(charlie) == []


def test_a_user_s_preferences_filter_what_the_agreement_sends_them(
    mailed: World, smtp: Mailbox
) -> None:
    """Who gets what: the agreement's contacts, less what each user muted (a user of the
    service whose address is a contact); the muted email is kept as suppressed, with why."""
    document = agreement_document("bravo", version="3")
    document["parties"][0]["contacts"] = [
        {"name": "Manager", "email": "manager@acme.example"},
        {"name": "Legal", "email": "legal@acme.example"},
    ]
    manager = mailed.principal("manager@acme.example")
    mailed.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    services = mailed.services
    assert services.notifications.preferences(manager) == Preferences()
    with pytest.raises(Invalid, match="cannot mute escalation"):
        services.notifications.set_preferences(manager, Preferences(muted=("escalation",)))
    services.notifications.set_preferences(manager, Preferences(muted=("reminder",)))
    assert services.notifications.preferences(manager).muted == ("reminder",)
    with pytest.raises(Invalid, match="signed-in user"):
        services.notifications.preferences(WORKER)
    with pytest.raises(Forbidden, match="'admin'"):  # only an admin names another user
        services.notifications.preferences(manager, "partner@bravo.example")
    assert services.notifications.preferences(WORKER, "manager@acme.example").muted == ("reminder",)

    mailed.clock.at = DUE - dt.timedelta(days=29)
    assert services.obligations.check(WORKER).reminded == 4  # two deadlines, two contacts
    assert services.notifications.deliver_due(WORKER).delivered == 2
    assert {str(m["To"]) for m in smtp.messages} == {"legal@acme.example"}
    suppressed = services.notifications.matching(Principal.console(), states=("suppressed",))
    assert {(n.recipient, n.event) for n in suppressed} == {("manager@acme.example", "reminder")}
    assert "muted reminder emails" in (suppressed[0].last_error or "")
