"""Amendments and disputes in the store: found only under their own agreement (an id from
another agreement finds nothing), listed oldest first and filtered by state (no states: all
of them), the amendment an approved version came from, disputes across agreements with
their agreement's slug as far as the tenant sees, and events and evidence in the order they
were added."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.store.repositories import Amendments, Disputes
from accord.store.tenancy import Tenant
from tests.store.rows import amendment, amendment_event, dispute, dispute_event, dispute_evidence
from tests.store.seed import AT, open_session, seed


def test_amendments_are_found_under_their_agreement_and_listed_by_state(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        amendments = Amendments(session)
        approved = amendments.add(amendment(world.agreement_b, "approved", version_number=2))
        proposed = amendments.add(amendment(world.agreement_b))
        withdrawn = amendments.add(amendment(world.agreement_b, "withdrawn"))
        theirs = amendments.add(amendment(world.agreement_c, version_number=2))
        assert amendments.find(world.agreement_b, proposed.id) is proposed
        assert amendments.find(world.agreement_b, theirs.id) is None
        assert amendments.of(world.agreement_b) == [approved, proposed, withdrawn]
        assert amendments.of(world.agreement_b, ("proposed", "withdrawn")) == [proposed, withdrawn]
        assert amendments.of(world.agreement_b, ("rejected",)) == []
        assert amendments.for_version(world.agreement_b, 2) is approved
        assert amendments.for_version(world.agreement_c, 2) is theirs
        assert amendments.for_version(world.agreement_b, 3) is None


def test_an_amendment_s_events_in_the_order_they_were_added(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        amendments = Amendments(session)
        first = amendments.add(amendment(world.agreement_b))
        other = amendments.add(amendment(world.agreement_b))
        # Added later, though dated earlier: the order is the order of the acts.
        for kind, at in (("proposed", AT), ("approved", AT - dt.timedelta(hours=1))):
            amendments.add_event(amendment_event(first, kind, at))
        amendments.add_event(amendment_event(other, "proposed"))
        assert [e.kind for e in amendments.events(first.id)] == ["proposed", "approved"]
        assert amendments.events(first.id + other.id + 1) == []


def test_disputes_across_agreements_with_their_slug_as_far_as_the_tenant_sees(
    engine: Engine,
) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        disputes = Disputes(session)
        open_b = disputes.add(dispute(world.agreement_b))
        decided_b = disputes.add(dispute(world.agreement_b, "decided", outcome="upheld"))
        open_c = disputes.add(dispute(world.agreement_c))
        assert disputes.find(world.agreement_c, open_b.id) is None
        assert disputes.find(world.agreement_b, decided_b.id) is decided_b
        slug_b, slug_c = f"with-{world.partner_b}", f"with-{world.partner_c}"
        assert disputes.matching() == [(open_b, slug_b), (decided_b, slug_b), (open_c, slug_c)]
        assert disputes.matching(states=("open",)) == [(open_b, slug_b), (open_c, slug_c)]
        assert disputes.matching(agreement_id=world.agreement_c, states=("decided",)) == []
        session.commit()
    with open_session(engine, Tenant(world.partner_c)) as session:
        assert [row.id for row, _ in Disputes(session).matching()] == [open_c.id]
        assert Disputes(session).find(world.agreement_b, open_b.id) is None


def test_a_dispute_s_exchange_and_evidence_in_the_order_they_were_added(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        disputes = Disputes(session)
        first = disputes.add(dispute(world.agreement_b))
        other = disputes.add(dispute(world.agreement_b))
        for kind in ("raised", "responded", "escalated"):
            disputes.add_event(dispute_event(first, kind))
        disputes.add_event(dispute_event(other, "raised"))
        for reference in ("b.pdf", "a.pdf"):
            disputes.add_evidence(dispute_evidence(first, reference))
        assert [e.kind for e in disputes.events(first.id)] == ["raised", "responded", "escalated"]
        assert [e.reference for e in disputes.evidence(first.id)] == ["b.pdf", "a.pdf"]
        assert disputes.evidence(other.id) == []
