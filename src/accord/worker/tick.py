"""One tick of scheduled evaluation: take the turn, find the due jobs, run them in order,
then sweep away what a crashed push left behind (``Ingestion.sweep``), check obligations,
apply the agreements' retention rules (``Retention.purge``), generate the reports of the
periods whose books closed (``ScheduledReports.generate_due``: once each, emailed through the
outbox that the same tick then delivers) and, when a folder for them is configured, write a
signed checkpoint of the audit trail there.

A job that fails (data the engine cannot read, an agreement that went away) is reported and
the tick goes on with the next one; the job stays due, so the next tick tries it again. A
tick asked to stop finishes the job at hand and leaves the rest for the next worker.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from accord.services.container import Services
from accord.services.disputes import DisputeView
from accord.services.errors import ServiceError
from accord.services.ingestion import SweepReport
from accord.services.notifications import DeliveryReport
from accord.services.obligations import CheckReport
from accord.services.permissions import Principal
from accord.services.report_schedule import GeneratedReport
from accord.services.retention import PurgeReport
from accord.services.scheduling import Job
from accord.services.verdict_views import RunView

__all__ = ["WORKER", "JobDone", "TickReport", "tick"]

#: Who the audit trail names for scheduled runs.
WORKER: Final = Principal.console("worker")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobDone:
    """A job and what came of it: the run recorded (``None``: nothing needed recording),
    or why it failed."""

    job: Job
    run: RunView | None = None
    error: str | None = None

    def describe(self) -> str:
        job = self.job
        head = f"{job.agreement} {job.period} ({job.reason})"
        if self.error is not None:
            return f"{head}: failed: {self.error}"
        if self.run is None:
            return f"{head}: nothing to record"
        count = self.run.verdicts_recorded
        return (
            f"{head}: run {self.run.id}, {count} verdict{'s' * (count != 1)} recorded, "
            f"{self.run.verdicts_unchanged} unchanged"
        )


@dataclass(frozen=True)
class TickReport:
    #: ``False``: another worker had the turn, so this tick did nothing.
    had_turn: bool
    done: tuple[JobDone, ...] = ()
    swept: SweepReport | None = None
    obligations: CheckReport | None = None
    purged: PurgeReport | None = None
    deliveries: DeliveryReport | None = None
    #: Disputes whose lapsed step escalated them by themselves.
    disputes_escalated: tuple[DisputeView, ...] = ()
    #: The reports of closed periods generated (and queued for email) by this tick.
    reports: tuple[GeneratedReport, ...] = ()

    @property
    def recorded(self) -> list[JobDone]:
        return [item for item in self.done if item.run is not None]

    @property
    def failed(self) -> list[JobDone]:
        return [item for item in self.done if item.error is not None]

    def summary(self) -> str:
        if not self.had_turn:
            return "another worker is evaluating; this tick did nothing"
        summary = (
            f"{len(self.done)} job{'s' * (len(self.done) != 1)}: {len(self.recorded)} "
            f"recorded, {len(self.failed)} failed"
        )
        if self.swept is not None and (self.swept.spooled or self.swept.unrecorded):
            summary += f"; {self.swept.summary()}"
        if self.obligations is not None and (self.obligations.missed or self.obligations.scheduled):
            summary += f"; {self.obligations.summary()}"
        if self.disputes_escalated:
            summary += f"; {len(self.disputes_escalated)} disputes escalated"
        if self.reports:
            summary += f"; {len(self.reports)} report{'s' * (len(self.reports) != 1)} generated"
        if self.purged is not None and any(
            item.removed_anything for item in self.purged.agreements
        ):
            summary += f"; {self.purged.summary()}"
        if self.deliveries is not None and (self.deliveries.delivered or self.deliveries.failed):
            summary += f"; {self.deliveries.summary()}"
        return summary


def tick(
    services: Services,
    *,
    stop: threading.Event | None = None,
    checkpoint_dir: Path | None = None,
) -> TickReport:
    """Run every due job once, unless another worker has the turn."""
    scheduling = services.scheduling
    with scheduling.turn() as taken:
        if not taken:
            return TickReport(had_turn=False)
        done = []
        for job in scheduling.due(WORKER):
            if stop is not None and stop.is_set():
                break
            done.append(_run(services, job))
        stopping = stop is not None and stop.is_set()
        swept = None if stopping else _sweep(services)
        checked = None if stopping else _check_obligations(services)
        escalated = () if stopping else _escalate_disputes(services)
        purged = None if stopping else _purge(services)
        reports = () if stopping else _generate_reports(services, stop)
        delivered = None if stopping else _deliver(services)
        if checkpoint_dir is not None and not stopping:
            _checkpoint(services, checkpoint_dir)
    return TickReport(
        had_turn=True,
        done=tuple(done),
        swept=swept,
        obligations=checked,
        purged=purged,
        deliveries=delivered,
        disputes_escalated=escalated,
        reports=reports,
    )


def _generate_reports(
    services: Services, stop: threading.Event | None
) -> tuple[GeneratedReport, ...]:
    """Each due report on its own: one that fails (a folder that cannot be written) is
    logged and stays due; the others are generated."""
    scheduled = services.scheduled_reports
    if not scheduled.enabled:
        return ()
    try:
        due = scheduled.due(WORKER)
    except Exception:  # the reports stay due for the next tick
        _log.exception("finding the reports of closed periods failed")
        return ()
    generated = []
    for scope, period in due:
        if stop is not None and stop.is_set():
            break
        try:
            done = scheduled.generate(WORKER, scope, period)
        except Exception:  # one report's failure must not hold back the others
            _log.exception("generating the %s report of %s failed", scope, period)
            continue
        if done is not None:
            generated.append(done)
    return tuple(generated)


def _escalate_disputes(services: Services) -> tuple[DisputeView, ...]:
    try:
        return tuple(services.disputes.escalate_lapsed(WORKER))
    except Exception:  # a lapsed step escalates as of its due instant on the next tick
        _log.exception("escalating lapsed dispute steps failed")
        return ()


def _purge(services: Services) -> PurgeReport | None:
    try:
        return services.retention.purge(WORKER)
    except Exception:  # retention waits for the next tick; nothing is removed half-way
        _log.exception("applying retention rules failed")
        return None


def _checkpoint(services: Services, folder: Path) -> None:
    try:
        services.audit.write_checkpoint(WORKER, folder)
    except (ServiceError, OSError):
        _log.exception("writing the audit trail's checkpoint to %s failed", folder)


def _deliver(services: Services) -> DeliveryReport | None:
    try:
        return services.notifications.deliver_due(WORKER)
    except Exception:  # undelivered notifications stay in the outbox for the next tick
        _log.exception("delivering notifications failed")
        return None


def _check_obligations(services: Services) -> CheckReport | None:
    try:
        return services.obligations.check(WORKER)
    except Exception:  # a failed check is retried next tick; lapses are dated by due instant
        _log.exception("checking obligations failed")
        return None


def _sweep(services: Services) -> SweepReport | None:
    try:
        return services.ingestion.sweep(WORKER)
    except Exception:  # housekeeping must not stop evaluation; the next tick tries again
        _log.exception("sweeping leftovers of crashed pushes failed")
        return None


def _run(services: Services, job: Job) -> JobDone:
    try:
        return JobDone(job, run=services.scheduling.run(WORKER, job))
    except ServiceError as exc:
        _log.warning("scheduled evaluation %s %s failed: %s", job.agreement, job.period, exc)
        return JobDone(job, error=exc.message)
    except Exception as exc:  # one agreement's failure must not stop the others
        _log.exception("scheduled evaluation %s %s failed", job.agreement, job.period)
        return JobDone(job, error=f"{type(exc).__name__}: {exc}")
