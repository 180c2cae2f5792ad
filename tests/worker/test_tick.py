"""A tick of the worker: every agreement's due evaluations run and recorded once, late data
re-judged with the batch as the reason, failures reported without stopping the others."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest

from accord.services.container import Services
from accord.services.ingestion import SWEEP_AFTER, PushBatch
from accord.services.ports import FixedClock
from accord.services.verdicts import VerdictQuery
from accord.worker import TickReport, tick
from tests.services.world import CONSOLE, World, events, make_services

#: Long enough after a push for the batch to count as seen by the runs that follow.
SETTLED = dt.timedelta(minutes=5)


def _push(services: Services, world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


@pytest.fixture
def october(world: World) -> World:
    """1,000 requests in October for bravo, 2% failing: a deviation (target 99%)."""
    _push(world.services, world, "october", events(1000, failing_every=50))
    world.clock.advance(SETTLED)
    return world


def _verdicts(services: Services, agreement: str = "acme-bravo") -> list[str]:
    query = VerdictQuery(include_superseded=True, limit=500)
    page = services.verdicts.verdicts(CONSOLE, agreement, query)
    return [f"{v.window} {v.outcome}" for v in page.items]


def _runs(services: Services) -> int:
    return sum(
        len(services.verdicts.runs(CONSOLE, slug)) for slug in ("acme-bravo", "acme-charlie")
    )


def test_a_tick_evaluates_every_agreement_and_records_its_verdicts(october: World) -> None:
    report = tick(october.services)
    assert report.had_turn
    assert [
        (item.job.agreement, item.job.period, item.run is not None) for item in report.done
    ] == [
        ("acme-bravo", "2026-10", True),
        ("acme-bravo", "2026-11", True),
        ("acme-charlie", "2026-10", True),
        ("acme-charlie", "2026-11", True),
    ]
    assert _verdicts(october.services) == ["2026-10 deviation", "2026-11 no_data"]
    assert _verdicts(october.services, "acme-charlie") == ["2026-10 no_data", "2026-11 no_data"]
    [run, *_] = october.services.verdicts.runs(CONSOLE, "acme-bravo")
    assert run.requested_by == "worker"


@pytest.mark.parametrize("later", [dt.timedelta(0), dt.timedelta(minutes=15)])
def test_a_second_tick_without_new_data_records_nothing(
    october: World, later: dt.timedelta
) -> None:
    tick(october.services)
    verdicts, runs = _verdicts(october.services), _runs(october.services)
    october.clock.advance(later)
    report = tick(october.services)
    assert report.recorded == []
    assert (_verdicts(october.services), _runs(october.services)) == (verdicts, runs)


def test_a_late_batch_for_a_closed_month_is_re_judged_after_a_restart(
    october: World, database_url: str, tmp_path: Path
) -> None:
    tick(october.services)
    october.clock.advance(dt.timedelta(days=2))
    late = events(2000, prefix="late", step_minutes=10)
    _push(october.services, october, "backfill", late)  # while no worker runs
    restarted = make_services(tmp_path / "data", database_url, FixedClock(october.clock.now()))
    try:
        report = tick(restarted)
        [item] = report.recorded
        assert (item.job.period, item.job.reason) == (
            "2026-10",
            "late data: batch requests/backfill",
        )
        assert _verdicts(restarted) == ["2026-10 deviation", "2026-10 met", "2026-11 no_data"]
        current = restarted.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery(window="2026-10"))
        [changed] = current.items
        assert changed.supersedes is not None
        assert changed.reason is not None
        assert changed.reason.startswith(
            "late data: batch requests/backfill: outcome deviation → met"
        )
        assert tick(restarted).recorded == []
    finally:
        restarted.close()


def test_two_ticks_at_once_record_everything_once(october: World) -> None:
    start = threading.Barrier(2)
    reports: list[TickReport] = []

    def run() -> None:
        start.wait()
        reports.append(tick(october.services))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reports) == 2
    assert len([report.recorded for report in reports if report.recorded]) == 1
    assert _verdicts(october.services) == ["2026-10 deviation", "2026-11 no_data"]
    assert _runs(october.services) == 4


def test_a_failing_job_is_reported_and_the_others_still_run(october: World) -> None:
    stored = october.services.context.data_dir / "measurements/acme-bravo/requests/october.parquet"
    stored.write_bytes(b"not parquet")
    report = tick(october.services)
    assert {item.job.agreement for item in report.failed} == {"acme-bravo"}
    assert "october.parquet" in (report.failed[0].error or "")
    assert {item.job.agreement for item in report.recorded} == {"acme-charlie"}
    assert tick(october.services).failed  # still due, tried again


def test_a_tick_asked_to_stop_leaves_the_jobs_for_the_next(october: World) -> None:
    stop = threading.Event()
    stop.set()
    assert tick(october.services, stop=stop) == TickReport(had_turn=True)
    assert _runs(october.services) == 0


def test_a_tick_sweeps_away_the_file_of_a_push_that_was_never_recorded(october: World) -> None:
    folder = october.services.context.data_dir / "measurements/acme-bravo/requests"
    orphan = Path(shutil.copy(folder / "october.parquet", folder / "crashed.parquet"))
    stamp = (october.clock.now() - SWEEP_AFTER * 2).timestamp()
    os.utime(orphan, (stamp, stamp))

    report = tick(october.services)

    assert report.swept is not None
    assert report.swept.unrecorded == 1
    assert "removed 1 unrecorded batch file(s)" in report.summary()
    assert not orphan.exists()
    assert (folder / "october.parquet").exists()
