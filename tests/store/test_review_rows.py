"""Post-incident reviews, preventive actions and notification preferences as stored: an
incident has one review at most and a user one set of preferences; an action belongs to an
incident that exists and falls due on a date; reviews and actions are their agreement's
data, preferences their organisation's (its members see their own, the operator all)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from accord.store.review_rows import (
    IncidentReviewRow,
    NotificationPreferenceRow,
    PreventiveActionRow,
)
from accord.store.tables import UserRow
from accord.store.tenancy import Tenant
from tests.store.rows import incident, incident_review, preventive_action
from tests.store.seed import AT, agreements_seen, open_session, seed
from tests.store.violations import foreign_key_violated, unique_violated

_DUE = dt.date(2026, 11, 2)


def test_an_incident_has_one_review_at_most(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        first, second = incident(world.agreement_b), incident(world.agreement_b)
        session.add_all([first, second])
        session.flush()
        session.add_all([incident_review(first, "filed"), incident_review(second)])
        session.commit()
        with unique_violated(session, "incident_reviews", "incident_id"):
            session.add(incident_review(first))
            session.flush()


def test_an_action_of_an_incident_that_does_not_exist_is_refused(engine: Engine) -> None:
    world = seed(engine)
    with (
        open_session(engine, Tenant.system()) as session,
        foreign_key_violated(session, "preventive_actions", "incident_id"),
    ):
        session.add(preventive_action(incident(world.agreement_b, id=999), "patch", _DUE))
        session.flush()


def test_a_partner_sees_the_reviews_and_actions_of_its_own_agreements_only(
    engine: Engine,
) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        for agreement in (world.agreement_b, world.agreement_c):
            row = incident(agreement)
            session.add(row)
            session.flush()
            session.add_all([incident_review(row), preventive_action(row, "patch", _DUE)])
        session.commit()
    rows = (IncidentReviewRow, PreventiveActionRow)
    assert agreements_seen(engine, Tenant(world.partner_c), rows) == {
        row.__name__: [world.agreement_c] for row in rows
    }
    with open_session(engine, Tenant(world.partner_b)) as session:
        action = session.scalars(select(PreventiveActionRow)).one()
        assert (action.agreement_id, action.due_on) == (world.agreement_b, _DUE)


def _preference(user: UserRow) -> NotificationPreferenceRow:
    return NotificationPreferenceRow(
        user_id=user.id,
        organisation_id=user.organisation_id,
        email=False,
        muted="[]",
        updated_at=AT,
    )


def test_preferences_are_one_per_user_and_seen_by_their_organisation(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        users = session.scalars(select(UserRow).order_by(UserRow.id)).all()
        session.add_all([_preference(user) for user in users])
        session.commit()
        with unique_violated(session, "notification_preferences", "user_id"):
            session.add(_preference(users[1]))
            session.flush()
    seen_by = {
        Tenant(world.partner_b): [world.partner_b],
        Tenant(world.company): [world.company],
        Tenant(world.company, operator=True): [world.company, world.partner_b, world.partner_c],
    }
    for tenant, organisations in seen_by.items():
        with open_session(engine, tenant) as session:
            query = select(NotificationPreferenceRow.organisation_id)
            assert sorted(session.scalars(query)) == organisations, tenant
