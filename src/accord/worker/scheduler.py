"""The worker's schedule: a tick at start and then every cadence, in a background thread
(APScheduler). One tick runs at a time; ticks missed while one ran long are merged into one.
Stopping lets the running tick finish its current job and waits for it."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Final

from apscheduler.schedulers.background import (
    BackgroundScheduler,
)
from apscheduler.triggers.interval import IntervalTrigger

from accord.services.container import Services
from accord.worker.tick import TickReport, tick

__all__ = ["Worker"]

_JOB_ID: Final = "scheduled-evaluation"
_log = logging.getLogger(__name__)


class Worker:
    """Scheduled evaluation over ``services`` every ``cadence``; ``on_tick`` hears of each
    tick's report (printing, tests)."""

    def __init__(
        self,
        services: Services,
        cadence: dt.timedelta,
        *,
        on_tick: Callable[[TickReport], None] | None = None,
        checkpoint_dir: Path | None = None,
    ) -> None:
        if cadence <= dt.timedelta(0):
            raise ValueError("the cadence must be positive")
        self._services = services
        self._cadence = cadence
        self._on_tick = on_tick
        self._checkpoint_dir = checkpoint_dir
        self._stop = threading.Event()
        self._scheduler: BackgroundScheduler | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def tick(self) -> TickReport:
        """One tick now, in the caller's thread."""
        report = tick(self._services, stop=self._stop, checkpoint_dir=self._checkpoint_dir)
        if self._on_tick is not None:
            self._on_tick(report)
        return report

    def start(self) -> None:
        """Tick now and then every cadence, in a background thread, until ``stop``."""
        if self._scheduler is not None:
            return
        self._stop.clear()
        scheduler = BackgroundScheduler(timezone=dt.UTC)
        scheduler.add_job(
            self._scheduled_tick,
            IntervalTrigger(seconds=self._cadence.total_seconds(), timezone=dt.UTC),
            id=_JOB_ID,
            name="scheduled evaluation",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=dt.datetime.now(dt.UTC),
        )
        scheduler.start()
        self._scheduler = scheduler

    def stop(self) -> None:
        """Stop ticking: the running tick ends after its current job; waits for it."""
        self._stop.set()
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=True)

    def _scheduled_tick(self) -> None:
        try:
            self.tick()
        except Exception:  # the database is away, say: log it and try again next time
            _log.exception("the scheduled evaluation tick failed; retrying at the next one")
