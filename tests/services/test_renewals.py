"""Renewal decisions: recorded with who and when, notice met against the notice obligations,
and an agreement past its last term skipped by scheduled evaluation yet still readable."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core.renewals import DecisionKind
from accord.services.errors import Conflict, Forbidden, NotFound
from accord.services.obligations import ObligationQuery
from accord.services.permissions import Principal
from accord.services.renewals import DecideRenewal
from accord.services.verdicts import VerdictQuery
from tests.services.world import CONSOLE, USERS, World

#: The world's agreements run from 2026-01-01 for 24 months, renew yearly, 3 months' notice.
SUMMER_2027 = dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC)
#: 1 January 2028, 00:00 in Berlin: when the initial term is over.
TERM_OVER = dt.datetime(2027, 12, 31, 23, tzinfo=dt.UTC)


@pytest.fixture
def people(world: World) -> dict[str, Principal]:
    """Every user, signed in before the tests move the clock past their tokens' lifetime."""
    return {email: world.principal(email) for email in USERS}


def decide(world: World, who: Principal, kind: DecisionKind) -> None:
    world.services.renewals.decide(
        who, DecideRenewal(agreement="acme-bravo", decision=kind, note="costs")
    )


def notices(world: World) -> dict[str, str]:
    found = world.services.obligations.list(CONSOLE, ObligationQuery(agreement="acme-bravo"))
    return {duty.kind: duty.state for duty in found if duty.subject.endswith("2027-12-31")}


def test_a_termination_in_time_meets_the_notice_obligations_and_ends_the_term(
    world: World, people: dict[str, Principal]
) -> None:
    world.clock.at = SUMMER_2027
    world.services.obligations.check(CONSOLE)
    assert notices(world) == {"renewal_notice": "open", "termination_notice": "open"}
    decide(world, people["partner@bravo.example"], DecisionKind.TERMINATE)
    assert notices(world) == {"renewal_notice": "met", "termination_notice": "met"}
    term = world.services.renewals.term(people["auditor@acme.example"], "acme-bravo")
    assert (term.last_day, term.ends_at, term.ended) == (dt.date(2027, 12, 31), TERM_OVER, False)
    (decision,) = term.decisions
    assert (decision.decision, decision.party, decision.decided_by, decision.decided_at) == (
        "terminate",
        "bravo",
        "partner@bravo.example",
        SUMMER_2027,
    )
    entry = list(world.services.audit.export(CONSOLE))[-1]
    assert entry["action"] == "renewal.terminate"
    assert entry["after"]["notices_met"] == [
        "termination_notice:2027-12-31",
        "renewal_notice:2027-12-31",
    ]


def test_an_ended_agreement_is_not_evaluated_on_schedule_but_stays_readable(
    world: World, people: dict[str, Principal]
) -> None:
    world.clock.at = SUMMER_2027
    decide(world, people["manager@acme.example"], DecisionKind.TERMINATE)
    world.clock.at = TERM_OVER + dt.timedelta(days=5)
    due = [job for job in world.services.scheduling.due(CONSOLE) if job.agreement == "acme-bravo"]
    assert [(job.period, job.kind.value) for job in due] == [("2027-12", "closing")]
    others = {job.agreement for job in world.services.scheduling.due(CONSOLE)}
    assert "acme-charlie" in others
    partner = people["partner@bravo.example"]
    assert world.services.portfolio.agreement(partner, "acme-bravo").id == "acme-bravo"
    world.services.verdicts.verdicts(partner, "acme-bravo", VerdictQuery())
    assert world.services.renewals.term(partner, "acme-bravo").ended
    with pytest.raises(Conflict, match="ended at 2027-12-31T23:00:00"):
        decide(world, people["manager@acme.example"], DecisionKind.RENEW)


def test_renegotiation_followed_by_renewal_keeps_the_agreement_running(
    world: World, people: dict[str, Principal]
) -> None:
    world.clock.at = SUMMER_2027
    decide(world, people["manager@acme.example"], DecisionKind.RENEGOTIATE)
    assert world.services.renewals.term(CONSOLE, "acme-bravo").last_day == dt.date(2027, 12, 31)
    decide(world, people["partner@bravo.example"], DecisionKind.RENEW)
    assert world.services.renewals.term(CONSOLE, "acme-bravo").last_day is None


def test_only_parties_with_the_governance_permission_decide(
    world: World, people: dict[str, Principal]
) -> None:
    with pytest.raises(Forbidden):
        decide(world, people["auditor@acme.example"], DecisionKind.TERMINATE)
    with pytest.raises(NotFound):
        decide(world, people["partner@charlie.example"], DecisionKind.TERMINATE)
    assert world.services.renewals.term(CONSOLE, "acme-bravo").decisions == []
