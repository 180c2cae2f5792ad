"""An Accord agreement's objectives → OpenSLO v1.

Every objective whose target is a share (of good events, or of good time slices) becomes an
``SLO`` with its window and budgeting method; its indicator an ``SLI``: a ratio of
Prometheus counters when it reads one exactly so, otherwise a metric source of type
``Accord`` carrying the source and indicator as written (OpenSLO lets a metric source say
anything; only Accord reads this one). Journey stages become ``Service`` objects and
Prometheus servers ``DataSource`` objects. What OpenSLO has no place for is kept as
``accord/…`` annotations when it belongs to one objective (tolerance, scope, condition,
minimum events, how slices without traffic count), so an import restores it, and reported
otherwise (credits, exclusions, peak periods, consistency, calendars, parties, term).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from ruamel.yaml import YAML

from accord.connectors.openslo.documents import Notes
from accord.connectors.openslo.importer import ANNOTATION, API_VERSION
from accord.connectors.openslo.indicators import ACCORD_TYPE
from accord.core.model import Agreement
from accord.core.model.measurement import (
    Indicator,
    RatioIndicator,
    TimesliceIndicator,
)
from accord.core.model.objectives import Objective
from accord.core.model.sources import Source
from accord.core.periods import parse_period, windows_in_period
from accord.core.units import Percentage

__all__ = ["export_openslo"]

_CALENDAR: Final = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}


def _object(kind: str, name: str, spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": {"name": name, **{k: v for k, v in metadata.items() if v}},
        "spec": spec,
    }


def _ratio(value: Percentage) -> float:
    return float(value.ratio)


class _Export:
    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.notes = Notes()
        self.datasources: dict[str, dict[str, Any]] = {}
        self.slis: dict[str, dict[str, Any]] = {}
        self.slos: list[dict[str, Any]] = []
        self.sources = {s.id: s for s in agreement.sources}
        self.indicators = {i.id: i for i in agreement.indicators}

    def where(self, objective: Objective) -> str:
        return f"objective {objective.id}"

    def datasource(self, url: str) -> str:
        name = f"prometheus-{len(self.datasources) + 1}"
        for existing, document in self.datasources.items():
            if document["spec"]["connectionDetails"]["url"] == url:
                return existing
        self.datasources[name] = _object(
            "DataSource", name, {"type": "Prometheus", "connectionDetails": {"url": url}}
        )
        return name

    def sli(self, indicator: Indicator) -> str:
        if indicator.id not in self.slis:
            source = self.sources[indicator.source]
            spec = _counters(self, indicator, source) or _accord(indicator, source)
            self.slis[indicator.id] = _object("SLI", indicator.id, spec, displayName=indicator.name)
        return indicator.id

    def slo(self, objective: Objective) -> None:
        indicator = self.indicators[objective.indicator]
        if not isinstance(objective.target, Percentage) or not isinstance(
            objective.tolerance, Percentage
        ):
            self.notes.add(
                self.where(objective),
                f"target {objective.target} is not a share of good events or slices; "
                "OpenSLO has no form for it, left out",
            )
            return
        window = _window(objective, self.agreement)
        if window is None:
            self.notes.add(self.where(objective), f"window {objective.window}: no OpenSLO form")
            return
        threshold: dict[str, Any] = {
            "displayName": objective.name,
            "target": _ratio(objective.target),
        }
        timeslices = isinstance(indicator, TimesliceIndicator)
        if timeslices:
            assert isinstance(indicator, TimesliceIndicator)
            threshold["timeSliceTarget"] = _ratio(indicator.slice_target)
            threshold["timeSliceWindow"] = _shorthand(indicator.slice.seconds)
        spec: dict[str, Any] = {
            "service": objective.stage or self.agreement.metadata.id,
            "indicatorRef": self.sli(indicator),
            "timeWindow": [window],
            "budgetingMethod": "Timeslices" if timeslices else "Occurrences",
            "objectives": [threshold],
        }
        if objective.description:
            spec["description"] = objective.description
        self.slos.append(
            _object(
                "SLO",
                objective.id,
                spec,
                displayName=objective.name,
                annotations=self.annotations(objective),
            )
        )

    def annotations(self, objective: Objective) -> dict[str, str]:
        kept = {f"{ANNOTATION}tolerance": str(objective.tolerance)}
        indicator = self.indicators[objective.indicator]
        if isinstance(indicator, TimesliceIndicator):
            # OpenSLO does not say how a slice without events counts.
            kept[f"{ANNOTATION}no-traffic"] = str(indicator.no_traffic)
        if objective.scope:
            kept[f"{ANNOTATION}scope"] = ", ".join(objective.scope)
        if objective.where is not None:
            kept[f"{ANNOTATION}where"] = objective.where.text
        if objective.minimum_events != 1:
            kept[f"{ANNOTATION}minimum-events"] = str(objective.minimum_events)
        for field, what in (
            ("during", "its peak period"),
            ("consistency", "its consistency rule"),
            ("exclusions", "its choice of exclusions"),
        ):
            if getattr(objective, field) is not None:
                self.notes.add(self.where(objective), f"{what} has no OpenSLO form; left out")
        return kept


def _shorthand(seconds: Decimal) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def _window(objective: Objective, agreement: Agreement) -> dict[str, Any] | None:
    """Calendar windows start where Accord's do: at local midnight, in the agreement's zone,
    of the first day of the calendar unit (ISO week, month, quarter, year) holding the
    agreement's first day; OpenSLO repeats the window from there."""
    window = objective.window
    if window.unit is not None:
        first_day = parse_period(agreement.term.effective.isoformat(), agreement.timezone)
        first = windows_in_period(window, first_day)[0]
        start = first.start_at.astimezone(ZoneInfo(agreement.timezone)).date()
        calendar = {"startTime": f"{start.isoformat()} 00:00:00", "timeZone": agreement.timezone}
        return {"duration": _CALENDAR[window.unit], "isRolling": False, "calendar": calendar}
    return {"duration": f"{window.days}d", "isRolling": True}


