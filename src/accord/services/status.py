"""The public status page of an agreement that opted in (``status_page`` in the agreement):
each component's current state and, if the agreement allows it, each closed month's value,
read from the recorded verdicts of the objectives the component lists and nothing else.

A closed month's value is the verdict recorded first after the month closed: late data or a
restatement recorded later changes the books, not what the public was shown. No sign-in is
needed; an agreement without a status page is not found, exactly like one that does not
exist.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from accord.core.exclusions.periods import Announced
from accord.core.exclusions.spec import ExclusionKind
from accord.core.model import Agreement
from accord.core.model.sources import SourceFormat
from accord.core.model.status import StatusPage
from accord.core.period_report import OUTCOME_ORDER
from accord.engine.evaluate import announced_periods
from accord.engine.sources import DataError
from accord.services.errors import NotFound
from accord.services.permissions import Principal
from accord.services.portfolio import parsed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import VerdictFilter
from accord.store.tables import VerdictRow

__all__ = [
    "ComponentStatus",
    "MonthValue",
    "PublicIncident",
    "PublicMaintenance",
    "Status",
    "StatusView",
]

_SYSTEM: Final = Principal.console("status page")
_MAX_VERDICTS: Final = 5000
#: Announced maintenance listed, the soonest first.
_MAX_MAINTENANCE: Final = 20
_OPEN: Final = ("open", "acknowledged", "mitigated")
#: A monthly window's label (a quarter's, ``2026-Q4``, is as long but no month).
_MONTH: Final = re.compile(r"\d{4}-\d{2}")
_STATES: Final = {
    "met": "operational",
    "deviation": "degraded",
    "breach": "disrupted",
    "no_data": "unknown",
}


@dataclass(frozen=True)
class MonthValue:
    month: str
    #: The lowest value among the component's objectives, as shown (``99.95%``).
    value: str


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    #: operational, degraded, disrupted or unknown.
    state: str
    months: list[MonthValue] = field(default_factory=list)


@dataclass(frozen=True)
class PublicIncident:
    """What the public sees of an open incident: nothing that names or describes it."""

    severity: str
    state: str
    reported_at: dt.datetime


@dataclass(frozen=True)
class PublicMaintenance:
    """What the public sees of announced maintenance: when, and which components; never its
    name, text or any other column of the announcement."""

    start_at: dt.datetime
    end_at: dt.datetime
    components: list[str]
    in_progress: bool


@dataclass(frozen=True)
class StatusView:
    title: str
    components: list[ComponentStatus]
    as_of: dt.datetime
    #: ``None`` when the agreement does not publish its incidents.
    incidents: list[PublicIncident] | None = None
    #: ``None`` when the agreement does not publish its maintenance.
    maintenance: list[PublicMaintenance] | None = None


def _state(rows: Sequence[VerdictRow]) -> str:
    if not rows:
        return "unknown"
    latest = max(row.window_start for row in rows)
    outcomes = {row.outcome for row in rows if row.window_start == latest}
    worst = next((o for o in OUTCOME_ORDER if o in outcomes), "no_data")
    return _STATES[worst]


def _months(rows: Sequence[VerdictRow], now: dt.datetime, count: int) -> list[MonthValue]:
    """Per closed monthly window, the lowest value among the verdicts first recorded after
    it closed (later recordings do not change it)."""
    first: dict[tuple[str, str, str], VerdictRow] = {}
    for row in sorted(rows, key=lambda r: r.id):
        closed = row.window_end <= now and row.recorded_at >= row.window_end
        if not closed or not _MONTH.fullmatch(row.window_label):
            continue
        first.setdefault((row.window_label, row.objective, row.scope_key), row)
    lowest: dict[str, tuple[float, str]] = {}
    for (month, _objective, _scope), row in first.items():
        if row.value is None:
            continue
        shown = str(json.loads(row.evidence).get("value_display", ""))
        if month not in lowest or float(row.value) < lowest[month][0]:
            lowest[month] = (float(row.value), shown)
    return [MonthValue(m, lowest[m][1]) for m in sorted(lowest)[-count:]]


def _public_incidents(
    uow: UnitOfWork, agreement_id: int, agreement: Agreement
) -> list[PublicIncident]:
    """The open incidents other than security ones, by the severity's name."""
    names = {}
    if agreement.incidents is not None:
        names = {s.id: s.name for s in agreement.incidents.severities}
    return [
        PublicIncident(names.get(row.severity, row.severity), row.state, row.reported_at)
        for row, _ in uow.incidents.matching(agreement_id=agreement_id, states=_OPEN)
        if not row.security
    ]


