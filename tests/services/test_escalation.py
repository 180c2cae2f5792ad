"""The self-check of escalations running late: a rung not told while the worker was down,
then told late, then a message that does not arrive (an SMTP server that refuses), until
the duty is done."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.bootstrap import build
from accord.services.container import Services
from accord.services.incidents import OpenIncident
from accord.services.organisations import CreateOrganisation, OrganisationKind
from accord.services.permissions import Principal
from accord.services.portfolio import UploadVersion
from accord.services.ports import FixedClock
from accord.settings import Settings
from tests.services.world import FAST_HASHES

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
CONSOLE = Principal.console()
WORKER = Principal.console("worker")
OPENED = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)  # a Monday
#: sev1: acknowledge within 15m; level 1 is told then, level 2 after level 1's 30 minutes.
LEVEL_1_AT = OPENED + dt.timedelta(minutes=15)
LEVEL_2_AT = LEVEL_1_AT + dt.timedelta(minutes=30)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[tuple[Services, FixedClock]]:
    clock = FixedClock(OPENED)
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        smtp_host="127.0.0.1",
        smtp_port=_closed_port(),  # nothing listens: every email fails
    )
    built = build(settings, clock=clock, passwords=FAST_HASHES)
    built.organisations.create_organisation(
        CONSOLE, CreateOrganisation(slug="acme", name="Acme", kind=OrganisationKind.COMPANY)
    )
    built.organisations.create_organisation(
        CONSOLE, CreateOrganisation(slug="payco", name="PayCo Payments Ltd")
    )
    built.portfolio.upload(CONSOLE, UploadVersion(text=EXAMPLE.read_text()))
    yield built, clock
    built.close()


def test_escalations_not_sent_sent_late_and_undelivered_are_reported_until_done(
    services: tuple[Services, FixedClock],
) -> None:
    built, clock = services
    incident = built.incidents.open(
        CONSOLE, OpenIncident(agreement="payments-api", title="Auth errors", severity="sev1")
    )
    clock.at = LEVEL_1_AT + dt.timedelta(minutes=10)
    assert built.obligations.late_escalations(CONSOLE) == []  # inside the grace period

    clock.at = OPENED + dt.timedelta(hours=2)  # the worker was down until now
    late = built.obligations.late_escalations(CONSOLE)
    assert [(item.level, item.due_at, item.told_at) for item in late] == [
        (1, LEVEL_1_AT, None),
        (2, LEVEL_2_AT, None),
    ]
    assert late[0].reasons[0].startswith("not sent: due 2026-11-09T10:15:00+00:00, 1:45:00 ago")
    assert (late[0].incident, late[0].agreement) == (incident.id, "payments-api")

    built.obligations.check(WORKER)
    built.notifications.deliver_due(WORKER)
    told = built.obligations.late_escalations(CONSOLE)
    assert [(item.level, item.told_at, item.reasons) for item in told] == [
        (1, clock.at, ("sent late by 1:45:00",)),
        (2, clock.at, ("sent late by 1:15:00",)),
    ]

    clock.at += dt.timedelta(minutes=20)
    undelivered = built.obligations.late_escalations(CONSOLE)[0].reasons
    assert undelivered[0] == "sent late by 1:45:00"
    assert "delivery pending to noc@payco.example (last error:" in undelivered[1]

    built.incidents.acknowledge(CONSOLE, incident.id)
    assert built.obligations.late_escalations(CONSOLE) == []
