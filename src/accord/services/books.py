"""Closing the books: closed windows, late data after close, and restatements.

A window closes at its end plus the agreement's data cutoff (``accord.core.closing``); the
first evaluation after that makes its verdicts and credits final, recorded with the agreement
versions and the batches they were judged from. Data that arrives later is kept and reported
here as late data (per source, which closed windows it falls in, and what it would change),
never applied silently; so is an incident the service records that changed after the close
of a window it is placed in (``accord.services.recorded``). Changing a final window is a
**restatement**: asked for by a company user who may restate, or by a partner, with a reason
from a fixed list plus text; applied when a company user who may restate approves it — under
the four-eyes rule (``Limits``) a different user from the one who asked. The restating run
reads all the data, supersedes the final verdicts (both kept) and books the credit
difference.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from accord.core.closing import LedgerReason, state_of
from accord.core.periods import PeriodError, parse_period
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.in_force import parsed
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.recorded import LateIncident, late_incidents
from accord.services.recording import Recorded, scope_key
from accord.services.uow import ServiceContext, UnitOfWork
from accord.services.verdict_views import RunView
from accord.services.verdicts import RunEvaluation, Verdicts
from accord.store.tables import (
    AgreementRow,
    ClosedWindowRow,
    EvaluationRunRow,
    MeasurementBatchRow,
    RestatementRow,
)

__all__ = [
    "Books",
    "ClosedWindowView",
    "LateBatch",
    "LateChange",
    "LateData",
    "RequestRestatement",
    "RestatementView",
]

_REQUESTED: Final = "requested"
_APPLIED: Final = "applied"
_REJECTED: Final = "rejected"


@dataclass(frozen=True, kw_only=True)
class RequestRestatement:
    agreement: str
    #: The closed period (a window label such as ``2026-10``).
    period: str
    #: One of ``LedgerReason``.
    reason_code: str
    reason: str


@dataclass(frozen=True)
class RestatementView:
    id: int
    agreement: str
    period: str
    reason_code: str
    reason: str
    state: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None
    run: int | None


@dataclass(frozen=True)
class ClosedWindowView:
    """A window that became final, and where it stands now (closed or restated)."""

    window: str
    window_start: dt.datetime
    window_end: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime
    state: str
    run: int
    versions: list[str]
    batches: list[dict[str, str]]
    verdicts: list[int]
    credits: list[dict[str, str]]


@dataclass(frozen=True)
class LateBatch:
    """A batch that arrived after the close of windows its events fall in."""

    source: str
    batch_id: str
    events: int
    received_at: dt.datetime
    windows: list[str]


@dataclass(frozen=True)
class LateChange:
    """A final verdict the late data would change, and how."""

    objective: str
    scope: str
    window: str
    final_outcome: str | None
    final_value: str | None
    outcome: str
    value: str | None


@dataclass(frozen=True)
class LateData:
    """Late data after close: per source, per batch and per incident changed after the close,
    and the final verdicts it would change."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: list[LateBatch] = field(default_factory=list)
    changes: list[LateChange] = field(default_factory=list)
    incidents: list[LateIncident] = field(default_factory=list)


def _reason_code(text: str) -> LedgerReason:
    try:
        return LedgerReason(text)
    except ValueError:
        codes = ", ".join(reason.value for reason in LedgerReason)
        raise Invalid(f"no reason {text!r}; reasons: {codes}") from None


def _view(slug: str, row: RestatementRow) -> RestatementView:
    return RestatementView(
        id=row.id,
        agreement=slug,
        period=row.period,
        reason_code=row.reason_code,
        reason=row.reason,
        state=row.state,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        run=row.run_id,
    )


def _record(row: RestatementRow) -> dict[str, object]:
    return {
        "id": row.id,
        "period": row.period,
        "reason_code": row.reason_code,
        "reason": row.reason,
        "state": row.state,
        "requested_by": row.requested_by,
        "decided_by": row.decided_by,
        "run": row.run_id,
    }


