"""Scheduled evaluation: which evaluations of the stored agreements are due, and running each
as a job that is recorded at most once.

The worker (``accord.worker``) asks for the due jobs on its cadence and runs them. For each
agreement (its version in force now; months cut in its time zone, none before it takes effect):

- the **current** month, as of now. It is recorded only when it changes a verdict or a
  credit, so that a tick without new data adds nothing.
- a **closed** month not yet judged as closed (as of its end): the month that just ended,
  and any earlier month that was only judged while it was open (the worker was down when it
  ended), so that a restart misses nothing.
- **final**: a month whose data cutoff has passed (``accord.core.closing``) and that is not
  final yet: judged once more with the data received by the cutoff, and made final.
- the current month's run says **late data in the open window** (naming the batches) when
  batches arrived since its last run with events before the instant that run judged as of:
  data that fills in what was already judged, not data that merely extends it.
- **late data**: a month already judged as closed is judged again when a batch has arrived
  since whose events fall in one of its windows (the month itself, or a week, quarter, year
  or rolling window that ends in it). The run's reason names the batches
  (``late data: batch requests/2026-10-07``), and so does every verdict it changes.

An agreement whose last term has ended (``accord.services.renewals``) gets no current month
and no closing of a month that began after the end; the month it ended in is still closed.

Everything is found in the database — the runs, and the batches with the instants of their
first and last events — so a job stays due until some worker has done it. A run records the
instant it read the data; a batch counts as seen by a run only when it was received at least
``COMMIT_GRACE`` before that (a batch's receipt is stamped just before its transaction
commits, and hosts' clocks differ), so a batch in doubt is re-evaluated rather than missed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.closing import close_at
from accord.core.model import Agreement
from accord.core.periods import Period, parse_period
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_version_in_force, parsed
from accord.services.renewals import ended_at
from accord.services.uow import ServiceContext, UnitOfWork
from accord.services.verdict_views import RunView
from accord.services.verdicts import RunEvaluation, Verdicts
from accord.store import locks
from accord.store.repositories import RunMark
from accord.store.tables import AgreementRow, MeasurementBatchRow

__all__ = ["COMMIT_GRACE", "Job", "JobKind", "Scheduling"]

COMMIT_GRACE: Final = dt.timedelta(minutes=1)
_MONTH: Final = re.compile(r"^\d{4}-\d{2}$")
_LATE_ONE: Final = "late data: batch "
_LATE_MANY: Final = "late data: batches "
_OPEN_LATE: Final = "scheduled evaluation; late data in the open window: "
_INSTANT: Final = dt.timedelta(microseconds=1)


class JobKind(StrEnum):
    CURRENT = "current"
    CLOSING = "closing"
    LATE = "late"
    #: The month's data cutoff has passed and it is not final yet (``accord.core.closing``).
    FINAL = "final"


@dataclass(frozen=True)
class Job:
    """One due evaluation: an agreement's month, as of an instant, for a reason."""

    agreement: str
    period: str
    as_of: dt.datetime
    kind: JobKind
    #: The late batches, as ``source/batch id``.
    batches: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        if self.kind is JobKind.LATE:
            lead = _LATE_MANY if len(self.batches) > 1 else _LATE_ONE
            return lead + ", ".join(self.batches)
        if self.kind is JobKind.CLOSING:
            return "period closed"
        if self.kind is JobKind.FINAL:
            return "period final: data cutoff passed"
        if self.batches:
            many = "batches " if len(self.batches) > 1 else "batch "
            return _OPEN_LATE + many + ", ".join(self.batches)
        return "scheduled evaluation"

    @property
    def command(self) -> RunEvaluation:
        return RunEvaluation(
            agreement=self.agreement, period=self.period, as_of=self.as_of, reason=self.reason
        )


class Scheduling:
    """Use cases of the worker: the due jobs, running one, and taking turns between workers."""

    def __init__(self, context: ServiceContext, verdicts: Verdicts) -> None:
        self._context = context
        self._verdicts = verdicts

    def due(self, principal: Principal) -> list[Job]:
        """The jobs due now for every agreement the principal sees, by agreement and month."""
        principal.require(Permission.EVALUATE)
        now = self._context.clock.now()
        jobs: list[Job] = []
        with self._context.uow(principal) as uow:
            for row in uow.agreements.all():
                if uow.agreements.latest_version(row.id) is not None:
                    jobs += _due(uow, row, parsed(get_version_in_force(uow, row, now)), now)
        return sorted(jobs, key=lambda job: (job.agreement, job.period))

    def run(self, principal: Principal, job: Job) -> RunView | None:
        """Evaluate and record a job; ``None`` when nothing was recorded (another worker did
        the job, or the current month changed nothing)."""
        return self._verdicts.evaluate_job(
            principal, job.command, keep_unchanged=job.kind is not JobKind.CURRENT
        )

    @contextmanager
    def turn(self) -> Iterator[bool]:
        """Whether this worker has the turn: one worker at a time across the processes that
        share the database; the others skip their tick rather than repeat its work."""
        with locks.exclusive(self._context.engine, "scheduled-evaluation") as taken:
            yield taken


