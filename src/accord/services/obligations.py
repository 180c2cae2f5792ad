"""Obligations: the dated duties of stored agreements, scheduled, listed, met, waived, and
checked for lapse (``accord.core.obligations`` computes them; this module keeps them).

Notice deadlines are scheduled when a version is uploaded and on every check (so that, once a
term rolls over, the next term's deadlines appear). A check marks every open obligation whose
due instant has passed as **missed at its due instant**, not at the time of the check: a
worker that was down for a day records the same lapse it would have recorded on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from accord.core.model import Agreement
from accord.core.model.notifications import Notifications
from accord.core.obligations import (
    Obligation,
    ObligationState,
    governance_reviews,
    lapsed,
    notice_deadlines,
)
from accord.core.units import Duration
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.escalation import Escalated, LateEscalation, escalate, running_late
from accord.services.in_force import agreement_in_force
from accord.services.messages import Notice
from accord.services.notifications import contacts_of, enqueue
from accord.services.permissions import Permission, Principal
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import ObligationFilter
from accord.store.tables import AgreementRow, ObligationRow

__all__ = [
    "CheckReport",
    "ObligationQuery",
    "ObligationView",
    "Obligations",
    "fulfil",
    "invite",
    "obligation_views",
    "record_obligation",
    "release",
    "remind",
    "schedule_notices",
    "schedule_reviews",
    "view_of",
]


@dataclass(frozen=True)
class ObligationView:
    id: int
    agreement: str
    kind: str
    party: str
    subject: str
    trigger_at: dt.datetime
    due_at: dt.datetime
    calendar: str
    state: str
    state_at: dt.datetime | None
    state_by: str | None
    reason: str | None
    escalated_level: int
    #: What the duty is about, as its owner keyed it (``dispute:7:step:1``,
    #: ``governance_review:2026-Q4``, ``incident:3:review`` …): unique per agreement.
    key: str


@dataclass(frozen=True, kw_only=True)
class ObligationQuery:
    agreement: str | None = None
    states: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    #: Only those due by now + this (``None``: any due instant).
    due_within: dt.timedelta | None = None


@dataclass(frozen=True)
class CheckReport:
    scheduled: int
    missed: tuple[ObligationView, ...]
    reminded: int = 0
    escalated: tuple[Escalated, ...] = ()
    #: Invitations to governance reviews queued (one per review and participant's contact).
    invited: int = 0

    @property
    def late(self) -> tuple[Escalated, ...]:
        """Escalations sent more than a quarter of an hour after their instant."""
        return tuple(item for item in self.escalated if item.late_by > _LATE)

    def summary(self) -> str:
        return (
            f"{self.scheduled} obligations scheduled, {len(self.missed)} missed, "
            f"{self.reminded} reminders queued, {self.invited} review invitations queued, "
            f"{len(self.escalated)} escalations"
            + (f" ({len(self.late)} late)" if self.late else "")
        )


def view_of(row: ObligationRow, slug: str) -> ObligationView:
    return ObligationView(
        id=row.id,
        agreement=slug,
        kind=row.kind,
        party=row.party,
        subject=row.subject,
        trigger_at=row.trigger_at,
        due_at=row.due_at,
        calendar=row.calendar,
        state=row.state,
        state_at=row.state_at,
        state_by=row.state_by,
        reason=row.reason,
        escalated_level=row.escalated_level,
        key=row.key,
    )


def _record(row: ObligationRow) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "key": row.key,
        "party": row.party,
        "due_at": row.due_at.isoformat(),
        "state": row.state,
        "state_at": None if row.state_at is None else row.state_at.isoformat(),
        "reason": row.reason,
    }


def record_obligation(
    uow: UnitOfWork, row: AgreementRow, obligation: Obligation, incident_id: int | None = None
) -> ObligationRow:
    """Store a computed obligation once (by its key); an open one follows a changed due
    instant, a closed one is left as it was."""
    found = uow.obligations.find_by_key(row.id, obligation.key)
    if found is None:
        stored = uow.obligations.add(
            ObligationRow(
                agreement_id=row.id,
                kind=obligation.kind,
                key=obligation.key,
                party=obligation.party,
                subject=obligation.subject,
                trigger_at=obligation.trigger_at,
                due_at=obligation.due_at,
                calendar=obligation.calendar,
                state=ObligationState.OPEN.value,
                escalated_level=0,
                created_at=uow.now(),
                incident_id=incident_id,
            )
        )
        uow.audit("obligation.scheduled", "obligation", stored.id, after=_record(stored))
        return stored
    if found.state == ObligationState.OPEN and found.due_at != obligation.due_at:
        before = _record(found)
        found.due_at, found.subject = obligation.due_at, obligation.subject
        uow.audit(
            "obligation.rescheduled", "obligation", found.id, before=before, after=_record(found)
        )
    return found


def schedule_notices(uow: UnitOfWork, row: AgreementRow, agreement: Agreement) -> int:
    """Store the next renewal and termination notice deadlines; how many were new."""
    today = uow.now().astimezone(dt.UTC).date()
    new = 0
    for deadline in notice_deadlines(agreement, today):
        known = uow.obligations.find_by_key(row.id, deadline.obligation().key)
        record_obligation(uow, row, deadline.obligation())
        new += known is None
    return new


def schedule_reviews(uow: UnitOfWork, row: AgreementRow, agreement: Agreement) -> int:
    """Store the governance reviews of the agreement's cadence that are due next
    (``accord.core.obligations.governance``); how many were new."""
    new = 0
    for review in governance_reviews(agreement, uow.now()):
        new += uow.obligations.find_by_key(row.id, review.key) is None
        record_obligation(uow, row, review)
    return new


def invite(uow: UnitOfWork, row: AgreementRow, agreement: Agreement) -> int:
    """Invite the participants of each governance review whose period has ended (the
    contacts of every participating party, once per review); how many were queued."""
    governance = agreement.governance
    if governance is None:
        return 0
    now = uow.now()
    where = ObligationFilter(agreement_id=row.id, states=("open",), kinds=("governance_review",))
    names = {party.id: party.name for party in agreement.parties}
    queued = 0
    for duty, _slug in uow.obligations.matching(where):
        if duty.trigger_at > now:
            continue
        period = duty.key.removeprefix("governance_review:")
        notice = Notice(
            event="review_invitation",
            key=f"invitation:{duty.key}",
            agreement=row.slug,
            title=f"{period} governance review of {agreement.metadata.title}",
            facts={
                "period": period,
                "participants": ", ".join(names.get(p, p) for p in governance.participants),
                "held by": _local_day(duty.due_at, agreement.timezone),
                "review pack": f"accord review pack {row.slug} {period}",
            },
        )
        emails = [e for party in governance.participants for e in contacts_of(agreement, party)]
        queued += enqueue(uow, row, agreement, notice, emails)
    return queued


def _local_day(due: dt.datetime, timezone: str) -> str:
    """The last local day before a due instant at midnight."""
    return (due - dt.timedelta(microseconds=1)).astimezone(ZoneInfo(timezone)).date().isoformat()


_LATE: Final = dt.timedelta(minutes=15)
_NOTICES: Final = ("renewal_notice", "termination_notice")


def remind(uow: UnitOfWork, row: AgreementRow, agreement: Agreement) -> int:
    """Queue a reminder of each open notice deadline whose nearest lead time has come (one
    per lead time, to the contacts of the party that owes it); how many were queued."""
    now = uow.now()
    leads = sorted((agreement.notifications or Notifications()).reminders, key=_lead)
    where = ObligationFilter(agreement_id=row.id, states=("open",), kinds=_NOTICES)
    queued = 0
    for duty, _slug in uow.obligations.matching(where):
        lead = next((item for item in leads if duty.due_at - _lead(item) <= now), None)
        if lead is None or now > duty.due_at:
            continue
        notice = Notice(
            event="reminder",
            key=f"reminder:{duty.key}:{lead}",
            agreement=row.slug,
            title=duty.subject,
            facts={
                "due": duty.due_at.isoformat(),
                "last day": (duty.due_at - dt.timedelta(microseconds=1))
                .astimezone(ZoneInfo(agreement.timezone))
                .date()
                .isoformat(),
                "reminder": f"{lead} before",
            },
        )
        queued += enqueue(uow, row, agreement, notice, contacts_of(agreement, duty.party))
    return queued


def _lead(duration: Duration) -> dt.timedelta:
    return duration.to_timedelta()


def fulfil(uow: UnitOfWork, row: ObligationRow, done_at: dt.datetime | None = None) -> None:
    """The duty was done now (or at ``done_at``, when it is recorded after the fact): met
    when in time; otherwise missed as of its due instant, with when it was done (escalation
    stops)."""
    now = uow.now() if done_at is None else done_at
    if row.state == ObligationState.OPEN and not lapsed(row.due_at, now):
        before = _record(row)
        row.state, row.state_at, row.state_by = ObligationState.MET.value, now, uow.principal.name
        row.done_at = now
        uow.audit("obligation.met", "obligation", row.id, before=before, after=_record(row))
        return
    if row.state == ObligationState.OPEN:
        _lapse(uow, row)
    if row.state == ObligationState.MISSED and row.done_at is None:
        row.done_at = now
        uow.audit("obligation.met_late", "obligation", row.id, after={"at": now.isoformat()})


def release(uow: UnitOfWork, row: ObligationRow, reason: str) -> None:
    """An open duty that no longer applies (an update due after the incident was resolved)."""
    if row.state != ObligationState.OPEN:
        return
    before = _record(row)
    row.state, row.state_at, row.state_by = (
        ObligationState.WAIVED.value,
        uow.now(),
        uow.principal.name,
    )
    row.reason = reason
    uow.audit("obligation.waived", "obligation", row.id, before=before, after=_record(row))


def _lapse(uow: UnitOfWork, row: ObligationRow) -> None:
    before = _record(row)
    row.state = ObligationState.MISSED.value
    row.state_at = row.due_at  # missed when it lapsed, not when this check ran
    row.state_by = uow.principal.name
    uow.audit("obligation.missed", "obligation", row.id, before=before, after=_record(row))


class Obligations:
    """Use cases on obligations."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def late_escalations(self, principal: Principal) -> list[LateEscalation]:
        """The self-check: escalations of lapsed, undone incident duties that are running late
        (not told in time because the worker was down, told late, or not delivered)."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return running_late(uow)

    def list(self, principal: Principal, query: ObligationQuery) -> list[ObligationView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            agreement_id = None
            if query.agreement is not None:
                found = uow.agreements.find_by_slug(query.agreement)
                if found is None:
                    raise NotFound(f"no agreement {query.agreement!r}")
                agreement_id = found.id
            return obligation_views(uow, agreement_id, query)

    def get(self, principal: Principal, obligation_id: int) -> ObligationView:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row, slug = self._get(uow, obligation_id)
            return view_of(row, slug)

    def meet(
        self, principal: Principal, obligation_id: int, note: str | None = None
    ) -> ObligationView:
        """Record the duty done now; after its due instant it stays missed (the late act is
        noted in the audit trail)."""
        return self._close(principal, obligation_id, ObligationState.MET, note)

    def waive(self, principal: Principal, obligation_id: int, reason: str) -> ObligationView:
        if not reason.strip():
            raise Invalid("a waiver needs a reason")
        return self._close(principal, obligation_id, ObligationState.WAIVED, reason)

    def check(self, principal: Principal) -> CheckReport:
        """Schedule the notice deadlines and governance reviews of every agreement, invite
        to the reviews whose period has ended, and mark each lapsed obligation missed as of
        its due instant."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        with self._context.uow(principal, write=True) as uow:
            now = uow.now()
            scheduled = reminded = invited = 0
            for row in uow.agreements.all():
                agreement = agreement_in_force(uow, row, now)
                if agreement is not None:
                    scheduled += schedule_notices(uow, row, agreement)
                    scheduled += schedule_reviews(uow, row, agreement)
                    reminded += remind(uow, row, agreement)
                    invited += invite(uow, row, agreement)
            open_due = uow.obligations.matching(
                ObligationFilter(states=(ObligationState.OPEN.value,), due_before=now)
            )
            missed = []
            for duty, slug in open_due:
                if duty.due_at < now:
                    _lapse(uow, duty)
                    missed.append(view_of(duty, slug))
            escalated = escalate(uow)
            uow.commit()
        return CheckReport(
            scheduled=scheduled,
            missed=tuple(missed),
            reminded=reminded,
            escalated=tuple(escalated),
            invited=invited,
        )

    def _get(self, uow: UnitOfWork, obligation_id: int) -> tuple[ObligationRow, str]:
        row = uow.obligations.find(obligation_id)
        agreement = None if row is None else uow.agreements.find(row.agreement_id)
        if row is None or agreement is None:
            raise NotFound(f"no obligation {obligation_id}")
        return row, agreement.slug

    def _close(
        self, principal: Principal, obligation_id: int, state: ObligationState, reason: str | None
    ) -> ObligationView:
        principal.require(Permission.READ)
        with self._context.uow(principal, write=True) as uow:
            row, slug = self._get(uow, obligation_id)  # another tenant's: 404, not 403
            principal.require(Permission.MANAGE_AGREEMENTS)
            if state is ObligationState.MET:
                if row.state not in (ObligationState.OPEN, ObligationState.MISSED) or row.done_at:
                    raise Conflict(f"obligation {obligation_id} is already {row.state}")
                fulfil(uow, row)
            else:
                if row.state != ObligationState.OPEN:
                    raise Conflict(f"obligation {obligation_id} is already {row.state}")
                release(uow, row, reason or "")
            uow.commit()
            return view_of(row, slug)


def obligation_views(
    uow: UnitOfWork, agreement_id: int | None, query: ObligationQuery
) -> list[ObligationView]:
    """``Obligations.list`` (of the agreement ``agreement_id``, or of every one when None)
    inside a unit of work the caller opened (the agreement page's)."""
    due_before = None if query.due_within is None else uow.now() + query.due_within
    where = ObligationFilter(
        agreement_id=agreement_id,
        states=query.states,
        kinds=query.kinds,
        due_before=due_before,
    )
    return [view_of(row, slug) for row, slug in uow.obligations.matching(where)]
