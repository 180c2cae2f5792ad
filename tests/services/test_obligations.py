"""Obligations kept by the service: notice deadlines scheduled on upload, listed within a
horizon, missed as of their due instant, met or waived with who and when."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.services.errors import Conflict, Forbidden, Invalid
from accord.services.obligations import ObligationQuery
from accord.services.permissions import Principal
from tests.services.world import World

WORKER = Principal.console("worker")
#: acme-bravo runs 2026-01-01 to 2027-12-31 with 3 months' notice: the last day is
#: 30 September 2027, so notice is due before 1 October 00:00 in Berlin.
DUE = dt.datetime(2027, 9, 30, 22, tzinfo=dt.UTC)


def _open(world: World, agreement: str = "acme-bravo") -> dict[str, int]:
    found = world.services.obligations.list(
        WORKER, ObligationQuery(agreement=agreement, states=("open",))
    )
    return {item.kind: item.id for item in found}


def test_uploading_an_agreement_schedules_its_notice_deadlines(world: World) -> None:
    found = world.services.obligations.list(WORKER, ObligationQuery(agreement="acme-bravo"))
    assert [(item.kind, item.due_at, item.state) for item in found] == [
        ("renewal_notice", DUE, "open"),
        ("termination_notice", DUE, "open"),
    ]


def test_a_partner_sees_only_its_own_agreements_obligations(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    found = world.services.obligations.list(partner, ObligationQuery())
    assert {item.agreement for item in found} == {"acme-bravo"}


def test_due_within_is_a_horizon_from_now(world: World) -> None:
    query = ObligationQuery(due_within=dt.timedelta(days=7))
    assert world.services.obligations.list(WORKER, query) == []
    world.clock.at = DUE - dt.timedelta(days=3)
    assert len(world.services.obligations.list(WORKER, query)) == 4


def test_a_lapsed_obligation_is_missed_at_its_due_instant_not_when_checked(world: World) -> None:
    world.clock.at = DUE + dt.timedelta(days=2, hours=5)  # the worker was down for two days
    report = world.services.obligations.check(WORKER)
    assert len(report.missed) == 4
    assert {item.state_at for item in report.missed} == {DUE}
    # The next term's deadlines (the agreement renewed) are scheduled by the same check.
    next_due = world.services.obligations.list(
        WORKER, ObligationQuery(agreement="acme-bravo", states=("open",))
    )
    assert {item.due_at.date() for item in next_due} == {dt.date(2028, 9, 30)}
    assert world.services.obligations.check(WORKER).missed == ()


def test_the_due_instant_itself_is_still_in_time(world: World) -> None:
    manager = world.principal("manager@acme.example")  # before its token expires
    world.clock.at = DUE
    assert world.services.obligations.check(WORKER).missed == ()
    met = world.services.obligations.meet(manager, _open(world)["renewal_notice"])
    assert (met.state, met.state_at, met.state_by) == ("met", DUE, "manager@acme.example")


def test_meeting_after_the_due_instant_is_missed(world: World) -> None:
    manager = world.principal("manager@acme.example")
    world.clock.at = DUE + dt.timedelta(minutes=1)
    late = world.services.obligations.meet(manager, _open(world)["renewal_notice"])
    assert (late.state, late.state_at) == ("missed", DUE)


def test_a_waiver_needs_a_reason_and_a_manager(world: World) -> None:
    manager = world.principal("manager@acme.example")
    obligation = _open(world)["termination_notice"]
    with pytest.raises(Invalid, match="reason"):
        world.services.obligations.waive(manager, obligation, " ")
    with pytest.raises(Forbidden):
        world.services.obligations.waive(world.principal("partner@bravo.example"), obligation, "x")
    waived = world.services.obligations.waive(manager, obligation, "we intend to renew")
    assert (waived.state, waived.reason) == ("waived", "we intend to renew")
    with pytest.raises(Conflict, match="already waived"):
        world.services.obligations.waive(manager, obligation, "again")
