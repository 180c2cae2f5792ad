"""Incidents as stored: an alert opens one incident per source key (the same key from
another source or agreement is another incident, and incidents reported by hand, without a
key, never collide); an inbound source's name is unique within its agreement and its
secret's hash across all of them; every lifecycle instant keeps its instant and who set it;
and each row is its agreement's data, seen by no other partner."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from accord.store.incident_rows import (
    LIFECYCLE,
    IncidentEventRow,
    IncidentNoticeRow,
    IncidentRow,
    IncidentSourceRow,
)
from accord.store.tenancy import Tenant
from tests.store.rows import incident, incident_event, incident_notice, incident_source
from tests.store.seed import AT, agreements_seen, open_session, seed
from tests.store.violations import not_null_violated, unique_violated

_KEY = ("agreement_id", "source", "source_key")


def test_an_alert_opens_one_incident_per_source_and_key(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add_all(
            [
                incident(world.agreement_b, source="alertmanager", source_key="fp-1"),
                incident(world.agreement_b, source="webhook", source_key="fp-1"),
                incident(world.agreement_c, source="alertmanager", source_key="fp-1"),
                incident(world.agreement_b),
                incident(world.agreement_b),
            ]
        )
        session.commit()
        with unique_violated(session, "incidents", *_KEY):
            session.add(incident(world.agreement_b, source="alertmanager", source_key="fp-1"))
            session.flush()
        manual = select(IncidentRow.id).where(IncidentRow.source_key.is_(None))
        assert len(session.scalars(manual).all()) == 2


def test_a_source_s_name_is_unique_in_its_agreement_and_its_secret_everywhere(
    engine: Engine,
) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add_all(
            [
                incident_source(world.agreement_b, "alerts", "a" * 64),
                incident_source(world.agreement_c, "alerts", "b" * 64),
            ]
        )
        session.commit()
        with unique_violated(session, "incident_sources", "agreement_id", "name"):
            session.add(incident_source(world.agreement_b, "alerts", "c" * 64))
            session.flush()
        with unique_violated(session, "incident_sources", "secret_sha256"):
            session.add(incident_source(world.agreement_c, "pager", "a" * 64))
            session.flush()


def test_every_lifecycle_instant_is_kept_with_who_set_it(engine: Engine) -> None:
    world = seed(engine)
    instants = {name: AT + dt.timedelta(minutes=n) for n, name in enumerate(LIFECYCLE)}
    with open_session(engine, Tenant.system()) as session:
        row = incident(world.agreement_b, "closed")
        for name, at in instants.items():
            setattr(row, f"{name}_at", at)
            setattr(row, f"{name}_by", f"by-{name}")
        session.add(row)
        session.commit()
    with open_session(engine, Tenant.system()) as session:
        stored = session.scalars(select(IncidentRow)).one()
        assert {name: getattr(stored, f"{name}_at") for name in LIFECYCLE} == instants
        assert [getattr(stored, f"{name}_by") for name in LIFECYCLE] == [
            f"by-{name}" for name in LIFECYCLE
        ]


def test_an_incident_is_reported_at_an_instant(engine: Engine) -> None:
    world = seed(engine)
    with (
        open_session(engine, Tenant.system()) as session,
        not_null_violated(session, "incidents", "reported_at"),
    ):
        session.add(incident(world.agreement_b, reported_at=None))
        session.flush()


def test_a_partner_sees_the_incidents_of_its_own_agreements_only(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        for n, agreement in enumerate((world.agreement_b, world.agreement_c)):
            row = incident(agreement)
            session.add(row)
            session.flush()
            session.add_all(
                [
                    incident_event(row, "reported"),
                    incident_notice(row, "initial", AT),
                    incident_source(agreement, "alerts", str(n) * 64),
                ]
            )
        session.commit()
    rows = (IncidentRow, IncidentEventRow, IncidentNoticeRow, IncidentSourceRow)
    for partner, agreement in (
        (world.partner_b, world.agreement_b),
        (world.partner_c, world.agreement_c),
    ):
        assert agreements_seen(engine, Tenant(partner), rows) == {
            row.__name__: [agreement] for row in rows
        }
