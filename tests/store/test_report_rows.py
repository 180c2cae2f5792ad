"""A scheduled report is recorded once per organisation, period, scope and edition: a second
row for the same four is refused by the database (so a report is generated and sent exactly
once), while another period or scope, or a restated period's next edition, is a row of its
own."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.store.report_rows import ScheduledReportRow
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
        columns = ("organisation_id", "period", "scope", "edition")
        with unique_violated(session, "scheduled_reports", *columns):
            session.add(scheduled_report(world.partner_b, "bravo", "2026-10"))
            session.flush()


def test_a_restated_period_s_next_edition_is_a_row_of_its_own(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        restated = scheduled_report(world.partner_b, "bravo", "2026-10")
        restated.edition = 2
        restated.restated = "acme-bravo 2026-10 restated (late_data: delayed requests)"
        session.add_all([scheduled_report(world.partner_b, "bravo", "2026-10"), restated])
        session.commit()
        rows = session.query(ScheduledReportRow).order_by(ScheduledReportRow.edition).all()
        assert [(r.edition, r.superseded_at, r.restated is None) for r in rows] == [
            (1, None, True),
            (2, None, False),
        ]
