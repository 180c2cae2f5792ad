"""Breach notices: the notice obligations a security incident owes under its agreement's
regimes (``accord.core.obligations.notice_obligations``), its classification as major (the
trigger of DORA's clocks), and each notice as sent — when, to whom, with what content.

A notice recorded as sent meets its obligation when it was sent in time; sent after its due
instant it is **missed** as of that instant (and done late). Each change recomputes the open
notice obligations: a later notice that runs from an earlier one runs from when that one
was actually sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.core.model import Agreement
from accord.core.obligations import notice_key, regimes_of
from accord.services.errors import Conflict, Forbidden, Invalid
from accord.services.escalation import timeline
from accord.services.incidents import (
    get_incident,
    incident_writing,
    schedule_breach_notices,
    tell,
)
from accord.services.obligations import ObligationView, fulfil, view_of
from accord.services.permissions import Permission, Principal
from accord.services.renewals import party_of
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.incident_rows import IncidentNoticeRow, IncidentRow
from accord.store.tables import AgreementRow

__all__ = ["BreachNotices", "NoticeView", "RecordNotice"]


@dataclass(frozen=True, kw_only=True)
class RecordNotice:
    regime: str
    notice: str
    recipient: str
    content: str
    #: When it was sent (``None``: now); never in the future.
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class NoticeView:
    id: int
    incident: int
    regime: str
    notice: str
    sent_at: dt.datetime
    recipient: str
    content: str
    recorded_at: dt.datetime
    recorded_by: str
    #: Its obligation: met when sent in time, missed when late.
    obligation: ObligationView | None


def _view(uow: UnitOfWork, sent: IncidentNoticeRow, slug: str) -> NoticeView:
    duty = uow.obligations.find_by_key(
        sent.agreement_id, notice_key(sent.incident_id, sent.regime, sent.notice)
    )
    return NoticeView(
        id=sent.id,
        incident=sent.incident_id,
        regime=sent.regime,
        notice=sent.notice,
        sent_at=sent.sent_at,
        recipient=sent.recipient,
        content=sent.content,
        recorded_at=sent.recorded_at,
        recorded_by=sent.recorded_by,
        obligation=None if duty is None else view_of(duty, slug),
    )


def _check(
    uow: UnitOfWork, agreement: Agreement, incident: IncidentRow, command: RecordNotice
) -> None:
    if not incident.security:
        raise Conflict(f"incident {incident.id} is not a security incident; it owes no notice")
    regimes = {regime.id: regime for regime in regimes_of(agreement)}
    regime = regimes.get(command.regime)
    if regime is None:
        raise Invalid(
            f"the agreement names no notice regime {command.regime!r}; "
            f"regimes: {', '.join(regimes)}"
        )
    steps = [step.id for step in regime.notices]
    if command.notice not in steps:
        raise Invalid(
            f"{command.regime} has no notice {command.notice!r}; notices: {', '.join(steps)}"
        )
    if any(
        sent.regime == command.regime and sent.notice == command.notice
        for sent in uow.incidents.notices(incident.id)
    ):
        raise Conflict(f"notice {command.regime}/{command.notice} is already recorded")


class BreachNotices:
    """Use cases on a security incident's notices."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def classify_major(self, principal: Principal, incident_id: int) -> list[ObligationView]:
        """Classify the incident as major now: the clocks that run from it start."""
        with incident_writing(self._context, principal, lambda _uow: incident_id) as (
            uow,
            incident,
            row,
            agreement,
        ):
            if incident.classified_at is not None:
                raise Conflict(
                    f"incident {incident_id} was classified as major at "
                    f"{incident.classified_at.isoformat()}"
                )
            incident.classified_at, incident.classified_by = uow.now(), principal.name
            schedule_breach_notices(uow, row, agreement, incident)
            timeline(uow, incident, "classified_major", f"classified as major by {principal.name}")
            tell(uow, row, agreement, incident, "classified as major")
            uow.commit()
            return self._duties(uow, incident, row)

    def record(self, principal: Principal, incident_id: int, command: RecordNotice) -> NoticeView:
        """A notice as sent; late is missed as of its due instant."""
        if not command.recipient.strip() or not command.content.strip():
            raise Invalid("a notice names its recipient and its content")
        with incident_writing(self._context, principal, lambda _uow: incident_id) as (
            uow,
            incident,
            row,
            agreement,
        ):
            sent_at = command.sent_at or uow.now()
            if sent_at.tzinfo is None:
                raise Invalid("sent_at needs a time zone, e.g. 2026-11-06T18:00:00Z")
            if sent_at > uow.now():
                raise Invalid("sent_at is in the future; record a notice once it is sent")
            detected = incident.detected_at or incident.impact_started_at
            if detected is not None and sent_at < detected:
                raise Invalid(
                    f"sent_at {sent_at.isoformat()} is before incident {incident.id} was "
                    f"detected ({detected.isoformat()}); a notice follows what it reports"
                )
            _check(uow, agreement, incident, command)
            sent = uow.incidents.add_notice(
                IncidentNoticeRow(
                    incident_id=incident.id,
                    agreement_id=row.id,
                    regime=command.regime,
                    notice=command.notice,
                    sent_at=sent_at,
                    recipient=command.recipient.strip(),
                    content=command.content.strip(),
                    recorded_at=uow.now(),
                    recorded_by=principal.name,
                )
            )
            schedule_breach_notices(uow, row, agreement, incident)
            duty = uow.obligations.find_by_key(
                row.id, notice_key(incident.id, command.regime, command.notice)
            )
            if duty is None:
                raise Conflict(
                    f"notice {command.regime}/{command.notice} is not owed yet "
                    "(its triggering instant has not happened)"
                )
            if not principal.company and duty.party != party_of(uow, row, agreement):
                raise Forbidden(
                    f"notice {command.regime}/{command.notice} is owed by {duty.party!r}; "
                    f"{principal.name} records only the notices its own party owes"
                )
            fulfil(uow, duty, sent_at)
            timeline(
                uow,
                incident,
                "notice_sent",
                f"{command.regime} {command.notice} sent {sent_at.isoformat()} to {sent.recipient}",
                regime=command.regime,
                notice=command.notice,
            )
            uow.commit()
            return _view(uow, sent, row.slug)

    def sent(self, principal: Principal, incident_id: int) -> list[NoticeView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            incident, row = get_incident(uow, incident_id)
            return [_view(uow, sent, row.slug) for sent in uow.incidents.notices(incident.id)]

    def _duties(
        self, uow: UnitOfWork, incident: IncidentRow, row: AgreementRow
    ) -> list[ObligationView]:
        return [
            view_of(duty, row.slug)
            for duty in uow.incidents.duties(incident.id)
            if duty.kind == "breach_notice"
        ]
