"""A scheduled report is recorded once per organisation, period and scope: a second row for
the same three is refused by the database (so a report is generated and sent exactly once),
while another period or scope is a row of its own."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.store.tenancy import Tenant
from tests.store.rows import scheduled_report
from tests.store.seed import open_session, seed
from tests.store.violations import unique_violated


def test_one_row_per_organisation_period_and_scope(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add_all(
            [
                scheduled_report(world.partner_b, "bravo", "2026-10"),
                scheduled_report(world.partner_b, "bravo", "2026-Q4"),
                scheduled_report(world.partner_b, "portfolio", "2026-10"),
                scheduled_report(world.company, "portfolio", "2026-10"),
            ]
        )
        session.commit()
        with unique_violated(session, "scheduled_reports", "organisation_id", "period", "scope"):
            session.add(scheduled_report(world.partner_b, "bravo", "2026-10"))
            session.flush()