class Books:
    """Use cases on closed periods, late data and restatements."""

    def __init__(self, context: ServiceContext, verdicts: Verdicts) -> None:
        self._context = context
        self._verdicts = verdicts

    def periods(self, principal: Principal, agreement: str) -> list[ClosedWindowView]:
        """The agreement's closed windows, with the versions and data each was judged from."""
        principal.require(Permission.READ)
        now = self._context.clock.now()
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            restated = {r.period for r in uow.books.restatements(row.id) if r.state == _APPLIED}
            views = []
            for closed in uow.books.all_closed(row.id):
                record = json.loads(closed.record)
                state = state_of(
                    closed.window_end,
                    closed.closes_at,
                    now,
                    restated=closed.window_label in restated,
                )
                views.append(
                    ClosedWindowView(
                        window=closed.window_label,
                        window_start=closed.window_start,
                        window_end=closed.window_end,
                        closes_at=closed.closes_at,
                        closed_at=closed.closed_at,
                        state=state.value,
                        run=closed.run_id,
                        versions=record["versions"],
                        batches=record["batches"],
                        verdicts=record["verdicts"],
                        credits=record["credits"],
                    )
                )
            return views

    def late_data(self, principal: Principal, agreement: str) -> LateData:
        """Batches that arrived after the close of a window their events fall in, and
        recorded incidents changed after the close of a window they are placed in, per
        source, batch and incident, and the final verdicts they would change (judged again
        with every batch and the records as they are now, nothing recorded)."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            closed = list(uow.books.all_closed(row.id))
            late = [_late(batch, closed) for batch in uow.batches.all(row.id) if batch.first_at]
            found = [batch for batch in late if batch.windows]
            versions = [parsed(version) for version in uow.agreements.versions(row.id)]
            incidents = late_incidents(uow, row.id, versions, closed)
        sources: dict[str, dict[str, Any]] = {}
        for batch in found:
            entry = sources.setdefault(batch.source, {"batches": 0, "events": 0, "windows": []})
            entry["batches"] += 1
            entry["events"] += batch.events
            entry["windows"] = sorted({*entry["windows"], *batch.windows})
        for incident in incidents:
            entry = sources.setdefault(incident.source, {"incidents": 0, "windows": []})
            entry["incidents"] += 1
            entry["windows"] = sorted({*entry["windows"], *incident.windows})
        windows = sorted(
            {window for batch in found for window in batch.windows}
            | {window for incident in incidents for window in incident.windows}
        )
        changes = [change for window in windows for change in self._changes(principal, row, window)]
        return LateData(sources, found, changes, incidents)

    def _changes(self, principal: Principal, row: AgreementRow, window: str) -> list[LateChange]:
        try:
            parse_period(window, "UTC")
        except PeriodError:
            return []  # a window that is no period (rolling): listed, not judged again
        preview = self._verdicts.preview(
            principal, RunEvaluation(agreement=row.slug, period=window)
        )
        with self._context.uow(principal) as uow:
            current = uow.verdicts.current(row.id, [window])
        changes = []
        for verdict in preview["verdicts"]:
            if verdict["window"]["label"] != window:
                continue
            key = (verdict["objective"], scope_key(verdict["scope"]), window)
            final = current.get(key)
            value = None if verdict["value"] is None else str(Decimal(str(verdict["value"])))
            final_value = None if final is None or final.value is None else str(final.value)
            same_value = (
                value is None
                if final_value is None
                else value is not None and Decimal(value) == Decimal(final_value)
            )
            if final is not None and final.outcome == verdict["outcome"] and same_value:
                continue
            changes.append(
                LateChange(
                    objective=verdict["objective"],
                    scope=verdict.get("scope_label") or "all",
                    window=window,
                    final_outcome=None if final is None else final.outcome,
                    final_value=final_value,
                    outcome=verdict["outcome"],
                    value=value,
                )
            )
        return changes

    def restatements(self, principal: Principal, agreement: str) -> list[RestatementView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            return [_view(row.slug, r) for r in uow.books.restatements(row.id)]

    def request_restatement(
        self, principal: Principal, command: RequestRestatement
    ) -> RestatementView:
        """Ask for a closed period to be restated. Without the four-eyes rule, a company user
        who may restate has it applied at once; otherwise it waits for approval."""
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.REQUEST_RESTATEMENT)
            code = _reason_code(command.reason_code)
            if not command.reason.strip():
                raise Invalid("say why the period is to be restated (reason)")
            if not uow.books.closed(row.id, [command.period]):
                raise Invalid(
                    f"period {command.period!r} of {row.slug!r} is not closed: it is not final "
                    "yet, and an evaluation may still change it"
                )
            restatement = uow.books.add_restatement(
                RestatementRow(
                    agreement_id=row.id,
                    period=command.period,
                    reason_code=code.value,
                    reason=command.reason.strip(),
                    state=_REQUESTED,
                    requested_by=principal.name,
                    requested_by_user=principal.user_id,
                    requested_at=uow.now(),
                )
            )
            uow.audit("restatement.requested", "agreement", row.slug, after=_record(restatement))
            uow.commit()
            view = _view(row.slug, restatement)
        if not self._context.limits.four_eyes and self._may_restate(principal):
            return self.approve(principal, command.agreement, view.id)
        return view

    def _may_restate(self, principal: Principal) -> bool:
        return principal.company and principal.can(Permission.RESTATE)

    def approve(
        self, principal: Principal, agreement: str, restatement_id: int, note: str = ""
    ) -> RestatementView:
        """Apply a requested restatement: the period judged again with every batch, final
        verdicts superseded (both kept), the credit difference booked — one transaction."""
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            found = self._pending(uow, row, restatement_id)
            self._check_approver(principal, found)
            command = RunEvaluation(
                agreement=row.slug,
                period=found.period,
                reason=f"restatement {found.id} ({found.reason_code}): {found.reason}",
            )

        def applied(uow: UnitOfWork, run: EvaluationRunRow, recorded: Recorded) -> None:
            current = self._pending(uow, row, restatement_id)
            current.state = _APPLIED
            current.decided_by = principal.name
            current.decided_at = uow.now()
            current.decision_note = note.strip() or None
            current.run_id = run.id
            uow.audit(
                "restatement.applied",
                "agreement",
                row.slug,
                before={"state": _REQUESTED},
                after={**_record(current), **recorded.as_record()},
            )

        run: RunView = self._verdicts.restate(principal, command, applied)
        with self._context.uow(principal) as uow:
            done = uow.books.find_restatement(row.id, restatement_id)
            assert done is not None
            assert done.run_id == run.id
            return _view(row.slug, done)

    def reject(
        self, principal: Principal, agreement: str, restatement_id: int, note: str
    ) -> RestatementView:
        if not note.strip():
            raise Invalid("say why the restatement is rejected (note)")
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, agreement)
            found = self._pending(uow, row, restatement_id)
            if not self._may_restate(principal):
                raise Forbidden(f"{principal.name} may not decide restatements")
            found.state = _REJECTED
            found.decided_by = principal.name
            found.decided_at = uow.now()
            found.decision_note = note.strip()
            uow.audit(
                "restatement.rejected",
                "agreement",
                row.slug,
                before={"state": _REQUESTED},
                after=_record(found),
            )
            uow.commit()
            return _view(row.slug, found)

    def _pending(self, uow: UnitOfWork, row: AgreementRow, restatement_id: int) -> RestatementRow:
        found = uow.books.find_restatement(row.id, restatement_id)
        if found is None:
            raise NotFound(f"agreement {row.slug!r} has no restatement {restatement_id}")
        if found.state != _REQUESTED:
            raise Conflict(f"restatement {restatement_id} is {found.state} already")
        return found

    def _check_approver(self, principal: Principal, found: RestatementRow) -> None:
        if not self._may_restate(principal):
            raise Forbidden(
                f"{principal.name} may not restate: a company role with "
                f"{Permission.RESTATE.value!r} approves restatements"
            )
        same = found.requested_by == principal.name or (
            found.requested_by_user is not None and found.requested_by_user == principal.user_id
        )
        if self._context.limits.four_eyes and same:
            raise Forbidden(
                "four-eyes rule: a restatement is approved by another user than the one who "
                "asked for it"
            )


def _late(batch: MeasurementBatchRow, closed: list[ClosedWindowRow]) -> LateBatch:
    assert batch.first_at is not None
    last = batch.last_at or batch.first_at
    windows = [
        c.window_label
        for c in closed
        if batch.received_at > c.closes_at
        and batch.first_at < c.window_end
        and last >= c.window_start
    ]
    return LateBatch(
        batch.source, batch.batch_id, batch.events_accepted, batch.received_at, windows
    )
