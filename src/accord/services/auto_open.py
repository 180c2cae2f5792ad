"""Incidents the service opens by itself, as the agreement's ``incidents.open_on`` says: one
per objective, scope and window whose recorded verdict breaches, and one per burn-rate alert
that fires there. Each is opened once (the source key names what opened it), in the
transaction that records the verdicts; a closed window opens none."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from accord.core.model import Agreement
from accord.core.records import VerdictRecord
from accord.core.verdicts import Outcome
from accord.services.incidents import OpenIncident, open_incident
from accord.services.uow import UnitOfWork
from accord.store.incident_rows import IncidentRow
from accord.store.tables import AgreementRow

__all__ = ["auto_open", "openings"]

_KEY_LENGTH = 200


def _key(*parts: str) -> str:
    text = "|".join(parts)
    if len(text) <= _KEY_LENGTH:
        return text
    return f"{parts[0]}|sha256:{hashlib.sha256(text.encode()).hexdigest()}"


def openings(agreement: Agreement, record: VerdictRecord) -> Iterator[OpenIncident]:
    """The incidents one recorded verdict opens under the agreement's policy."""
    policy = agreement.incidents
    rule = None if policy is None else policy.open_on
    if rule is None:
        return
    where = f"{record.objective} ({record.scope_label}) in {record.window.label}"
    scope = record.scope_label
    if "breach" in rule.on and record.outcome is Outcome.BREACH:
        yield OpenIncident(
            agreement=agreement.metadata.id,
            title=f"{where} breaches: {record.value_display} against {record.target_display}",
            severity=rule.severity,
            source="verdict",
            source_key=_key(record.objective, scope, record.window.label),
        )
    alerts = () if record.budget is None or "burn_alert" not in rule.on else record.budget.alerts
    for alert in alerts:
        yield OpenIncident(
            agreement=agreement.metadata.id,
            title=f"{where}: error budget burn alert {alert}",
            severity=rule.severity,
            source="burn_alert",
            source_key=_key(record.objective, scope, record.window.label, alert),
        )


def auto_open(
    uow: UnitOfWork, row: AgreementRow, agreement: Agreement, records: Iterable[VerdictRecord]
) -> list[IncidentRow]:
    """Open (once) every incident the records call for; the ones opened now."""
    opened = []
    for record in records:
        for command in openings(agreement, record):
            incident, created = open_incident(uow, row, command)
            if created:
                opened.append(incident)
    return opened
