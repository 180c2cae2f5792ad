"""Findings in the store are appended; the current ones are the latest recorded for each
kind, subject and window of one agreement."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.store.repositories.findings import Findings
from accord.store.tables import FindingRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, add_run, open_session, seed


def test_the_latest_finding_of_each_kind_subject_and_window_is_current(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        run = add_run(session, world.agreement_b, "2026-10", AT)
        other = add_run(session, world.agreement_c, "2026-10", AT)
        findings = Findings(session)

        def add(agreement: int, run_id: int, kind: str, window: str, outcome: str) -> None:
            findings.add(
                FindingRow(
                    agreement_id=agreement,
                    run_id=run_id,
                    kind=kind,
                    subject="availability",
                    window_label=window,
                    outcome=outcome,
                    record="{}",
                    recorded_at=AT,
                )
            )

        add(world.agreement_b, run.id, "chronic", "2026-10", "triggered")
        add(world.agreement_b, run.id, "chronic", "2026-10", "clear")
        add(world.agreement_b, run.id, "consistency", "2026-10", "breach")
        add(world.agreement_b, run.id, "chronic", "2026-09", "triggered")
        add(world.agreement_c, other.id, "chronic", "2026-10", "triggered")
        current = findings.current(world.agreement_b)
        assert {key: row.outcome for key, row in current.items()} == {
            ("chronic", "availability", "2026-10"): "clear",
            ("consistency", "availability", "2026-10"): "breach",
            ("chronic", "availability", "2026-09"): "triggered",
        }
        assert findings.current(10_000) == {}
