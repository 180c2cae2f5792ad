"""Verdicts with their history in the store: a correction supersedes the verdict it replaces,
so only the latest of each objective, scope and window is current (in lookups, summaries,
searches and the portfolio) while the history keeps every one; searches filter, page and
count; the portfolio sums up each window's current verdicts per agreement; windows are found
by overlap and their span by label; reads by id see only the tenant's verdicts, however
many ids are asked at once; and the figures a verdict row copies from its evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accord.store.repositories import Verdicts
from accord.store.repositories.verdicts import VerdictFilter, evidence_figures
from accord.store.tables import EvaluationRunRow, VerdictRow
from accord.store.tenancy import Tenant
from tests.store.rows import DAY, verdict
from tests.store.seed import AT, add_run, open_session, seed

SEPTEMBER = {"window_start": AT - 30 * DAY, "window_end": AT}


def _run(session: Session, agreement: int) -> EvaluationRunRow:
    return add_run(session, agreement, "2026-10", AT)


def test_a_correction_supersedes_and_the_history_keeps_both(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        verdicts = Verdicts(session)
        run = _run(session, world.agreement_b)
        first = verdicts.add(verdict(run, "uptime", "2026-10", outcome="breach"))
        fixed = verdicts.add(verdict(run, "uptime", "2026-10", supersedes_id=first.id))
        eu = verdicts.add(verdict(run, "uptime", "2026-10", scope_key='{"region":"eu"}'))
        earlier = verdicts.add(verdict(run, "uptime", "2026-09", **SEPTEMBER))
        assert verdicts.current(world.agreement_b, ["2026-10"]) == {
            ("uptime", "{}", "2026-10"): fixed,
            ("uptime", '{"region":"eu"}', "2026-10"): eu,
        }
        assert verdicts.current(world.agreement_b, []) == {}
        assert verdicts.current(world.agreement_c, ["2026-10"]) == {}
        assert verdicts.history(world.agreement_b, ("uptime", "{}", "2026-10")) == [first, fixed]
        summaries = verdicts.current_summaries(world.agreement_b)
        assert [(s.id, s.outcome) for s in summaries] == [
            (earlier.id, "met"),
            (fixed.id, "met"),
            (eu.id, "met"),
        ]
        assert verdicts.find(world.agreement_b, first.id) is first
        assert verdicts.find(world.agreement_c, first.id) is None


def test_a_search_filters_pages_and_counts_current_verdicts(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        verdicts = Verdicts(session)
        run = _run(session, world.agreement_b)
        october = [
            verdicts.add(verdict(run, objective, "2026-10", outcome=outcome))
            for objective, outcome in (("latency", "breach"), ("errors", "met"), ("uptime", "met"))
        ]
        september = verdicts.add(verdict(run, "uptime", "2026-09", **SEPTEMBER))
        fix = verdicts.add(verdict(run, "latency", "2026-10", supersedes_id=october[0].id))
        verdicts.add(verdict(_run(session, world.agreement_c), "uptime", "2026-10"))

        def search(
            wanted: VerdictFilter, limit: int = 10, offset: int = 0
        ) -> tuple[list[int], int]:
            rows, total = verdicts.search(world.agreement_b, wanted, limit=limit, offset=offset)
            return [row.id for row in rows], total

        everything = [september.id, october[1].id, fix.id, october[2].id]
        assert search(VerdictFilter()) == (everything, 4)
        assert search(VerdictFilter(), limit=2, offset=1) == (everything[1:3], 4)
        assert search(VerdictFilter(), offset=4) == ([], 4)
        assert search(VerdictFilter(outcome="breach")) == ([], 0)
        assert search(VerdictFilter(outcome="breach", include_superseded=True)) == (
            [october[0].id],
            1,
        )
        assert search(VerdictFilter(objective="uptime", window_label="2026-10")) == (
            [october[2].id],
            1,
        )
        assert search(VerdictFilter(scope_key='{"region":"eu"}')) == ([], 0)


def test_the_portfolio_sums_up_each_window_s_current_verdicts(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        verdicts = Verdicts(session)
        run_b = _run(session, world.agreement_b)
        figures = (("met", 0.5, 1.0), ("breach", 0.0, 0.8), ("breach", -0.25, None))
        for n, (outcome, left, coverage) in enumerate(figures):
            verdicts.add(
                verdict(
                    run_b,
                    f"o{n}",
                    "2026-10",
                    outcome=outcome,
                    budget_left_ratio=left,
                    coverage_ratio=coverage,
                )
            )
        old = verdicts.add(verdict(run_b, "o3", "2026-10", outcome="breach", budget_left_ratio=-9))
        verdicts.add(verdict(run_b, "o3", "2026-10", supersedes_id=old.id))
        verdicts.add(verdict(run_b, "o0", "2026-09", **SEPTEMBER))
        verdicts.add(verdict(_run(session, world.agreement_c), "o0", "2026-10", outcome="breach"))
        session.commit()
    end = AT + 31 * DAY
    with open_session(engine, Tenant(world.partner_b)) as session:
        rows = Verdicts(session).window_outcomes_since(end, ["breach", "met", "deviation"])
        assert [tuple(row) for row in rows] == [
            (world.agreement_b, "2026-10", AT, end, (2, 2, 0), -0.25, 3, 2, 0.8)
        ]
        # Windows ending exactly at ``since`` count; those ending before do not.
        assert len(Verdicts(session).window_outcomes_since(AT, ["met"])) == 2
        assert Verdicts(session).window_outcomes_since(end + DAY, ["met"]) == []


def test_windows_by_overlap_and_a_window_s_span_by_label(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        verdicts = Verdicts(session)
        run = _run(session, world.agreement_b)
        for objective in ("uptime", "latency"):
            verdicts.add(verdict(run, objective, "2026-09", **SEPTEMBER))
        verdicts.add(verdict(run, "uptime", "2026-10"))
        week = {"window_start": AT, "window_end": AT + 7 * DAY}
        verdicts.add(verdict(run, "latency", "2026-W40", **week))
        september = (AT - 30 * DAY, AT)
        assert sorted(
            verdicts.windows(world.agreement_b, overlapping=(AT - DAY, AT), ending_by=AT + 7 * DAY)
        ) == [september, (AT, AT + 7 * DAY)]
        # A window that starts at the span's last instant overlaps it; one ending at its
        # first instant does not.
        touching = verdicts.windows(
            world.agreement_b, overlapping=(AT, AT), ending_by=AT + 31 * DAY
        )
        assert sorted(touching) == [(AT, AT + 7 * DAY), (AT, AT + 31 * DAY)]
        assert verdicts.window_span(world.agreement_b, "2026-09") == september
        assert verdicts.window_span(world.agreement_b, "2026-11") is None


def test_reads_by_id_see_only_the_tenant_s_verdicts_however_many_are_asked(
    engine: Engine,
) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        runs = {a: _run(session, a) for a in (world.agreement_b, world.agreement_c)}
        session.add_all(
            verdict(run, f"o{n}", "2026-10", evidence=f'{{"n": {n}}}')
            for n in range(600)
            for run in runs.values()
        )
        session.commit()
        ids = list(session.scalars(select(VerdictRow.id).order_by(VerdictRow.id)))
        mine = set(
            session.scalars(
                select(VerdictRow.id).where(VerdictRow.agreement_id == world.agreement_b)
            )
        )
    with open_session(engine, Tenant(world.partner_b)) as session:
        verdicts = Verdicts(session)
        assert set(verdicts.by_ids(ids)) == mine
        evidence = verdicts.evidence_of(ids)
        assert set(evidence) == mine
        assert evidence[min(mine)] == '{"n": 0}'
        assert verdicts.by_ids([]) == {}


@pytest.mark.parametrize(
    ("evidence", "figures"),
    [
        ({"budget": {"consumed_ratio": "0.25"}, "coverage": {"ratio": "0.9"}}, (0.75, 0.9)),
        ({"budget": {"consumed_ratio": 1.5}, "coverage": {"ratio": 1}}, (-0.5, 1.0)),
        ({"budget": {"consumed_ratio": "0"}}, (1.0, None)),
        ({"budget": None, "coverage": None}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_the_figures_a_verdict_copies_from_its_evidence(
    evidence: dict[str, object], figures: tuple[float | None, float | None]
) -> None:
    assert evidence_figures(evidence) == figures


def test_an_instant_in_another_zone_finds_the_same_windows(engine: Engine) -> None:
    world = seed(engine)
    tokyo = dt.timezone(dt.timedelta(hours=9))
    with open_session(engine, Tenant.system()) as session:
        verdicts = Verdicts(session)
        verdicts.add(verdict(_run(session, world.agreement_b), "uptime", "2026-10"))
        start = AT.astimezone(tokyo)
        assert verdicts.windows(
            world.agreement_b, overlapping=(start, start), ending_by=start + 31 * DAY
        ) == [(AT, AT + 31 * DAY)]
