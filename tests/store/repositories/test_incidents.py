"""Incidents in the store: found by id or by an alert's source key within its agreement;
listed across agreements with their slug; read as a recorded source reads them; timeline
entries changed strictly after an instant (whatever zone it is given in), by incident and
instant; an incident's duties earliest due first, and the lapsed or overdue ones not yet
done; inbound sources by name and secret; reviews, preventive actions (earliest due first)
and breach notices in the order they were sent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.core.model.recorded import RECORDED_COLUMNS
from accord.store.repositories import Incidents
from accord.store.tenancy import Tenant
from tests.store.rows import (
    DAY,
    duty,
    incident,
    incident_event,
    incident_notice,
    incident_review,
    incident_source,
    preventive_action,
)
from tests.store.seed import AT, open_session, seed

HOUR = dt.timedelta(hours=1)


def test_incidents_by_id_by_source_key_and_across_agreements(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        incidents = Incidents(session)
        alert = incidents.add(incident(world.agreement_b, source="alertmanager", source_key="fp-1"))
        resolved = incidents.add(incident(world.agreement_b, "resolved"))
        theirs = incidents.add(incident(world.agreement_c))
        assert incidents.find(alert.id) is alert
        assert incidents.find_by_source(world.agreement_b, "alertmanager", "fp-1") is alert
        assert incidents.find_by_source(world.agreement_c, "alertmanager", "fp-1") is None
        assert incidents.find_by_source(world.agreement_b, "webhook", "fp-1") is None
        slug_b, slug_c = f"with-{world.partner_b}", f"with-{world.partner_c}"
        assert incidents.matching() == [(alert, slug_b), (resolved, slug_b), (theirs, slug_c)]
        assert incidents.matching(states=("reported",)) == [(alert, slug_b), (theirs, slug_c)]
        assert incidents.matching(agreement_id=world.agreement_b, states=("resolved",)) == [
            (resolved, slug_b)
        ]
        session.commit()
    with open_session(engine, Tenant(world.partner_c)) as session:
        assert Incidents(session).find(alert.id) is None
        assert [row.id for row, _ in Incidents(session).matching()] == [theirs.id]


def test_incidents_as_a_recorded_source_reads_them(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        incidents = Incidents(session)
        first = incidents.add(
            incident(world.agreement_b, "acknowledged", acknowledged_at=AT + HOUR, security=True)
        )
        second = incidents.add(incident(world.agreement_b, source="alertmanager"))
        incidents.add(incident(world.agreement_c))
        rows = incidents.recorded(world.agreement_b)
    columns = list(RECORDED_COLUMNS["incidents"])
    read = [dict(zip(columns, row, strict=True)) for row in rows]
    assert [(r["id"], r["origin"], r["security"]) for r in read] == [
        (first.id, "manual", True),
        (second.id, "alertmanager", False),
    ]
    assert (read[0]["reported_at"], read[0]["acknowledged_at"]) == (AT, AT + HOUR)
    assert read[1]["acknowledged_at"] is None


def test_timeline_entries_changed_strictly_after_an_instant(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        incidents = Incidents(session)
        first = incidents.add(incident(world.agreement_b))
        second = incidents.add(incident(world.agreement_b))
        other = incidents.add(incident(world.agreement_c))
        added = [
            incidents.add_event(incident_event(second, "acknowledge", AT + HOUR)),
            incidents.add_event(incident_event(first, "resolve", AT + 2 * HOUR)),
            incidents.add_event(incident_event(first, "acknowledge", AT + HOUR)),
            incidents.add_event(incident_event(first, "update", AT + 3 * HOUR)),
            incidents.add_event(incident_event(first, "resolve", AT)),
            incidents.add_event(incident_event(other, "resolve", AT + HOUR)),
        ]
        # Noon UTC given as 14:00 in UTC+2: the entry at exactly that instant is not after it.
        since = AT.astimezone(dt.timezone(2 * HOUR))
        changed = incidents.changed_after(world.agreement_b, since, {"acknowledge", "resolve"})
        assert changed == [added[2], added[1], added[0]]
        assert incidents.changed_after(world.agreement_b, since, ()) == []
        assert incidents.events(first.id) == [added[1], added[2], added[3], added[4]]


def test_an_incident_s_duties_and_those_lapsed_or_overdue_but_not_done(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        incidents = Incidents(session)
        row = incidents.add(incident(world.agreement_b))
        other = incidents.add(incident(world.agreement_c))
        session.add_all(
            [
                late := duty(world.agreement_b, "ack", AT + HOUR, incident_id=row.id),
                lapsed := duty(world.agreement_b, "update", AT, incident_id=row.id, state="missed"),
                duty(
                    world.agreement_b,
                    "notify",
                    AT - HOUR,
                    incident_id=row.id,
                    state="missed",
                    done_at=AT,
                ),
                duty(world.agreement_b, "report", AT - DAY, incident_id=row.id, state="met"),
                theirs := duty(world.agreement_c, "ack", AT + HOUR, incident_id=other.id),
                duty(world.agreement_b, "review:2026-10", AT - DAY),
            ]
        )
        session.flush()
        assert [d.key for d in incidents.duties(row.id)] == ["report", "notify", "update", "ack"]
        assert incidents.undone_lapsed_duties() == [lapsed]
        assert incidents.overdue_undone_duties(AT + HOUR) == [lapsed]
        assert incidents.overdue_undone_duties(AT + 2 * HOUR) == [lapsed, late, theirs]
        assert incidents.overdue_undone_duties(AT) == []


def test_inbound_sources_by_name_and_by_the_hash_of_their_secret(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        incidents = Incidents(session)
        pager = incidents.add_source(incident_source(world.agreement_b, "pager", "a" * 64))
        alerts = incidents.add_source(incident_source(world.agreement_b, "alerts", "b" * 64))
        incidents.add_source(incident_source(world.agreement_c, "bots", "c" * 64))
        assert incidents.sources(world.agreement_b) == [alerts, pager]
        assert incidents.find_source("a" * 64) is pager
        assert incidents.find_source("d" * 64) is None


def test_reviews_actions_and_notices_of_an_incident(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        incidents = Incidents(session)
        row = incidents.add(incident(world.agreement_b))
        other = incidents.add(incident(world.agreement_c))
        review = incidents.add_review(incident_review(row))
        assert incidents.find_review(row.id) is review
        assert incidents.find_review(other.id) is None
        day = dt.date(2026, 11, 1)
        later = incidents.add_action(preventive_action(row, "later", day + DAY))
        first = incidents.add_action(preventive_action(row, "first", day))
        tie = incidents.add_action(preventive_action(row, "tie", day, state="done"))
        theirs = incidents.add_action(preventive_action(other, "theirs", day))
        assert incidents.find_action(tie.id) is tie
        assert incidents.actions(row.id) == [later, first, tie]
        slug_b = f"with-{world.partner_b}"
        assert incidents.matching_actions(agreement_id=world.agreement_b) == [
            (first, slug_b),
            (tie, slug_b),
            (later, slug_b),
        ]
        open_actions = incidents.matching_actions(states=("open",))
        assert [action for action, _ in open_actions] == [first, theirs, later]
        final = incidents.add_notice(incident_notice(row, "final", AT + DAY))
        initial = incidents.add_notice(incident_notice(row, "initial", AT))
        intermediate = incidents.add_notice(incident_notice(row, "intermediate", AT))
        assert incidents.notices(row.id) == [initial, intermediate, final]
        assert incidents.notices(other.id) == []
