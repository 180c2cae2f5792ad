"""The worker's schedule: it ticks as soon as it starts and then on its cadence, in the
background, and stops cleanly, waiting for the tick at hand."""

from __future__ import annotations

import datetime as dt
import queue

import pytest

from accord.worker import TickReport, Worker
from tests.services.world import CONSOLE, World


def test_a_started_worker_ticks_at_once_in_the_background_and_stops_cleanly(
    world: World,
) -> None:
    reports: queue.Queue[TickReport] = queue.Queue()
    worker = Worker(world.services, dt.timedelta(hours=1), on_tick=reports.put)
    worker.start()
    try:
        assert worker.running
        report = reports.get(timeout=60)
    finally:
        worker.stop()
    assert not worker.running
    assert report.had_turn
    assert len(report.recorded) == 4
    assert len(world.services.verdicts.runs(CONSOLE, "acme-bravo")) == 2
    assert reports.empty()  # the next tick is an hour away


def test_a_worker_ticks_in_the_caller_s_thread_when_asked(world: World) -> None:
    heard: list[TickReport] = []
    report = Worker(world.services, dt.timedelta(minutes=15), on_tick=heard.append).tick()
    assert heard == [report]


def test_stopping_a_worker_that_never_started_does_nothing(world: World) -> None:
    worker = Worker(world.services, dt.timedelta(minutes=15))
    worker.stop()
    assert not worker.running


def test_the_cadence_must_be_positive(world: World) -> None:
    with pytest.raises(ValueError, match="positive"):
        Worker(world.services, dt.timedelta(0))