def _counters(export: _Export, indicator: Indicator, source: Source) -> dict[str, Any] | None:
    """A ratio of Prometheus counters, when the indicator reads exactly that."""
    query = source.prometheus
    if query is None or query.events is None or indicator.where is not None:
        return None
    good_column = next((n for n, c in source.columns.items() if c.column == "__good__"), None)
    if not isinstance(indicator, (RatioIndicator, TimesliceIndicator)):
        return None
    if isinstance(indicator, RatioIndicator) and indicator.valid is not None:
        return None
    if good_column is None or indicator.good.text.replace(" ", "") != f"{good_column}=true":
        return None
    ref = export.datasource(query.url)
    subset_name = "good" if query.good else "bad"

    def metric(selector: str | None) -> dict[str, Any]:
        return {
            "metricSource": {
                "metricSourceRef": ref,
                "type": "Prometheus",
                "spec": {"query": selector},
            }
        }

    return {
        "ratioMetric": {
            "counter": True,
            subset_name: metric(query.good or query.bad),
            "total": metric(query.events),
        }
    }


def _accord(indicator: Indicator, source: Source) -> dict[str, Any]:
    """Accord's own source and indicator, as written, in a metric source only Accord reads."""
    written = {
        "source": json.dumps(source.model_dump(mode="json", exclude_defaults=True)),
        "indicator": json.dumps(indicator.model_dump(mode="json", exclude_defaults=True)),
    }
    metric = {"metricSource": {"type": ACCORD_TYPE, "spec": written}}
    return {"ratioMetric": {"counter": True, "total": metric}}


def export_openslo(agreement: Agreement) -> tuple[str, Notes]:
    """The agreement's objectives as OpenSLO v1 YAML documents, and the notes."""
    export = _Export(agreement)
    for objective in agreement.objectives:
        export.slo(objective)
    _left_out(agreement, export.notes)
    services = {slo["spec"]["service"] for slo in export.slos}
    stages = {stage.id: stage for stage in agreement.journey}
    documents = [
        _object(
            "Service",
            name,
            {"description": stages[name].description}
            if name in stages and stages[name].description
            else {},
            displayName=stages[name].name if name in stages else agreement.metadata.title,
        )
        for name in sorted(services)
    ]
    documents += [*export.datasources.values(), *export.slis.values(), *export.slos]
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump_all(documents, buffer)
    return buffer.getvalue(), export.notes


def _left_out(agreement: Agreement, notes: Notes) -> None:
    where = f"agreement {agreement.metadata.id}"
    if agreement.remedies is not None:
        notes.add(where, "service credits and chronic-failure clauses have no OpenSLO form")
    if agreement.exclusions:
        notes.add(where, f"{len(agreement.exclusions)} exclusion(s) have no OpenSLO form")
    if agreement.calendars:
        notes.add(where, "business calendars have no OpenSLO form")
    notes.add(where, "parties, term and the agreement's other sections stay in Accord")
