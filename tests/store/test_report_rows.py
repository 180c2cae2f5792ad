"""A scheduled report is recorded once per organisation, period and scope: a second row for
the same three is refused by the database (so a report is generated and sent exactly once),
while another period or scope is a row of its own."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from accord.store.report_rows import ScheduledReportRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed


def _row(organisation: int, period: str, scope: str = "bravo") -> ScheduledReportRow:
    return ScheduledReportRow(
        organisation_id=organisation,
        scope=scope,
        period=period,
        report_hash="a" * 64,
        files='{"report.json": "b"}',
        generated_at=AT,
        emails=2,
    )


def test_one_row_per_organisation_period_and_scope(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add_all(
            [
                _row(world.partner_b, "2026-10"),
                _row(world.partner_b, "2026-Q4"),
                _row(world.company, "2026-10", "portfolio"),
            ]
        )
        session.commit()
        session.add(_row(world.partner_b, "2026-10"))
        with pytest.raises(IntegrityError):
            session.commit()
