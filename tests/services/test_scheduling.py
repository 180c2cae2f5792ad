"""Scheduled evaluation: the jobs due for each agreement (the current month, a month just
closed, late data for a month judged closed), found from the database alone, and each job
recorded at most once however many workers run it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable

import pytest

from accord.services.errors import Forbidden
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.scheduling import COMMIT_GRACE, Job, JobKind
from accord.services.verdict_views import RunView
from accord.services.verdicts import VerdictQuery
from tests.services.world import CONSOLE, NOW, World, agreement_document, events

#: 1 November 2026, 00:00 in Berlin: when October ends for the world's agreements.
OCTOBER_END = dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC)


def _due(world: World, agreement: str = "acme-bravo") -> list[Job]:
    return [job for job in world.services.scheduling.due(CONSOLE) if job.agreement == agreement]


def _run_due(world: World) -> list[RunView | None]:
    return [
        world.services.scheduling.run(CONSOLE, job)
        for job in world.services.scheduling.due(CONSOLE)
    ]


def _push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


def _requests(start: dt.datetime, count: int, prefix: str) -> list[dict[str, object]]:
    return [
        {
            "ts": (start + dt.timedelta(minutes=10 * i)).isoformat(),
            "request_id": f"{prefix}{i}",
            "http_status": 200,
        }
        for i in range(count)
    ]


def test_at_the_start_of_a_month_the_closed_month_and_the_current_one_are_due(
    world: World,
) -> None:
    assert [(job.kind, job.period, job.as_of, job.reason) for job in _due(world)] == [
        (JobKind.CLOSING, "2026-10", OCTOBER_END, "period closed"),
        (JobKind.CURRENT, "2026-11", NOW, "scheduled evaluation"),
    ]


def test_once_the_closed_month_is_judged_only_the_current_one_is_due(world: World) -> None:
    _run_due(world)
    world.clock.advance(dt.timedelta(minutes=15))
    assert [(job.kind, job.period) for job in _due(world)] == [(JobKind.CURRENT, "2026-11")]


def test_nothing_is_due_before_an_agreement_takes_effect(world: World) -> None:
    document = agreement_document("bravo", version="2")
    document["term"]["effective"] = "2026-12-01"
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    assert _due(world) == []
    assert [job.kind for job in _due(world, "acme-charlie")] == [JobKind.CLOSING, JobKind.CURRENT]


def test_a_month_only_judged_while_it_was_open_is_closed_after_a_restart(world: World) -> None:
    world.clock.at = dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC)
    current = next(job for job in _due(world) if job.kind is JobKind.CURRENT)
    assert world.services.scheduling.run(CONSOLE, current) is not None
    world.clock.at = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)  # the worker was down meanwhile
    assert [(job.kind, job.period) for job in _due(world)] == [
        (JobKind.CLOSING, "2026-10"),
        (JobKind.CLOSING, "2026-11"),
        (JobKind.CURRENT, "2026-12"),
    ]


def test_a_current_month_that_changes_nothing_records_nothing(world: World) -> None:
    _run_due(world)
    world.clock.advance(dt.timedelta(minutes=15))
    assert _run_due(world) == [None, None]  # bravo's and charlie's November
    assert len(world.services.verdicts.runs(CONSOLE, "acme-bravo")) == 2


def test_a_batch_that_arrives_after_the_month_closed_makes_it_due_again(world: World) -> None:
    _run_due(world)
    world.clock.advance(dt.timedelta(hours=2))
    _push(world, "late-1", _requests(dt.datetime(2026, 10, 5, tzinfo=dt.UTC), 10, "a"))
    _push(world, "late-2", _requests(dt.datetime(2026, 10, 6, tzinfo=dt.UTC), 10, "b"))
    _push(world, "on-time", _requests(dt.datetime(2026, 11, 2, tzinfo=dt.UTC), 10, "c"))
    [late, _] = _due(world)
    assert (late.kind, late.period, late.as_of) == (JobKind.LATE, "2026-10", OCTOBER_END)
    assert late.reason == "late data: batches requests/late-1, requests/late-2"
    run = world.services.scheduling.run(CONSOLE, late)
    assert run is not None
    assert run.reason == late.reason
    assert [job.kind for job in _due(world)] == [JobKind.CURRENT]


def test_a_batch_received_just_before_the_month_was_closed_is_taken_in_once_more(
    world: World,
) -> None:
    """A batch whose receipt is within the grace before a run may not have been committed
    when the run read the data: it is evaluated again rather than perhaps missed."""
    _push(world, "october", events(10))
    world.clock.advance(COMMIT_GRACE / 2)
    _run_due(world)
    assert [job.kind for job in _due(world)] == [JobKind.LATE, JobKind.CURRENT]
    _run_due(world)
    world.clock.advance(COMMIT_GRACE * 2)
    _push(world, "november", _requests(dt.datetime(2026, 11, 2, tzinfo=dt.UTC), 5, "n"))
    assert [job.kind for job in _due(world)] == [JobKind.CURRENT]


def _weekly(world: World) -> None:
    """Version 2 of bravo's agreement judges availability per ISO week, from the start (a
    backdated correction of version 1)."""
    document = agreement_document("bravo", version="2")
    document["objectives"][0]["window"] = "week"
    document["metadata"]["effective"] = "2026-01-01"
    document["data_cutoff"] = "60 days"  # nothing closes during these tests
    manager = world.principal("manager@acme.example")
    upload = UploadVersion(text=json.dumps(document), backdated="weeks were agreed from the start")
    world.services.portfolio.upload(manager, upload)


def _history(world: World, window: str) -> list[tuple[str, str | None]]:
    query = VerdictQuery(window=window, include_superseded=True)
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", query)
    return [(verdict.outcome, verdict.reason) for verdict in page.items]


def test_late_data_in_a_week_that_runs_into_the_next_month_re_judges_both_months(
    world: World,
) -> None:
    _weekly(world)
    world.clock.at = dt.datetime(2026, 10, 1, 6, tzinfo=dt.UTC)
    _run_due(world)  # September closed; week 40 (28 September to 4 October) still open
    world.clock.at = NOW
    _push(world, "october", events(10))
    world.clock.advance(dt.timedelta(minutes=5))
    _run_due(world)  # October closed: week 40 judged in full, met
    world.clock.advance(dt.timedelta(hours=1))
    failing = _requests(dt.datetime(2026, 9, 29, 12, tzinfo=dt.UTC), 3, "f")
    _push(world, "week-40", [{**event, "http_status": 503} for event in failing])
    jobs = _due(world)
    assert [(job.kind, job.period) for job in jobs] == [
        (JobKind.LATE, "2026-09"),
        (JobKind.LATE, "2026-10"),
        (JobKind.CURRENT, "2026-11"),
    ]
    september, october, _ = (world.services.scheduling.run(CONSOLE, job) for job in jobs)
    assert september is not None
    assert october is not None
    assert (september.verdicts_recorded, october.verdicts_recorded) == (0, 1)
    history = _history(world, "2026-W40")
    assert [outcome for outcome, _ in history] == ["no_data", "met", "breach"]
    reason = history[-1][1]
    assert reason is not None
    assert reason.startswith("late data: batch requests/week-40: outcome met → breach")


def test_the_same_job_run_by_two_workers_at_once_is_recorded_once(world: World) -> None:
    [closing, _] = _due(world)
    start = threading.Barrier(2)
    results: list[RunView | None] = []

    def run() -> None:
        start.wait()
        results.append(world.services.scheduling.run(CONSOLE, closing))

    _in_threads(run, run)
    assert sorted(result is None for result in results) == [False, True]
    assert len(world.services.verdicts.runs(CONSOLE, "acme-bravo")) == 1


def test_only_one_worker_has_the_turn(world: World) -> None:
    scheduling = world.services.scheduling
    with scheduling.turn() as first, scheduling.turn() as second:
        assert (first, second) == (True, False)
    with scheduling.turn() as again:
        assert again


def _in_threads(*targets: Callable[[], None]) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.parametrize("email", ["viewer@acme.example", "auditor@acme.example"])
def test_readers_have_no_jobs_to_run(world: World, email: str) -> None:
    with pytest.raises(Forbidden):
        world.services.scheduling.due(world.principal(email))


def test_a_month_past_its_data_cutoff_is_made_final_once(world: World) -> None:
    _push(world, "october", events(10))
    _run_due(world)
    world.clock.at = dt.datetime(2026, 11, 9, 6, tzinfo=dt.UTC)  # October closed on the 7th
    jobs = _due(world)
    assert (jobs[0].kind, jobs[0].period, jobs[0].reason) == (
        JobKind.FINAL,
        "2026-10",
        "period final: data cutoff passed",
    )
    _run_due(world)
    [october] = world.services.books.periods(CONSOLE, "acme-bravo")
    assert (october.window, october.state) == ("2026-10", "closed")
    world.clock.advance(dt.timedelta(minutes=15))
    assert JobKind.FINAL not in [job.kind for job in _due(world)]


def test_late_data_inside_the_open_month_is_named_on_its_run(world: World) -> None:
    _push(world, "november", _requests(dt.datetime(2026, 11, 2, tzinfo=dt.UTC), 20, "n"))
    _run_due(world)  # October closed; November judged as of 3 November 09:00
    world.clock.advance(dt.timedelta(minutes=15))
    # Data after the instant November was judged as of extends it: nothing late.
    _push(world, "fresh", _requests(NOW + dt.timedelta(minutes=1), 1, "f"))
    assert [job.reason for job in _due(world)] == ["scheduled evaluation"]
    # Data for 1 November, judged already, fills it in: late data inside the open window.
    _push(world, "backfill", _requests(dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC), 5, "b"))
    [job] = _due(world)
    assert (job.kind, job.reason) == (
        JobKind.CURRENT,
        "scheduled evaluation; late data in the open window: batch requests/backfill",
    )
    run = world.services.scheduling.run(CONSOLE, job)
    assert run is not None
    assert run.reason == job.reason
    world.clock.advance(dt.timedelta(minutes=15))
    assert [job.reason for job in _due(world)] == ["scheduled evaluation"]
