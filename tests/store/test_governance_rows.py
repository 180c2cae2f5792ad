"""Amendments and disputes as stored: each row is the data of its agreement, so a partner's
session sees the amendments, disputes, events and evidence of its own agreements and none
of another partner's, while the company that owns both sees all; an event or a piece of
evidence belongs to an amendment or dispute that exists; a dispute names who raised it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from accord.store.governance_rows import (
    AmendmentEventRow,
    AmendmentRow,
    DisputeEventRow,
    DisputeEvidenceRow,
    DisputeRow,
)
from accord.store.tables import Base
from accord.store.tenancy import Tenant
from tests.store.rows import (
    amendment,
    amendment_event,
    dispute,
    dispute_event,
    dispute_evidence,
)
from tests.store.seed import agreements_seen, open_session, seed
from tests.store.violations import foreign_key_violated, not_null_violated

_ROWS = (AmendmentRow, AmendmentEventRow, DisputeRow, DisputeEventRow, DisputeEvidenceRow)


def test_each_organisation_sees_the_amendments_and_disputes_of_its_own_agreements(
    engine: Engine,
) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        for agreement in (world.agreement_b, world.agreement_c):
            proposed = amendment(agreement)
            raised = dispute(agreement)
            session.add_all([proposed, raised])
            session.flush()
            session.add_all(
                [
                    amendment_event(proposed, "proposed"),
                    dispute_event(raised, "raised"),
                    dispute_evidence(raised, "https://status.example/1"),
                ]
            )
        session.commit()
    seen_by = {
        world.partner_b: [world.agreement_b],
        world.partner_c: [world.agreement_c],
        world.company: [world.agreement_b, world.agreement_c],
    }
    for organisation, agreements in seen_by.items():
        seen = agreements_seen(engine, Tenant(organisation), _ROWS)
        assert seen == {row.__name__: agreements for row in _ROWS}, organisation


@pytest.mark.parametrize(
    ("table", "column", "orphan"),
    [
        ("amendment_events", "amendment_id", lambda a: amendment_event(amendment(a, id=999), "x")),
        ("dispute_evidence", "dispute_id", lambda a: dispute_evidence(dispute(a, id=999), "t-1")),
    ],
    ids=["an amendment's event", "a dispute's evidence"],
)
def test_a_record_of_an_amendment_or_dispute_that_does_not_exist_is_refused(
    engine: Engine, table: str, column: str, orphan: Callable[[int], Base]
) -> None:
    world = seed(engine)
    with (
        open_session(engine, Tenant.system()) as session,
        foreign_key_violated(session, table, column),
    ):
        session.add(orphan(world.agreement_b))
        session.flush()


def test_a_dispute_must_say_who_raised_it(engine: Engine) -> None:
    world = seed(engine)
    with (
        open_session(engine, Tenant.system()) as session,
        not_null_violated(session, "disputes", "raised_by"),
    ):
        session.add(dispute(world.agreement_b, raised_by=None))
        session.flush()
