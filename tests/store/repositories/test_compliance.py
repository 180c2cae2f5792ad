"""Compliance records in the store: an organisation's certifications by standard and start,
renewal decisions in the order they were made, legal holds (the active ones, and one found
only under its own agreement); a partner reaches only its own organisation's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.store.repositories import Compliance
from accord.store.tables import CertificationRow, LegalHoldRow, RenewalDecisionRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed


def _certificate(organisation: int, standard: str, start: dt.date) -> CertificationRow:
    return CertificationRow(
        organisation_id=organisation,
        standard=standard,
        issuer="TÜV",
        scope="Hosting",
        valid_from=start,
        valid_until=start.replace(year=start.year + 3),
        document_sha256="b" * 64,
        recorded_by="m",
        recorded_at=AT,
    )


def test_certifications_by_standard_then_start_for_their_organisation(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        compliance = Compliance(session)
        for standard, year in (("SOC 2", 2026), ("ISO/IEC 27001", 2026), ("ISO/IEC 27001", 2023)):
            compliance.add_certification(
                _certificate(world.partner_b, standard, dt.date(year, 1, 1))
            )
        compliance.add_certification(_certificate(world.partner_c, "BSI C5", dt.date(2026, 1, 1)))
        listed = compliance.certifications(world.partner_b)
        assert [(c.standard, c.valid_from.year) for c in listed] == [
            ("ISO/IEC 27001", 2023),
            ("ISO/IEC 27001", 2026),
            ("SOC 2", 2026),
        ]
        session.commit()
    with open_session(engine, Tenant(world.partner_b)) as session:
        assert Compliance(session).certifications(world.partner_c) == []


def test_decisions_in_order_and_holds_active_or_all(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        compliance = Compliance(session)
        for decision, days in (("renegotiate", 5), ("renew", 1)):
            compliance.add_decision(
                RenewalDecisionRow(
                    agreement_id=world.agreement_b,
                    decision=decision,
                    term_end=dt.date(2027, 12, 31),
                    party="p",
                    decided_by="u",
                    decided_at=AT + dt.timedelta(days=days),
                    notices_met="[]",
                )
            )
        assert [d.decision for d in compliance.decisions(world.agreement_b)] == [
            "renew",
            "renegotiate",
        ]
        released = compliance.add_hold(
            LegalHoldRow(
                agreement_id=world.agreement_b, reason="old claim", placed_by="m", placed_at=AT
            )
        )
        released.released_at = AT + dt.timedelta(days=1)
        active = compliance.add_hold(
            LegalHoldRow(
                agreement_id=world.agreement_b, reason="litigation", placed_by="m", placed_at=AT
            )
        )
        assert [h.id for h in compliance.holds(world.agreement_b)] == [released.id, active.id]
        assert [h.id for h in compliance.holds(world.agreement_b, active_only=True)] == [active.id]
        assert compliance.find_hold(world.agreement_b, active.id) is active
        assert compliance.find_hold(world.agreement_c, active.id) is None
