"""Escalation: a lapsed incident duty that stays undone climbs the incident's frozen ladder.

Each rung is told (email to its addresses, and the agreement's webhooks) once, at the instant
``accord.core.obligations.escalation_instants`` computes; the timeline and the audit trail say
so. An escalation sent later than its instant (the worker was down, a tick came late) says by
how much: that is the self-check of escalations running late.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from accord.core.obligations import calendar_of, escalation_instants, ladder_from_json
from accord.services.in_force import agreement_in_force
from accord.services.messages import Notice
from accord.services.notifications import enqueue
from accord.services.uow import UnitOfWork
from accord.store.incident_rows import IncidentEventRow, IncidentRow

__all__ = ["Escalated", "escalate", "timeline"]


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
            )
            sent.append(Escalated(incident.id, duty.kind, level.level, at, now))
    return sent
