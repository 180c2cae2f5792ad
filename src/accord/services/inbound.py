"""Inbound incident sources: Prometheus Alertmanager's webhook and a generic JSON webhook.

A source belongs to one agreement and has its own secret (only its SHA-256 is kept); the
sender presents it as ``Authorization: Bearer <secret>`` (Alertmanager:
``http_config.authorization.credentials``). Each alert opens one incident, once: the
sender's id (Alertmanager: the alert's ``fingerprint`` and ``startsAt``; generic: ``id``) is
the incident's source key, so a repeated notification changes nothing. An alert sent again as
``resolved`` resolves the incident it opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from accord.core.model import Agreement
from accord.services.errors import Conflict, Invalid, NotFound, Unauthenticated
from accord.services.escalation import timeline
from accord.services.in_force import agreement_in_force
from accord.services.incidents import (
    IncidentView,
    OpenIncident,
    incident_view,
    open_incident,
    resolution_clocks,
    tell,
)
from accord.services.obligations import fulfil
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.incident_rows import IncidentRow, IncidentSourceRow
from accord.store.tables import AgreementRow

__all__ = ["Alert", "CreateSource", "CreatedSource", "Inbound"]

_REFUSED: Final = "unknown incident source secret"
_KINDS: Final = ("alertmanager", "generic")


@dataclass(frozen=True, kw_only=True)
class CreateSource:
    agreement: str
    name: str
    kind: Literal["alertmanager", "generic"]
    #: The severity of incidents whose alert names none the policy knows; ``None``: the
    #: policy's only severity (a policy with several must be told which).
    severity: str | None = None


@dataclass(frozen=True)
class CreatedSource:
    agreement: str
    name: str
    kind: str
    severity: str
    #: Shown once; only its SHA-256 is kept.
    secret: str


@dataclass(frozen=True)
class Alert:
    """One alert, from either kind of source."""

    key: str
    firing: bool
    title: str
    severity: str | None
    started_at: dt.datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _instant(text: object, where: str) -> dt.datetime | None:
    if text in (None, "", "0001-01-01T00:00:00Z"):
        return None
    try:
        value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{where}: {text!r} is not an ISO 8601 instant") from None
    if value.tzinfo is None:
        raise Invalid(f"{where}: {text!r} has no time zone")
    return value.astimezone(dt.UTC)


def alertmanager_alerts(payload: Mapping[str, Any]) -> list[Alert]:
    """The alerts of an Alertmanager webhook (version 4)."""
    alerts = payload.get("alerts")
    if not isinstance(alerts, list):
        raise Invalid("alerts: an Alertmanager webhook carries a list of alerts")
    found = []
    for index, item in enumerate(alerts):
        where = f"alerts[{index}]"
        if not isinstance(item, dict):
            raise Invalid(f"{where}: an alert is an object")
        labels = item.get("labels") or {}
        annotations = item.get("annotations") or {}
        fingerprint = item.get("fingerprint") or ",".join(
            f"{k}={v}" for k, v in sorted(labels.items())
        )
        if not fingerprint:
            raise Invalid(f"{where}: an alert needs a fingerprint or labels")
        started = _instant(item.get("startsAt"), f"{where}.startsAt")
        title = annotations.get("summary") or labels.get("alertname") or "alert"
        found.append(
            Alert(
                key=f"{fingerprint}@{started.isoformat() if started else ''}"[:200],
                firing=item.get("status", payload.get("status")) == "firing",
                title=str(title)[:500],
                severity=labels.get("severity"),
                started_at=started,
            )
        )
    return found


def generic_alerts(payload: Mapping[str, Any]) -> list[Alert]:
    """``{"id": …, "title": …, "severity": …, "status": "open"|"resolved", "started_at": …}``"""
    key = payload.get("id")
    if not isinstance(key, str) or not key.strip():
        raise Invalid("id: the sender's id of the incident is required (text)")
    status = payload.get("status", "open")
    if status not in ("open", "resolved"):
        raise Invalid(f"status: {status!r}; write open or resolved")
    title = payload.get("title")
    if status == "open" and (not isinstance(title, str) or not title.strip()):
        raise Invalid("title: an incident needs a title")
    severity = payload.get("severity")
    return [
        Alert(
            key=key[:200],
            firing=status == "open",
            title=str(title or key)[:500],
            severity=severity if isinstance(severity, str) else None,
            started_at=_instant(payload.get("started_at"), "started_at"),
        )
    ]


def _source_severity(asked: str | None, known: Sequence[str], slug: str) -> str:
    """The severity a source opens incidents with when an alert names none: the one asked
    for, or the policy's only one. Of several, none is taken silently (not even the
    lowest): an unlabelled alert may be the worst, and its clocks are the contract's."""
    listed = ", ".join(known) or "none"
    if asked is None:
        if len(known) == 1:
            return known[0]
        raise Invalid(
            f"severity: name the one for alerts that name none; the incident policy of "
            f"{slug} has severities: {listed}"
        )
    if asked not in known:
        raise Invalid(
            f"severity {asked!r} is not in the incident policy of {slug}; severities: {listed}"
        )
    return asked


