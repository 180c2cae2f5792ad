"""Reports generated on schedule, in the store: which (scope, period) pairs were generated,
newest period first, seen by their organisation only; and which periods the runs of given
agreements judged."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.store.repositories.reports import ScheduledReports
from accord.store.tenancy import Tenant
from tests.store.rows import scheduled_report
from tests.store.seed import AT, add_run, open_session, seed


def test_generated_reports_newest_period_first_for_their_organisation(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        reports = ScheduledReports(session)
        reports.add(scheduled_report(world.partner_b, "bravo", "2026-09"))
        reports.add(scheduled_report(world.partner_b, "bravo", "2026-10"))
        reports.add(scheduled_report(world.company, "portfolio", "2026-10"))
        reports.add(scheduled_report(world.partner_c, "charlie", "2026-Q3"))
        assert reports.generated() == {
            ("bravo", "2026-09"),
            ("bravo", "2026-10"),
            ("portfolio", "2026-10"),
            ("charlie", "2026-Q3"),
        }
        # By when the period ends, not as text ('2026-Q3' > '2026-10'); of two ending
        # together, the longer first.
        assert [(r.scope, r.period) for r in reports.all()] == [
            ("bravo", "2026-10"),
            ("portfolio", "2026-10"),
            ("charlie", "2026-Q3"),
            ("bravo", "2026-09"),
        ]
        session.commit()
    with open_session(engine, Tenant(world.partner_b)) as session:
        assert ScheduledReports(session).generated() == {("bravo", "2026-09"), ("bravo", "2026-10")}


def test_the_periods_judged_by_the_runs_of_given_agreements(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        for agreement, period in (
            (world.agreement_b, "2026-09"),
            (world.agreement_b, "2026-09"),
            (world.agreement_b, "2026-10"),
            (world.agreement_c, "2026-10"),
        ):
            add_run(session, agreement, period, AT)
        reports = ScheduledReports(session)
        assert reports.judged([world.agreement_b]) == {
            (world.agreement_b, "2026-09"),
            (world.agreement_b, "2026-10"),
        }
        assert reports.judged([]) == set()
