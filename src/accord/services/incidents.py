"""Incidents: opened by people (API, CLI), by inbound webhooks (Alertmanager, generic JSON)
or by the service itself; acknowledged, updated, mitigated, resolved and closed by either
side, each instant kept with who set it; every change in the typed timeline and the audit
trail; the clocks (acknowledge, update, resolve) kept as obligations.

The escalation ladder is frozen onto the incident when it opens. A partner acts on the
incidents of its own agreements with its own token and sees no others (tenancy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Final

from accord.core.model import Agreement
from accord.core.model.incidents import Severity
from accord.core.obligations import (
    NoticeInstants,
    freeze_ladder,
    incident_obligations,
    ladder_to_json,
    notice_obligations,
    review_obligation,
    severity_of,
    update_obligation,
)
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.escalation import timeline
from accord.services.in_force import agreement_in_force
from accord.services.messages import Notice
from accord.services.notifications import contacts_of, enqueue
from accord.services.obligations import ObligationView, fulfil, record_obligation, release, view_of
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.incident_rows import IncidentRow
from accord.store.tables import AgreementRow, ObligationRow

__all__ = [
    "IncidentDetail",
    "IncidentView",
    "Incidents",
    "OpenIncident",
    "TimelineEntry",
    "get_incident",
    "incident_view",
    "incident_views",
    "incident_writing",
    "open_incident",
    "resolution_clocks",
    "schedule_breach_notices",
    "stand_down",
    "tell",
]

_STEPS: Final = {
    # action: (instant, state it moves to, states it may come from)
    "acknowledge": ("acknowledged", "acknowledged", ("open",)),
    "mitigate": ("mitigated", "mitigated", ("open", "acknowledged")),
    "resolve": ("resolved", "resolved", ("open", "acknowledged", "mitigated")),
    "close": ("closed", "closed", ("resolved",)),
}


@dataclass(frozen=True, kw_only=True)
class OpenIncident:
    agreement: str
    title: str
    severity: str
    security: bool = False
    impact_started_at: dt.datetime | None = None
    detected_at: dt.datetime | None = None
    #: Who opened it: api, cli, alertmanager:<source>, webhook:<source>, verdict, burn_alert.
    source: str = "api"
    #: The sender's id; an incident is opened once per source and key.
    source_key: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    kind: str
    text: str


@dataclass(frozen=True)
class IncidentView:
    id: int
    agreement: str
    title: str
    severity: str
    state: str
    security: bool
    source: str
    party: str
    impact_started_at: dt.datetime | None
    detected_at: dt.datetime | None
    reported_at: dt.datetime
    reported_by: str
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    mitigated_at: dt.datetime | None
    mitigated_by: str | None
    resolved_at: dt.datetime | None
    resolved_by: str | None
    closed_at: dt.datetime | None
    closed_by: str | None
    #: False when an inbound webhook repeated an incident already open.
    created: bool = True


@dataclass(frozen=True)
class IncidentDetail:
    incident: IncidentView
    timeline: list[TimelineEntry] = field(default_factory=list)
    obligations: list[ObligationView] = field(default_factory=list)
    ladder: str = "[]"


def incident_view(row: IncidentRow, slug: str, *, created: bool = True) -> IncidentView:
    return IncidentView(
        id=row.id,
        agreement=slug,
        title=row.title,
        severity=row.severity,
        state=row.state,
        security=row.security,
        source=row.source,
        party=row.party,
        impact_started_at=row.impact_started_at,
        detected_at=row.detected_at,
        reported_at=row.reported_at,
        reported_by=row.reported_by,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        mitigated_at=row.mitigated_at,
        mitigated_by=row.mitigated_by,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        created=created,
    )


def _severity(agreement: Agreement, severity_id: str) -> Severity:
    if agreement.incidents is None:
        raise Invalid(f"agreement {agreement.metadata.id!r} has no incident policy")
    found = severity_of(agreement, severity_id)
    if found is None:
        known = ", ".join(item.id for item in agreement.incidents.severities)
        raise Invalid(f"no severity {severity_id!r} in the incident policy; severities: {known}")
    return found


def _check_instants(command: OpenIncident, reported_at: dt.datetime) -> None:
    """When the impact started and when it was detected are told by people (API, CLI): with
    a time zone, and not after the report, since the breach notices' clocks run from the
    detection. (Inbound alerts carry the sender's start, which clock skew may put ahead.)"""
    impact, detected = command.impact_started_at, command.detected_at
    for name, instant in (("impact_started_at", impact), ("detected_at", detected)):
        if instant is None:
            continue
        if instant.tzinfo is None:
            raise Invalid(f"{name} needs a time zone, e.g. 2026-11-06T17:41:00Z")
        if instant > reported_at:
            raise Invalid(f"{name} is after the incident is reported ({reported_at.isoformat()})")
    if impact is not None and detected is not None and impact > detected:
        raise Invalid("impact_started_at is after detected_at; the impact starts first")


def tell(
    uow: UnitOfWork, row: AgreementRow, agreement: Agreement, incident: IncidentRow, what: str
) -> None:
    """Email the provider's and the consumer's contacts, and the webhooks, of a change.
    ``what`` names the change; one that starts with ``review`` is a ``review`` event."""
    notice = Notice(
        event="review" if what.startswith("review") else "incident",
        key=f"incident:{incident.id}:{what}",
        agreement=row.slug,
        title=f"incident {incident.id} {what}: {incident.title}",
        facts={"severity": incident.severity, "state": incident.state, "by": uow.principal.name},
    )
    emails = contacts_of(agreement, incident.party) + contacts_of(
        agreement, agreement.consumer().id
    )
    enqueue(uow, row, agreement, notice, emails)


def _instants(uow: UnitOfWork, incident: IncidentRow) -> NoticeInstants:
    return NoticeInstants(
        aware_at=incident.detected_at or incident.reported_at,
        classified_at=incident.classified_at,
        sent={
            f"{sent.regime}/{sent.notice}": sent.sent_at
            for sent in uow.incidents.notices(incident.id)
        },
    )


def schedule_breach_notices(
    uow: UnitOfWork, row: AgreementRow, agreement: Agreement, incident: IncidentRow
) -> None:
    """Store (or move, while open) every notice obligation a security incident owes now."""
    if not incident.security:
        return
    for obligation in notice_obligations(incident.id, agreement, _instants(uow, incident)):
        record_obligation(uow, row, obligation, incident.id)


def open_incident(
    uow: UnitOfWork, row: AgreementRow, command: OpenIncident
) -> tuple[IncidentRow, bool]:
    """Open an incident in the caller's transaction (or find the one this source opened)."""
    if command.source_key is not None:
        found = uow.incidents.find_by_source(row.id, command.source, command.source_key)
        if found is not None:
            return found, False
    now = uow.now()
    agreement = agreement_in_force(uow, row, now)
    if agreement is None:
        raise NotFound(f"agreement {row.slug!r} has no version")
    severity = _severity(agreement, command.severity)
    if not command.title.strip():
        raise Invalid("an incident needs a title")
    actor = uow.principal.name
    incident = uow.incidents.add(
        IncidentRow(
            agreement_id=row.id,
            title=command.title.strip(),
            severity=severity.id,
            state="open",
            security=command.security,
            source=command.source,
            source_key=command.source_key,
            party=agreement.provider().id,
            ladder=ladder_to_json(freeze_ladder(agreement)),
            impact_started_at=command.impact_started_at,
            impact_started_by=actor if command.impact_started_at else None,
            detected_at=command.detected_at,
            detected_by=actor if command.detected_at else None,
            reported_at=now,
            reported_by=actor,
        )
    )
    for obligation in incident_obligations(incident.id, agreement, severity, now):
        record_obligation(uow, row, obligation, incident.id)
    schedule_breach_notices(uow, row, agreement, incident)
    timeline(
        uow,
        incident,
        "opened",
        f"opened as {severity.id} ({severity.name}) from {command.source}",
        severity=severity.id,
        source=command.source,
    )
    tell(uow, row, agreement, incident, "opened")
    return incident, True


class Incidents:
    """Use cases on incidents."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def open(self, principal: Principal, command: OpenIncident) -> IncidentView:
        principal.require(Permission.READ)
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.INCIDENTS)
            _check_instants(command, uow.now())
            uow.serialise("incident-source", row.id, command.source, command.source_key)
            incident, created = open_incident(uow, row, command)
            uow.commit()
            return incident_view(incident, row.slug, created=created)

    def list(
        self, principal: Principal, *, agreement: str | None = None, states: tuple[str, ...] = ()
    ) -> list[IncidentView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = None if agreement is None else get_agreement(uow, agreement)
            return incident_views(uow, row, states)

    def get(self, principal: Principal, incident_id: int) -> IncidentDetail:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            incident, row = self._get(uow, incident_id)
            return IncidentDetail(
                incident=incident_view(incident, row.slug),
                timeline=[
                    TimelineEntry(e.at, e.actor, e.kind, e.text)
                    for e in uow.incidents.events(incident.id)
                ],
                obligations=[view_of(d, row.slug) for d in uow.incidents.duties(incident.id)],
                ladder=incident.ladder,
            )

    def acknowledge(self, principal: Principal, incident_id: int) -> IncidentView:
        return self._step(principal, incident_id, "acknowledge")

    def mitigate(self, principal: Principal, incident_id: int) -> IncidentView:
        return self._step(principal, incident_id, "mitigate")

    def resolve(self, principal: Principal, incident_id: int) -> IncidentView:
        return self._step(principal, incident_id, "resolve")

    def close(self, principal: Principal, incident_id: int) -> IncidentView:
        return self._step(principal, incident_id, "close")

    def post_update(self, principal: Principal, incident_id: int, text: str) -> IncidentView:
        """A status update: meets the update that is due and starts the next clock."""
        if not text.strip():
            raise Invalid("a status update needs text")
        with self._writing(principal, incident_id) as (uow, incident, row, agreement):
            if incident.state in ("resolved", "closed"):
                raise Conflict(
                    f"incident {incident_id} is {incident.state}; post a comment instead"
                )
            number = self._settle_updates(uow, incident)
            timeline(uow, incident, "update", text.strip(), number=number)
            if incident.acknowledged_at is not None:
                severity = _severity(agreement, incident.severity)
                following = update_obligation(
                    incident.id, number + 1, agreement, severity, uow.now()
                )
                record_obligation(uow, row, following, incident.id)
            tell(uow, row, agreement, incident, f"update {number}")
            uow.commit()
            return incident_view(incident, row.slug)

    def change_severity(
        self, principal: Principal, incident_id: int, severity_id: str, reason: str
    ) -> IncidentView:
        """The open clocks follow the new severity from their original triggers.

        A closed incident keeps its severity: changing it would move contractual clocks
        after the fact. A resolved one may be reclassified (the post-incident review often
        does), but its clocks have run: met and missed ones stay as they were, and the
        review's deadline stays as the resolution set it."""
        if not reason.strip():
            raise Invalid("a change of severity needs a reason")
        with self._writing(principal, incident_id) as (uow, incident, row, agreement):
            if incident.state == "closed":
                raise Conflict(
                    f"incident {incident_id} is closed; its severity ({incident.severity}) is "
                    "no longer changed, since that would move contractual clocks after the "
                    "fact: a correction after closing is a human decision, recorded elsewhere "
                    "(a dispute or an amendment of the agreement)"
                )
            severity = _severity(agreement, severity_id)
            before = incident.severity
            incident.severity = severity.id
            if incident.state == "resolved":
                clocks = "the clocks that ran stay met or missed as they were"
            else:
                _follow_severity(uow, row, agreement, incident, severity)
                clocks = "open clocks now follow the new severity"
            timeline(
                uow,
                incident,
                "severity_changed",
                f"severity {before} → {severity.id}: {reason.strip()}; {clocks}",
                before=before,
                after=severity.id,
            )
            tell(uow, row, agreement, incident, f"now {severity.id}")
            uow.commit()
            return incident_view(incident, row.slug)

    def _settle_updates(self, uow: UnitOfWork, incident: IncidentRow) -> int:
        """Meet the update clock that is running; the number of this update."""
        updates = [d for d in uow.incidents.duties(incident.id) if d.kind == "update"]
        for duty in updates:
            if duty.state == "open" or (duty.state == "missed" and duty.done_at is None):
                fulfil(uow, duty)
        return len(updates) if updates else 1

    def _step(self, principal: Principal, incident_id: int, action: str) -> IncidentView:
        instant, state, allowed = _STEPS[action]
        with self._writing(principal, incident_id) as (uow, incident, row, agreement):
            if incident.state not in allowed:
                raise Conflict(f"incident {incident_id} is {incident.state}; it cannot be {state}")
            now = uow.now()
            setattr(incident, f"{instant}_at", now)
            setattr(incident, f"{instant}_by", principal.name)
            incident.state = state
            text = f"{state} by {principal.name}"
            if action == "acknowledge" or incident.acknowledged_at is None:
                _acknowledged(uow, row, agreement, incident, starts_updates=action != "resolve")
                if action != "acknowledge":
                    text += ", which counts as the acknowledgement"
            if action == "resolve":
                resolution_clocks(uow, row, agreement, incident)
            timeline(uow, incident, state, text)
            tell(uow, row, agreement, incident, state)
            uow.commit()
            return incident_view(incident, row.slug)

    def _get(self, uow: UnitOfWork, incident_id: int) -> tuple[IncidentRow, AgreementRow]:
        return get_incident(uow, incident_id)

    def _writing(
        self, principal: Principal, incident_id: int
    ) -> AbstractContextManager[tuple[UnitOfWork, IncidentRow, AgreementRow, Agreement]]:
        return incident_writing(self._context, principal, lambda _uow: incident_id)


def _acknowledged(
    uow: UnitOfWork,
    row: AgreementRow,
    agreement: Agreement,
    incident: IncidentRow,
    *,
    starts_updates: bool,
) -> None:
    """Acknowledge now (mitigating or resolving first counts as the acknowledgement): meet
    its clock and, while the incident is not resolved, start the status-update clock, as
    the severity's ``update_every`` on its calendar says."""
    now = uow.now()
    if incident.acknowledged_at is None:
        incident.acknowledged_at, incident.acknowledged_by = now, uow.principal.name
    for duty in uow.incidents.duties(incident.id):
        if duty.kind == "acknowledge":
            fulfil(uow, duty)
    if starts_updates:
        severity = _severity(agreement, incident.severity)
        first = update_obligation(incident.id, 1, agreement, severity, now)
        record_obligation(uow, row, first, incident.id)


def _follow_severity(
    uow: UnitOfWork,
    row: AgreementRow,
    agreement: Agreement,
    incident: IncidentRow,
    severity: Severity,
) -> None:
    """Move the incident's open clocks onto ``severity``, each from its original trigger."""
    recomputed = {
        o.key: o
        for o in incident_obligations(incident.id, agreement, severity, incident.reported_at)
    }
    for duty in uow.incidents.duties(incident.id):
        if duty.state != "open":
            continue
        if duty.key in recomputed:
            record_obligation(uow, row, recomputed[duty.key], incident.id)
        elif duty.kind == "update":
            number = int(duty.key.rsplit(":", 1)[1])
            following = update_obligation(incident.id, number, agreement, severity, duty.trigger_at)
            record_obligation(uow, row, following, incident.id)


def resolution_clocks(
    uow: UnitOfWork, row: AgreementRow, agreement: Agreement, incident: IncidentRow
) -> None:
    """Resolution (by hand, or by the alert that opened the incident) meets the resolve
    clock, stops the updates and starts the review's."""
    for duty in uow.incidents.duties(incident.id):
        if duty.kind == "resolve":
            fulfil(uow, duty)
        elif duty.kind == "update":
            stand_down(uow, duty, "the incident was resolved")
    review = review_obligation(incident.id, agreement, incident.severity, uow.now())
    if review is not None:
        record_obligation(uow, row, review, incident.id)


def stand_down(uow: UnitOfWork, duty: ObligationRow, reason: str) -> None:
    """A duty that no longer applies (updates once resolved, a cancelled preventive action):
    waived while open; a missed one stays missed, since it was late, but stops climbing the
    escalation ladder now (escalation stops at ``done_at``), with the reason."""
    if duty.state == "missed" and duty.done_at is None:
        duty.done_at, duty.reason = uow.now(), reason
        after = {"at": duty.done_at.isoformat(), "reason": reason}
        uow.audit("obligation.stood_down", "obligation", duty.id, after=after)
    else:
        release(uow, duty, reason)


def get_incident(uow: UnitOfWork, incident_id: int) -> tuple[IncidentRow, AgreementRow]:
    """The incident and its agreement, if the principal's tenant may see it; else NotFound."""
    incident = uow.incidents.find(incident_id)
    row = None if incident is None else uow.agreements.find(incident.agreement_id)
    if incident is None or row is None:
        raise NotFound(f"no incident {incident_id}")
    return incident, row


@contextmanager
def incident_writing(
    context: ServiceContext, principal: Principal, locate: Callable[[UnitOfWork], int]
) -> Iterator[tuple[UnitOfWork, IncidentRow, AgreementRow, Agreement]]:
    """A write on one incident (``locate`` names it; it raises NotFound for what the tenant
    cannot see): 404 for another tenant's, then 403 without the permission; one writer at a
    time per incident."""
    principal.require(Permission.READ)
    with context.uow(principal, write=True) as uow:
        incident_id = locate(uow)
        uow.serialise("incident", incident_id)
        incident, row = get_incident(uow, incident_id)
        principal.require(Permission.INCIDENTS)
        agreement = agreement_in_force(uow, row, uow.now())
        if agreement is None:
            raise NotFound(f"agreement {row.slug!r} has no version")
        yield uow, incident, row, agreement


def incident_views(
    uow: UnitOfWork, row: AgreementRow | None, states: tuple[str, ...] = ()
) -> list[IncidentView]:
    """``Incidents.list`` (of the agreement ``row``, or of every one when None) inside a unit
    of work the caller opened (the agreement page's)."""
    found = uow.incidents.matching(agreement_id=None if row is None else row.id, states=states)
    return [incident_view(incident, slug) for incident, slug in found]