class Inbound:
    """Use cases of inbound incident sources."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def create_source(self, principal: Principal, command: CreateSource) -> CreatedSource:
        principal.require(Permission.READ)
        if command.kind not in _KINDS:
            raise Invalid(f"kind {command.kind!r}; kinds: {', '.join(_KINDS)}")
        secret = "ais_" + secrets.token_urlsafe(32)
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.MANAGE_AGREEMENTS)
            # Checked now: else every alert naming no known severity would be refused later.
            known = _severities(agreement_in_force(uow, row, uow.now()))
            severity = _source_severity(command.severity, known, row.slug)
            if any(s.name == command.name for s in uow.incidents.sources(row.id)):
                raise Conflict(f"agreement {row.slug!r} already has a source {command.name!r}")
            uow.incidents.add_source(
                IncidentSourceRow(
                    agreement_id=row.id,
                    name=command.name,
                    kind=command.kind,
                    secret_sha256=_digest(secret),
                    severity=severity,
                    created_at=uow.now(),
                    created_by=principal.name,
                )
            )
            uow.audit(
                "incident_source.created",
                "agreement",
                row.slug,
                after={"name": command.name, "kind": command.kind},
            )
            uow.commit()
        return CreatedSource(row.slug, command.name, command.kind, severity, secret)

    def receive(self, secret: str, kind: str, payload: Mapping[str, Any]) -> list[IncidentView]:
        """Open (or resolve) the incidents an inbound webhook reports."""
        source, principal = self._source(secret, kind)
        alerts = alertmanager_alerts(payload) if kind == "alertmanager" else generic_alerts(payload)
        with self._context.uow(principal, write=True) as uow:
            row = uow.agreements.find(source.agreement_id)
            assert row is not None
            uow.serialise("incident-source", source.id)
            done = [self._one(uow, row, source, alert) for alert in alerts]
            uow.commit()
        return [view for view in done if view is not None]

    def _one(
        self, uow: UnitOfWork, row: Any, source: IncidentSourceRow, alert: Alert
    ) -> IncidentView | None:
        label = f"{source.kind}:{source.name}"
        if alert.firing:
            command = OpenIncident(
                agreement=row.slug,
                title=alert.title,
                severity=self._severity(uow, row, alert.severity, source.severity),
                impact_started_at=alert.started_at,
                detected_at=uow.now(),
                source=label,
                source_key=alert.key,
            )
            incident, created = open_incident(uow, row, command)
            return incident_view(incident, row.slug, created=created)
        found = uow.incidents.find_by_source(row.id, label, alert.key)
        if found is None or found.state in ("resolved", "closed"):
            return None
        agreement = agreement_in_force(uow, row, uow.now())
        if agreement is None:
            raise NotFound(f"agreement {row.slug!r} has no version")
        _resolve(uow, row, agreement, found)
        return incident_view(found, row.slug)

    def _severity(self, uow: UnitOfWork, row: Any, named: str | None, default: str) -> str:
        known = _severities(agreement_in_force(uow, row, uow.now()))
        return named if named is not None and named in known else default

    def _source(self, secret: str, kind: str) -> tuple[IncidentSourceRow, Principal]:
        system = Principal.console("inbound")
        with self._context.uow(system) as uow:
            source = uow.incidents.find_source(_digest(secret))
            row = None if source is None else uow.agreements.find(source.agreement_id)
        if (
            source is None
            or row is None
            or not hmac.compare_digest(source.secret_sha256, _digest(secret))
        ):
            raise Unauthenticated(_REFUSED)
        if source.kind != kind:
            raise Invalid(f"source {source.name!r} takes {source.kind} webhooks, not {kind}")
        principal = Principal(
            f"{source.kind}:{source.name}",
            None,
            row.owner_organisation_id,
            company=True,
            permissions=frozenset({Permission.READ, Permission.INCIDENTS}),
        )
        return source, principal


def _severities(agreement: Agreement | None) -> Sequence[str]:
    """The severities of the incident policy in force (none without one)."""
    policy = None if agreement is None else agreement.incidents
    return [s.id for s in policy.severities] if policy else []


def _resolve(
    uow: UnitOfWork, row: AgreementRow, agreement: Agreement, incident: IncidentRow
) -> None:
    """As a resolution by hand: one that nobody acknowledged acknowledges it (its clock is
    met, not left to lapse and escalate), and the review's clock starts."""
    now, actor = uow.now(), uow.principal.name
    if incident.acknowledged_at is None:
        incident.acknowledged_at, incident.acknowledged_by = now, actor
        for duty in uow.incidents.duties(incident.id):
            if duty.kind == "acknowledge":
                fulfil(uow, duty)
    incident.state, incident.resolved_at, incident.resolved_by = "resolved", now, actor
    resolution_clocks(uow, row, agreement, incident)
    timeline(uow, incident, "resolved", f"resolved by {actor} (the alert resolved)")
    tell(uow, row, agreement, incident, "resolved")
