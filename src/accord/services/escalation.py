"""Escalation: a lapsed incident duty that stays undone climbs the incident's frozen ladder.

Each rung is told (email to its addresses, and the agreement's webhooks) once, at the instant
``accord.core.obligations.escalation_instants`` computes; the timeline and the audit trail say
so. An escalation sent later than its instant (the worker was down, a tick came late) says by
how much; ``running_late`` is the self-check: every rung not told in time (the worker was
down), told late, or whose message failed or still waits.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Final

from accord.core.obligations import calendar_of, escalation_instants, ladder_from_json
from accord.services.in_force import agreement_in_force
from accord.services.messages import Notice
from accord.services.notifications import enqueue
from accord.services.uow import UnitOfWork
from accord.store.incident_rows import IncidentEventRow, IncidentRow
from accord.store.tables import ObligationRow

#: How long after its instant an escalation may go out before it counts as late (a tick's
#: interval and a delivery's first retry fit in it).
GRACE: Final = dt.timedelta(minutes=15)

__all__ = ["GRACE", "Escalated", "LateEscalation", "escalate", "running_late", "timeline"]


@dataclass(frozen=True)
class Escalated:
    incident: int
    duty: str
    level: int
    due_at: dt.datetime
    sent_at: dt.datetime

    @property
    def late_by(self) -> dt.timedelta:
        return self.sent_at - self.due_at


def timeline(
    uow: UnitOfWork, incident: IncidentRow, kind: str, text: str, **data: object
) -> IncidentEventRow:
    """Add an entry to the incident's timeline, and the same to the audit trail."""
    entry = uow.incidents.add_event(
        IncidentEventRow(
            incident_id=incident.id,
            agreement_id=incident.agreement_id,
            at=uow.now(),
            actor=uow.principal.name,
            kind=kind,
            text=text,
            data=json.dumps(data, sort_keys=True, default=str),
        )
    )
    uow.audit(f"incident.{kind}", "incident", incident.id, after={"text": text, **data})
    return entry


def escalate(uow: UnitOfWork) -> list[Escalated]:
    """Tell every rung whose instant has come about each lapsed, undone incident duty."""
    now = uow.now()
    sent = []
    for duty in uow.incidents.undone_lapsed_duties():
        assert duty.incident_id is not None
        incident = uow.incidents.find(duty.incident_id)
        row = uow.agreements.find(duty.agreement_id)
        agreement = None if row is None else agreement_in_force(uow, row, now)
        if incident is None or row is None or agreement is None:
            continue
        calendar = calendar_of(agreement, duty.calendar)
        for level, at in escalation_instants(
            duty.due_at, ladder_from_json(incident.ladder), calendar
        ):
            if level.level <= duty.escalated_level or at > now:
                continue
            notice = Notice(
                event="escalation",
                key=f"escalation:{duty.key}:{level.level}",
                agreement=row.slug,
                title=f"incident {incident.id} escalated to level {level.level}: {incident.title}",
                facts={
                    "duty": duty.subject,
                    "was due": duty.due_at.isoformat(),
                    "level": f"{level.level} ({level.owner}, {level.party})",
                    "escalated at": at.isoformat(),
                    "severity": incident.severity,
                },
            )
            enqueue(uow, row, agreement, notice, level.emails)
            duty.escalated_level = level.level
            late = now - at
            timeline(
                uow,
                incident,
                "escalated",
                f"{duty.kind} overdue since {duty.due_at.isoformat()}: level {level.level} "
                f"({level.owner}) told",
                level=level.level,
                due=at.isoformat(),
                late_seconds=int(late.total_seconds()),
                duty=duty.key,
            )
            sent.append(Escalated(incident.id, duty.kind, level.level, at, now))
    return sent


@dataclass(frozen=True)
class LateEscalation:
    """A rung of a lapsed, undone duty that was not told in time, or whose message has not
    arrived: what the self-check reports."""

    incident: int
    agreement: str
    duty: str
    level: int
    owner: str
    #: When the rung was to be told.
    due_at: dt.datetime
    #: When it was told (``None``: not yet — the worker has not run since).
    told_at: dt.datetime | None
    #: ``not sent``, ``sent late``, ``delivery failed`` or ``delivery pending``, with detail.
    reasons: tuple[str, ...]


def _told(uow: UnitOfWork, incident: IncidentRow, duty: ObligationRow) -> dict[int, dt.datetime]:
    """When each rung was told of this duty, from the timeline."""
    told = {}
    for event in uow.incidents.events(incident.id):
        if event.kind != "escalated":
            continue
        data = json.loads(event.data)
        if data.get("duty", duty.key) == duty.key:
            told[int(data["level"])] = event.at
    return told


def _delivery(uow: UnitOfWork, duty: ObligationRow, level: int, now: dt.datetime) -> list[str]:
    found = []
    for message in uow.outbox.with_key_prefix(duty.agreement_id, f"escalation:{duty.key}:{level}|"):
        if message.state == "failed":
            found.append(f"delivery failed to {message.recipient}: {message.last_error}")
        elif message.state != "delivered" and now - message.created_at > GRACE:
            error = f" (last error: {message.last_error})" if message.last_error else ""
            found.append(f"delivery pending to {message.recipient}{error}")
    return found


def _rung_reasons(
    rung: tuple[dt.datetime, dt.datetime | None], late: list[str], now: dt.datetime
) -> list[str]:
    at, told_at = rung
    if told_at is None:
        return [f"not sent: due {at.isoformat()}, {now - at} ago"] if now - at > GRACE else []
    reasons = [f"sent late by {told_at - at}"] if told_at - at > GRACE else []
    return reasons + late


def running_late(uow: UnitOfWork) -> list[LateEscalation]:
    """Every rung of a lapsed, undone incident duty that is running late: not told more than
    ``GRACE`` after its instant (the worker was down), told late, or whose message failed or
    still waits."""
    now = uow.now()
    found = []
    for duty in uow.incidents.overdue_undone_duties(now):
        assert duty.incident_id is not None
        incident = uow.incidents.find(duty.incident_id)
        row = uow.agreements.find(duty.agreement_id)
        agreement = None if row is None else agreement_in_force(uow, row, now)
        if incident is None or row is None or agreement is None:
            continue
        told = _told(uow, incident, duty)
        calendar = calendar_of(agreement, duty.calendar)
        for level, at in escalation_instants(
            duty.due_at, ladder_from_json(incident.ladder), calendar
        ):
            if at > now:
                break
            told_at = told.get(level.level)
            late = [] if told_at is None else _delivery(uow, duty, level.level, now)
            reasons = _rung_reasons((at, told_at), late, now)
            if reasons:
                found.append(
                    LateEscalation(
                        incident=incident.id,
                        agreement=row.slug,
                        duty=duty.subject,
                        level=level.level,
                        owner=level.owner,
                        due_at=at,
                        told_at=told_at,
                        reasons=tuple(reasons),
                    )
                )
    return found