def _touched(agreement: Agreement, published: StatusPage) -> dict[str, list[str]]:
    """The components (their names) each maintenance exclusion with a source applies to,
    through the objectives the components list."""
    maintenance = {
        e.id for e in agreement.exclusions if e.kind is ExclusionKind.MAINTENANCE and e.source
    }
    objectives = {objective.id: objective for objective in agreement.objectives}
    touched: dict[str, list[str]] = {}
    for component in published.components:
        for objective_id in component.objectives:
            objective = objectives.get(objective_id)
            if objective is None:
                continue
            named = objective.exclusions
            for exclusion in sorted(maintenance if named is None else maintenance & set(named)):
                names = touched.setdefault(exclusion, [])
                if component.name not in names:
                    names.append(component.name)
    return touched


def _public_maintenance(
    found: dict[str, list[Announced]], touched: dict[str, list[str]], now: dt.datetime
) -> list[PublicMaintenance]:
    """Announced periods in progress or ahead, one entry per period with every component
    it touches, the soonest first."""
    merged: dict[tuple[dt.datetime, dt.datetime], list[str]] = {}
    for exclusion, periods in found.items():
        for period in periods:
            announced = period.announced_at is None or period.announced_at <= now
            if period.end_at <= now or not announced:
                continue
            names = merged.setdefault((period.start_at, period.end_at), [])
            names.extend(n for n in touched.get(exclusion, []) if n not in names)
    return [
        PublicMaintenance(start, end, names, start <= now)
        for (start, end), names in sorted(merged.items())[:_MAX_MAINTENANCE]
    ]


class Status:
    """Public status pages."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def page(self, slug: str) -> StatusView:
        missing = NotFound(f"no status page {slug!r}")
        now = self._context.clock.now()
        with self._context.uow(_SYSTEM) as uow:
            row = uow.agreements.find_by_slug(slug)
            version = None if row is None else uow.agreements.latest_version(row.id)
            if row is None or version is None:
                raise missing
            published = parsed(version).status_page
            if published is None:
                raise missing
            components = []
            for component in published.components:
                rows: list[VerdictRow] = []
                for objective in component.objectives:
                    found, _ = uow.verdicts.search(
                        row.id,
                        VerdictFilter(objective=objective, include_superseded=True),
                        limit=_MAX_VERDICTS,
                        offset=0,
                    )
                    rows.extend(found)
                current, _ = self._current(rows)
                months = _months(rows, now, published.months) if published.uptime else []
                components.append(ComponentStatus(component.name, _state(current), months))
            incidents = None
            if published.incidents:
                incidents = _public_incidents(uow, row.id, parsed(version))
            touched = _touched(parsed(version), published) if published.maintenance else {}
            pushed = self._pushed(uow, row.id, parsed(version), touched)
        maintenance = None
        if published.maintenance:
            maintenance = self._maintenance(parsed(version), touched, pushed, now)
        return StatusView(published.title, components, now, incidents, maintenance)

    def _pushed(
        self,
        uow: UnitOfWork,
        agreement_id: int,
        agreement: Agreement,
        touched: dict[str, list[str]],
    ) -> dict[str, list[Path]]:
        """The stored files of the touched exclusions' sources: pushed batches, and what the
        polls of a status feed kept (never a poll of its own)."""
        used = {e.source for e in agreement.exclusions if e.id in touched and e.source}
        root = self._context.data_dir
        found: dict[str, list[Path]] = {}
        for source in agreement.sources:
            if source.id not in used:
                continue
            if source.format is SourceFormat.PUSH:
                found[source.id] = [root / p for p in uow.batches.files(agreement_id, source.id)]
            elif source.format is SourceFormat.STATUS_FEED and self._context.kept is not None:
                try:
                    kept = self._context.kept(source)
                except DataError:
                    kept = None  # unreadable: the public page shows none, never fails
                found[source.id] = [] if kept is None else list(kept.files)
        return found

    def _maintenance(
        self,
        agreement: Agreement,
        touched: dict[str, list[str]],
        pushed: dict[str, list[Path]],
        now: dt.datetime,
    ) -> list[PublicMaintenance]:
        files = self._context.data_dir / "files"
        try:
            found = announced_periods(agreement, list(touched), self._context.reader, files, pushed)
        except DataError:
            return []  # unreadable announcements: the public page shows none, never fails
        return _public_maintenance(found, touched, now)

    @staticmethod
    def _current(rows: Sequence[VerdictRow]) -> tuple[list[VerdictRow], int]:
        superseded = {row.supersedes_id for row in rows if row.supersedes_id is not None}
        current = [row for row in rows if row.id not in superseded]
        return current, len(rows) - len(current)
