"""Evaluation runs in the store: the same run found again (same version, period, as-of and
reason), the marks of every period but the open one, the latest mark of a period, the
as-of instant of given runs; a partner finds only its own agreements' runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.store.repositories.runs import RunMark, Runs
from accord.store.tables import EvaluationRunRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, add_run, open_session, seed

DAY = dt.timedelta(days=1)


def test_the_same_run_is_found_again_only_when_everything_matches(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        first = add_run(session, world.agreement_b, "2026-09", AT)
        runs = Runs(session)
        twin = EvaluationRunRow(
            agreement_id=first.agreement_id,
            version_id=first.version_id,
            period="2026-09",
            as_of=AT,
            reason="",
        )
        assert runs.find_same(twin) is first
        for change in ({"as_of": AT + DAY}, {"reason": "restated"}, {"period": "2026-10"}):
            other = EvaluationRunRow(
                agreement_id=first.agreement_id,
                version_id=first.version_id,
                **{"period": "2026-09", "as_of": AT, "reason": "", **change},
            )
            assert runs.find_same(other) is None, change


def test_marks_leave_out_the_open_period_and_the_last_mark_is_the_newest(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        september = add_run(session, world.agreement_b, "2026-09", AT)
        add_run(session, world.agreement_b, "2026-10", AT + DAY)
        late = add_run(session, world.agreement_b, "2026-09", AT + 2 * DAY, "late data")
        add_run(session, world.agreement_c, "2026-08", AT)
        runs = Runs(session)
        marks = runs.marks(world.agreement_b, except_period="2026-10")
        assert [(m.period, m.reason) for m in marks] == [("2026-09", ""), ("2026-09", "late data")]
        last = runs.last_mark(world.agreement_b, "2026-09")
        assert last == RunMark("2026-09", late.as_of, late.started_at, "late data")
        assert runs.last_mark(world.agreement_b, "2026-07") is None
        assert runs.judged_as_of([september.id, late.id]) == {
            september.id: september.as_of,
            late.id: late.as_of,
        }
        assert runs.judged_as_of([]) == {}
        assert [r.id for r in runs.all(world.agreement_b, limit=2)] == [late.id, late.id - 1]


def test_a_partner_finds_only_runs_of_its_own_agreements(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        theirs = add_run(session, world.agreement_c, "2026-09", AT).id
        session.commit()
    with open_session(engine, Tenant(world.partner_b)) as session:
        assert Runs(session).find(theirs) is None
    with open_session(engine, Tenant(world.partner_c)) as session:
        assert Runs(session).find(theirs) is not None
