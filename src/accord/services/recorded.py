"""The service's own records as sources: the incidents and obligations of an agreement, read
from the store for each of its sources of format ``recorded`` when it is evaluated, so that
MTTA/MTTD/MTTM/MTTR and "updates on time" are measured like any other indicator.

Records change after a window closes too: an incident of October resolved in late November
enters October's mean time to restore. Such an incident is **late data** for the closed
windows it is placed in (by its recorded source's timestamp column), like a batch that
arrives after the close (``accord.services.books``). Obligations are not: a recorded source
reads each duty in its state as of the evaluated instant, which a later change leaves alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from accord.core.model import Agreement
from accord.core.model.measurement import Source
from accord.core.model.recorded import RECORDED_COLUMNS
from accord.core.model.sources import SourceFormat, SourceKind
from accord.engine.records import Records
from accord.services.errors import NotFound
from accord.services.in_force import parsed
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.incident_rows import IncidentEventRow, IncidentRow
from accord.store.tables import ClosedWindowRow

__all__ = [
    "CHANGES_RECORDS",
    "Exported",
    "LateIncident",
    "RecordedSources",
    "late_incidents",
    "read_records",
]

#: The timeline entries that change what a recorded incidents source reads: an instant, the
#: state or the severity (comments, updates and reviews change none of its columns).
CHANGES_RECORDS: Final = (
    "opened",
    "acknowledged",
    "mitigated",
    "resolved",
    "closed",
    "severity_changed",
)


@dataclass(frozen=True)
class LateIncident:
    """An incident that changed after the close of windows it is placed in."""

    source: str
    incident: int
    title: str
    #: The changes made after the earliest of those closes, as ``kind at instant``.
    changes: list[str]
    windows: list[str]


def read_records(
    uow: UnitOfWork, agreement_id: int, versions: Iterable[Agreement], as_of: dt.datetime
) -> dict[str, Records]:
    """The rows of every recorded source of any of the versions, by source id: obligations
    in their state as of ``as_of``."""
    kinds = {
        source.id: source.kind
        for agreement in versions
        for source in agreement.sources
        if source.format is SourceFormat.RECORDED
    }
    found: dict[str, Records] = {}
    incidents: Records | None = None
    obligations: Records | None = None
    for source_id, kind in sorted(kinds.items()):
        if kind is SourceKind.INCIDENTS:
            incidents = incidents or Records(uow.incidents.recorded(agreement_id))
            found[source_id] = incidents
        elif kind is SourceKind.OBLIGATIONS:
            obligations = obligations or Records(uow.obligations.recorded(agreement_id, as_of))
            found[source_id] = obligations
    return found


def _incident_sources(versions: Iterable[Agreement]) -> list[Source]:
    found = {
        source.id: source
        for agreement in versions
        for source in agreement.sources
        if source.format is SourceFormat.RECORDED and source.kind is SourceKind.INCIDENTS
    }
    return [found[key] for key in sorted(found)]


def _late_for(
    source: Source,
    incident: IncidentRow,
    changes: Sequence[IncidentEventRow],
    closed: Sequence[ClosedWindowRow],
) -> LateIncident | None:
    placed = getattr(incident, source.columns[source.timestamp].column, None)
    if not isinstance(placed, dt.datetime):
        return None
    hit = [
        window
        for window in closed
        if window.window_start <= placed < window.window_end
        and any(change.at > window.closes_at for change in changes)
    ]
    if not hit:
        return None
    since = min(window.closes_at for window in hit)
    return LateIncident(
        source=source.id,
        incident=incident.id,
        title=incident.title,
        changes=[f"{c.kind} at {c.at.isoformat()}" for c in changes if c.at > since],
        windows=sorted({window.window_label for window in hit}),
    )


def late_incidents(
    uow: UnitOfWork,
    agreement_id: int,
    versions: Iterable[Agreement],
    closed: Sequence[ClosedWindowRow],
) -> list[LateIncident]:
    """The agreement's incidents changed (an instant, the state, the severity) after the
    close of a window they are placed in, for each recorded incidents source of any of the
    versions."""
    sources = _incident_sources(versions)
    if not sources or not closed:
        return []
    earliest = min(window.closes_at for window in closed)
    changes: dict[int, list[IncidentEventRow]] = defaultdict(list)
    for entry in uow.incidents.changed_after(agreement_id, earliest, CHANGES_RECORDS):
        changes[entry.incident_id].append(entry)
    found = []
    for incident_id in sorted(changes):
        incident = uow.incidents.find(incident_id)
        if incident is None:
            continue
        for source in sources:
            late = _late_for(source, incident, changes[incident_id], closed)
            if late is not None:
                found.append(late)
    return found


@dataclass(frozen=True)
class Exported:
    """A recorded source's rows as the service reads them when it evaluates: the recorded
    columns under their own names, in order (``accord.core.model.recorded``)."""

    source: str
    kind: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]


class RecordedSources:
    """The rows of an agreement's recorded sources, for a file evaluation elsewhere
    (``accord evaluate --records``) or an auditor."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def export(
        self, principal: Principal, agreement: str, source: str, as_of: dt.datetime | None = None
    ) -> Exported:
        """A recorded source's rows, obligations in their state as of ``as_of`` (now)."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            versions = [parsed(version) for version in uow.agreements.versions(row.id)]
            kinds = {
                s.id: s.kind.value
                for version in versions
                for s in version.sources
                if s.format is SourceFormat.RECORDED
            }
            if source not in kinds:
                known = ", ".join(sorted(kinds)) or "none"
                raise NotFound(
                    f"agreement {row.slug!r} has no recorded source {source!r}; its recorded "
                    f"sources: {known}"
                )
            found = read_records(uow, row.id, versions, as_of or uow.now())[source]
            kind = kinds[source]
            return Exported(source, kind, tuple(RECORDED_COLUMNS[kind]), list(found.rows))
