"""Incidents as use cases: opening (once per source and key), the clocks kept as obligations
(business time on the support calendar, across a change of the clocks; wall time for sev1),
the steps and the states they may come from, status updates, a change of severity that moves
the open clocks, and who may see and act: a partner only on its own agreements' incidents
(another's answers not found), a viewer reads but does not act."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.incidents import IncidentDetail, OpenIncident
from accord.services.obligations import ObligationView
from tests.services.payco import AGREEMENT, FRIDAY_EVENING, NOC, WORKER, add_payco, open_at
from tests.services.world import World

#: Friday 23 October 2026, 17:50 in London (BST, UTC+1); the clocks go back on Sunday 25th.
BEFORE_THE_CLOCKS_GO_BACK = dt.datetime(2026, 10, 23, 16, 50, tzinfo=dt.UTC)
MANAGER = "manager@acme.example"


@pytest.fixture
def desk(world: World) -> World:
    add_payco(world)
    return world


def _detail(world: World, incident_id: int, who: str = MANAGER) -> IncidentDetail:
    return world.services.incidents.get(world.principal(who), incident_id)


def _clocks(world: World, incident_id: int) -> dict[str, ObligationView]:
    return {o.key.split(":", 2)[2]: o for o in _detail(world, incident_id).obligations}


def test_a_sev2_acknowledgement_runs_in_london_hours_across_the_clocks_going_back(
    desk: World,
) -> None:
    incident = open_at(desk, BEFORE_THE_CLOCKS_GO_BACK)

    clocks = _clocks(desk, incident.id)
    # Ten business minutes until 18:00 BST on Friday, twenty from 08:00 GMT on Monday.
    assert clocks["acknowledge"].due_at == dt.datetime(2026, 10, 26, 8, 20, tzinfo=dt.UTC)
    # One business day of ten hours: 10 minutes on Friday, 9 h 50 on Monday.
    assert clocks["resolve"].due_at == dt.datetime(2026, 10, 26, 17, 50, tzinfo=dt.UTC)


def test_the_first_update_is_due_two_business_hours_after_the_acknowledgement(
    desk: World,
) -> None:
    incident = open_at(desk, dt.datetime(2026, 11, 9, 16, 0, tzinfo=dt.UTC))  # Monday
    desk.clock.at = dt.datetime(2026, 11, 9, 16, 20, tzinfo=dt.UTC)
    desk.services.incidents.acknowledge(desk.principal(NOC), incident.id)

    clocks = _clocks(desk, incident.id)
    assert clocks["acknowledge"].state == "met"
    # 1 h 40 min until 18:00 on Monday, the last 20 minutes from 08:00 on Tuesday.
    assert clocks["update:1"].due_at == dt.datetime(2026, 11, 10, 8, 20, tzinfo=dt.UTC)


def test_mitigating_first_counts_as_the_acknowledgement_and_starts_the_updates_in_hours(
    desk: World,
) -> None:
    incident = open_at(desk, dt.datetime(2026, 11, 9, 16, 0, tzinfo=dt.UTC))  # Monday
    mitigated_at = dt.datetime(2026, 11, 9, 16, 20, tzinfo=dt.UTC)
    desk.clock.at = mitigated_at
    mitigated = desk.services.incidents.mitigate(desk.principal(NOC), incident.id)

    assert (mitigated.state, mitigated.acknowledged_at, mitigated.acknowledged_by) == (
        "mitigated",
        mitigated_at,
        NOC,
    )
    clocks = _clocks(desk, incident.id)
    assert clocks["acknowledge"].state == "met"
    # As after an acknowledgement: 1 h 40 min on Monday, the last 20 minutes on Tuesday.
    assert (clocks["update:1"].trigger_at, clocks["update:1"].due_at) == (
        mitigated_at,
        dt.datetime(2026, 11, 10, 8, 20, tzinfo=dt.UTC),
    )
    assert _detail(desk, incident.id).timeline[-1].text == (
        f"mitigated by {NOC}, which counts as the acknowledgement"
    )


def test_a_sev1_clock_runs_on_the_wall_clock_through_the_weekend(desk: World) -> None:
    saturday = dt.datetime(2026, 11, 7, 3, 0, tzinfo=dt.UTC)
    incident = open_at(desk, saturday, "sev1")

    clocks = _clocks(desk, incident.id)
    assert clocks["acknowledge"].due_at == saturday + dt.timedelta(minutes=15)
    assert clocks["resolve"].due_at == saturday + dt.timedelta(hours=4)


def test_the_same_source_key_opens_one_incident(desk: World) -> None:
    first = open_at(desk, FRIDAY_EVENING, source_key="alert-7")
    again = open_at(desk, FRIDAY_EVENING + dt.timedelta(minutes=3), source_key="alert-7")
    other = open_at(desk, FRIDAY_EVENING, source_key="alert-8")

    assert (first.created, again.created, again.id) == (True, False, first.id)
    assert other.id != first.id
    listed = desk.services.incidents.list(desk.principal(MANAGER), agreement=AGREEMENT)
    assert sorted(i.id for i in listed) == sorted([first.id, other.id])
    assert [e.kind for e in _detail(desk, first.id).timeline] == ["opened"]


def test_an_unknown_severity_is_refused_with_the_policy_s_severities(desk: World) -> None:
    with pytest.raises(
        Invalid, match=r"no severity 'p1' in the incident policy; severities: sev1, sev2"
    ):
        open_at(desk, FRIDAY_EVENING, "p1")


def test_a_blank_title_is_refused(desk: World) -> None:
    command = OpenIncident(agreement=AGREEMENT, title="  ", severity="sev1")
    with pytest.raises(Invalid, match="needs a title"):
        desk.services.incidents.open(desk.principal(NOC), command)


@pytest.mark.parametrize(
    ("instants", "words"),
    [
        ({"detected_at": dt.datetime(2026, 11, 6, 17, 0)}, "detected_at needs a time zone"),
        (
            {"impact_started_at": dt.datetime(2026, 11, 6, 17)},
            "impact_started_at needs a time zone",
        ),
        (
            {"detected_at": FRIDAY_EVENING + dt.timedelta(days=2)},
            "detected_at is after the incident is reported",
        ),
        (
            {"impact_started_at": FRIDAY_EVENING + dt.timedelta(minutes=1)},
            "impact_started_at is after the incident is reported",
        ),
        (
            {
                "impact_started_at": FRIDAY_EVENING - dt.timedelta(minutes=5),
                "detected_at": FRIDAY_EVENING - dt.timedelta(minutes=10),
            },
            "impact_started_at is after detected_at",
        ),
    ],
)
def test_instants_without_a_zone_or_after_the_report_are_refused_by_name(
    desk: World, instants: dict[str, dt.datetime], words: str
) -> None:
    """A detection after the report would move the breach notices' clocks (they run from
    when the provider became aware) into the future."""
    desk.clock.at = FRIDAY_EVENING
    command = OpenIncident(
        agreement=AGREEMENT, title="Card data exposed", severity="sev1", security=True, **instants
    )
    with pytest.raises(Invalid, match=words):
        desk.services.incidents.open(desk.principal(NOC), command)
    assert desk.services.incidents.list(desk.principal(NOC)) == []


def test_an_incident_detected_before_its_report_runs_its_notices_from_the_detection(
    desk: World,
) -> None:
    detected = FRIDAY_EVENING - dt.timedelta(hours=3)
    incident = open_at(desk, FRIDAY_EVENING, "sev1", security=True, detected_at=detected)

    notice = _clocks(desk, incident.id)["breach_notice:contract:notice"]
    assert notice.due_at == detected + dt.timedelta(hours=24)


def test_an_agreement_without_an_incident_policy_opens_none(world: World) -> None:
    command = OpenIncident(agreement="acme-bravo", title="Outage", severity="sev1")
    with pytest.raises(Invalid, match="'acme-bravo' has no incident policy"):
        world.services.incidents.open(world.principal(MANAGER), command)


def test_resolving_without_an_acknowledgement_meets_it_stops_updates_and_starts_the_review(
    desk: World,
) -> None:
    incident = open_at(desk, FRIDAY_EVENING)
    resolved_at = dt.datetime(2026, 11, 9, 8, 10, tzinfo=dt.UTC)  # Monday, before ack is due
    desk.clock.at = resolved_at
    resolved = desk.services.incidents.resolve(desk.principal(NOC), incident.id)

    assert (resolved.state, resolved.acknowledged_at, resolved.resolved_by) == (
        "resolved",
        resolved_at,
        NOC,
    )
    clocks = _clocks(desk, incident.id)
    assert {k: clocks[k].state for k in ("acknowledge", "resolve")} == {
        "acknowledge": "met",
        "resolve": "met",
    }
    assert "update:1" not in clocks
    # Five business days of ten hours: 9 h 50 on Monday, 40 Tuesday to Friday, 10 minutes on
    # the next Monday.
    assert clocks["review"].due_at == dt.datetime(2026, 11, 16, 8, 10, tzinfo=dt.UTC)


def test_steps_only_come_from_the_states_they_follow(desk: World) -> None:
    incidents, noc = desk.services.incidents, desk.principal(NOC)
    incident = open_at(desk, FRIDAY_EVENING)

    with pytest.raises(Conflict, match=f"incident {incident.id} is open; it cannot be closed"):
        incidents.close(noc, incident.id)
    incidents.acknowledge(noc, incident.id)
    with pytest.raises(Conflict, match="is acknowledged; it cannot be acknowledged"):
        incidents.acknowledge(noc, incident.id)
    incidents.mitigate(noc, incident.id)
    incidents.resolve(noc, incident.id)
    closed = incidents.close(desk.principal(MANAGER), incident.id)

    assert (closed.state, closed.mitigated_by, closed.closed_by) == ("closed", NOC, MANAGER)
    kinds = [e.kind for e in _detail(desk, incident.id).timeline]
    assert kinds == ["opened", "acknowledged", "mitigated", "resolved", "closed"]


def test_an_update_meets_the_running_clock_and_starts_the_next(desk: World) -> None:
    incidents, noc = desk.services.incidents, desk.principal(NOC)
    incident = open_at(desk, dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC))
    incidents.acknowledge(noc, incident.id)
    desk.clock.at = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)

    incidents.post_update(noc, incident.id, "  rolled back the release  ")

    clocks = _clocks(desk, incident.id)
    assert (clocks["update:1"].state, clocks["update:2"].state) == ("met", "open")
    assert clocks["update:2"].due_at == dt.datetime(2026, 11, 9, 12, 0, tzinfo=dt.UTC)
    assert _detail(desk, incident.id).timeline[-1].text == "rolled back the release"


def test_an_update_needs_text_and_an_incident_not_yet_resolved(desk: World) -> None:
    incidents, noc = desk.services.incidents, desk.principal(NOC)
    incident = open_at(desk, FRIDAY_EVENING)

    with pytest.raises(Invalid, match="a status update needs text"):
        incidents.post_update(noc, incident.id, " ")
    incidents.resolve(noc, incident.id)
    with pytest.raises(Conflict, match="is resolved; post a comment instead"):
        incidents.post_update(noc, incident.id, "all good")


def test_a_lower_severity_moves_the_open_clocks_onto_business_hours(desk: World) -> None:
    incident = open_at(desk, FRIDAY_EVENING, "sev1")
    assert _clocks(desk, incident.id)["acknowledge"].due_at == FRIDAY_EVENING + dt.timedelta(
        minutes=15
    )

    changed = desk.services.incidents.change_severity(
        desk.principal(MANAGER), incident.id, "sev2", "fewer than 5% affected"
    )

    assert changed.severity == "sev2"
    # From the original report: 10 business minutes on Friday, 20 on Monday.
    assert _clocks(desk, incident.id)["acknowledge"].due_at == dt.datetime(
        2026, 11, 9, 8, 20, tzinfo=dt.UTC
    )
    assert "sev1 → sev2: fewer than 5% affected" in _detail(desk, incident.id).timeline[-1].text


def test_a_change_of_severity_needs_a_reason_and_a_known_severity(desk: World) -> None:
    incidents, manager = desk.services.incidents, desk.principal(MANAGER)
    incident = open_at(desk, FRIDAY_EVENING)

    with pytest.raises(Invalid, match="needs a reason"):
        incidents.change_severity(manager, incident.id, "sev1", "")
    with pytest.raises(Invalid, match="no severity 'sev9'"):
        incidents.change_severity(manager, incident.id, "sev9", "worse")
    assert _detail(desk, incident.id).incident.severity == "sev2"


def test_a_resolved_incident_is_reclassified_but_its_clocks_stay_as_they_ran(
    desk: World,
) -> None:
    saturday = dt.datetime(2026, 11, 7, 3, 0, tzinfo=dt.UTC)
    incident = open_at(desk, saturday, "sev1")
    desk.clock.at = saturday + dt.timedelta(hours=2)  # acknowledged late, by the resolution
    desk.services.incidents.resolve(desk.principal(NOC), incident.id)
    before = {k: (o.state, o.due_at) for k, o in _clocks(desk, incident.id).items()}

    changed = desk.services.incidents.change_severity(
        desk.principal(MANAGER), incident.id, "sev2", "the review found 3% affected"
    )

    # Under sev2 the acknowledgement would be due on Monday, in time: it stays missed.
    assert before["acknowledge"] == ("missed", saturday + dt.timedelta(minutes=15))
    assert (changed.severity, changed.state) == ("sev2", "resolved")
    assert {k: (o.state, o.due_at) for k, o in _clocks(desk, incident.id).items()} == before
    assert "stay met or missed" in _detail(desk, incident.id).timeline[-1].text


def test_a_closed_incident_keeps_its_severity(desk: World) -> None:
    incidents, noc = desk.services.incidents, desk.principal(NOC)
    incident = open_at(desk, FRIDAY_EVENING)
    incidents.resolve(noc, incident.id)
    incidents.close(noc, incident.id)

    with pytest.raises(Conflict) as refused:
        incidents.change_severity(desk.principal(MANAGER), incident.id, "sev1", "worse")

    assert f"incident {incident.id} is closed" in str(refused.value)
    assert "a human decision, recorded elsewhere" in str(refused.value)
    assert _detail(desk, incident.id).incident.severity == "sev2"


def test_only_a_security_incident_owes_breach_notices(desk: World) -> None:
    plain = open_at(desk, FRIDAY_EVENING)
    breach = open_at(desk, FRIDAY_EVENING, security=True)

    assert {o.kind for o in _detail(desk, plain.id).obligations} == {"acknowledge", "resolve"}
    notices = {
        o.key.split(":", 3)[3]: o.due_at
        for o in _detail(desk, breach.id).obligations
        if o.kind == "breach_notice"
    }
    # On the wall clock from when PayCo became aware, weekend or not.
    assert notices["contract:notice"] == FRIDAY_EVENING + dt.timedelta(hours=24)
    assert notices["gdpr-art-33:notification"] == FRIDAY_EVENING + dt.timedelta(hours=72)


def test_another_partner_finds_no_incident_of_ours(desk: World) -> None:
    incident = open_at(desk, FRIDAY_EVENING)
    charlie = desk.principal("partner@charlie.example")
    incidents = desk.services.incidents

    assert incidents.list(charlie) == []
    with pytest.raises(NotFound, match=f"no incident {incident.id}"):
        incidents.get(charlie, incident.id)
    with pytest.raises(NotFound):
        incidents.acknowledge(charlie, incident.id)
    with pytest.raises(NotFound):
        incidents.open(charlie, OpenIncident(agreement=AGREEMENT, title="Outage", severity="sev1"))
    assert _detail(desk, incident.id).incident.state == "open"


def test_a_viewer_reads_incidents_but_may_not_act_on_them(desk: World) -> None:
    incident = open_at(desk, FRIDAY_EVENING)
    viewer = desk.principal("viewer@acme.example")
    incidents = desk.services.incidents

    assert [i.id for i in incidents.list(viewer)] == [incident.id]
    with pytest.raises(Forbidden):
        incidents.acknowledge(viewer, incident.id)
    with pytest.raises(Forbidden):
        incidents.post_update(viewer, incident.id, "looking")
    with pytest.raises(Forbidden):
        incidents.open(viewer, OpenIncident(agreement=AGREEMENT, title="x", severity="sev1"))
    assert _detail(desk, incident.id).incident.state == "open"


def test_an_update_missed_before_the_resolution_stops_escalating_once_resolved(
    desk: World,
) -> None:
    """sev1: acknowledged at once, the first update due 30 minutes later; it is missed, level
    1 is told, then the incident is resolved before level 2's turn."""
    incidents, noc = desk.services.incidents, desk.principal(NOC)
    opened_at = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)
    incident = open_at(desk, opened_at, "sev1")
    incidents.acknowledge(noc, incident.id)
    desk.clock.at = opened_at + dt.timedelta(minutes=35)
    told = desk.services.obligations.check(WORKER).escalated
    assert [(e.duty, e.level) for e in told] == [("update", 1)]

    incidents.resolve(noc, incident.id)

    desk.clock.at = opened_at + dt.timedelta(hours=8)
    assert desk.services.obligations.check(WORKER).escalated == ()