@dataclass(frozen=True)
class _Judged:
    """A month with its runs, judged as closed at least once."""

    period: Period
    runs: list[RunMark]

    def closing_runs(self) -> list[RunMark]:
        return [run for run in self.runs if run.as_of >= self.period.end_at]

    def missed(self, name: str, batch: MeasurementBatchRow) -> bool:
        """Whether no run took the batch in: every closing run read the data before it
        arrived, and no late-data run names it."""
        arrived = batch.received_at + COMMIT_GRACE
        if any(run.started_at >= arrived for run in self.closing_runs()):
            return False
        return not any(name in _named_batches(run.reason) for run in self.runs)


def _month_of(instant: dt.datetime, timezone: str) -> str:
    local = instant.astimezone(ZoneInfo(timezone))
    return f"{local.year}-{local.month:02d}"


def _previous_month(label: str) -> str:
    year, month = (int(part) for part in label.split("-"))
    index = year * 12 + month - 2
    return f"{index // 12}-{index % 12 + 1:02d}"


def _named_batches(reason: str) -> set[str]:
    for lead in (_LATE_ONE, _LATE_MANY):
        if reason.startswith(lead):
            return set(reason.removeprefix(lead).split(", "))
    return set()


def _due(uow: UnitOfWork, row: AgreementRow, agreement: Agreement, now: dt.datetime) -> list[Job]:
    zone = agreement.timezone
    begins = dt.datetime.combine(agreement.term.effective, dt.time(), tzinfo=ZoneInfo(zone))
    ends = ended_at(uow, row, agreement)  # past its last term: no new months are judged
    current = _month_of(now, zone)
    runs = [
        run
        for run in uow.runs.marks(row.id, except_period=current)
        if _MONTH.match(run.period) and run.period < current
    ]
    labels = {run.period for run in runs} | {_previous_month(current)}
    periods = {label: parse_period(label, zone) for label in labels}
    judged = {
        label: _Judged(periods[label], [run for run in runs if run.period == label])
        for label in labels
    }
    judged = {label: month for label, month in judged.items() if month.closing_runs()}
    jobs = [
        Job(row.slug, label, period.end_at, JobKind.CLOSING)
        for label, period in periods.items()
        if label not in judged
        and period.end_at > begins
        and (ends is None or period.start_at < ends)
    ]
    # A closing job after the cutoff makes the month final itself.
    final = uow.books.closed(row.id, periods).keys() | {job.period for job in jobs}
    jobs += [
        Job(row.slug, label, period.end_at, JobKind.FINAL)
        for label, period in periods.items()
        if label not in final
        and period.end_at > begins
        and now >= close_at(period.end_at, agreement.cutoff(), zone)
    ]
    jobs += [
        Job(row.slug, label, judged[label].period.end_at, JobKind.LATE, tuple(names))
        for label, names in _late(uow, row.id, judged, zone).items()
    ]
    if now >= begins and (ends is None or now < ends):
        late = _late_in_open_window(uow, row.id, parse_period(current, zone))
        jobs.append(Job(row.slug, current, now, JobKind.CURRENT, late))
    return jobs


def _late_in_open_window(uow: UnitOfWork, agreement_id: int, month: Period) -> tuple[str, ...]:
    """The batches (``source/batch id``) that arrived since the open month's last run with
    events in the part of the month that run had judged."""
    last = uow.runs.last_mark(agreement_id, month.label)
    if last is None:
        return ()
    # No commit grace here: the current month is judged on every tick anyway, so a batch in
    # doubt is never missed; it is only not called late.
    return tuple(
        f"{batch.source}/{batch.batch_id}"
        for batch in uow.batches.arrived_after(agreement_id, [(last.as_of, last.started_at)])
        if batch.last_at is not None and batch.last_at >= month.start_at
    )


def _late(
    uow: UnitOfWork, agreement_id: int, judged: dict[str, _Judged], timezone: str
) -> dict[str, list[str]]:
    """Month → the batches (``source/batch id``) that arrived after it was judged closed,
    with events in one of its windows, and that no run has taken in since."""
    if not judged:
        return {}
    closings = [
        (month.period.end_at, min(run.started_at for run in month.closing_runs()) - COMMIT_GRACE)
        for month in judged.values()
    ]
    batches = [
        (batch, span)
        for batch in uow.batches.arrived_after(agreement_id, closings)
        if (span := _span(batch)) is not None
    ]
    if not batches:
        return {}
    windows = uow.verdicts.windows(
        agreement_id,
        overlapping=(min(span[0] for _, span in batches), max(span[1] for _, span in batches)),
        ending_by=max(month.period.end_at for month in judged.values()),
    )
    late: dict[str, list[str]] = {}
    for batch, span in batches:
        name = f"{batch.source}/{batch.batch_id}"
        for label in sorted(_months_touched(span, windows, judged, timezone)):
            if judged[label].missed(name, batch):
                late.setdefault(label, []).append(name)
    return late


def _span(batch: MeasurementBatchRow) -> tuple[dt.datetime, dt.datetime] | None:
    if batch.first_at is None or batch.last_at is None:
        return None
    return batch.first_at, batch.last_at


def _months_touched(
    span: tuple[dt.datetime, dt.datetime],
    windows: Sequence[tuple[dt.datetime, dt.datetime]],
    judged: dict[str, _Judged],
    timezone: str,
) -> set[str]:
    """The judged months whose own span, or one of whose judged windows (by the month it
    ends in), holds an instant of the span."""
    first, last = span
    months = {
        _month_of(end - _INSTANT, timezone)
        for start, end in windows
        if start <= last and end > first
    }
    months |= {
        label
        for label, month in judged.items()
        if month.period.start_at <= last and month.period.end_at > first
    }
    return months & judged.keys()
