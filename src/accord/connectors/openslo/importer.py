"""OpenSLO v1 → an Accord agreement skeleton.

Each ``SLO`` becomes objectives (one per OpenSLO objective) on an indicator read from its
SLI (``accord.connectors.openslo.indicators``), with the SLO's window; each ``Service`` a
journey stage the objectives belong to. What OpenSLO does not have, Accord fills with a
stated assumption: no tolerance band (the tolerance is the target, unless an
``accord/tolerance`` annotation says otherwise), placeholder parties and term. What Accord
does not have (alert policies and their conditions and targets) is left out. Every
assumption and omission is in the notes, which the command prints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from accord.connectors.openslo.documents import (
    Document,
    InterchangeError,
    Notes,
    identifier,
    read_documents,
)
from accord.connectors.openslo.indicators import SliContext, measure_of, percent
from accord.connectors.openslo.skeleton import Skeleton

__all__ = ["ANNOTATION", "API_VERSION", "import_openslo", "window_of"]

API_VERSION: Final = "openslo/v1"
#: Annotation prefix of what Accord writes into OpenSLO and reads back.
ANNOTATION: Final = "accord/"
_CALENDAR: Final = {"1d": "day", "1w": "week", "1M": "month", "1Q": "quarter", "1Y": "year"}
_ROLLING: Final = re.compile(r"^(\d+)([dw])$")
_NOT_CARRIED: Final = {
    "AlertPolicy": "Accord's error-budget report applies the SRE workbook's multi-window "
    "burn-rate alerts",
    "AlertCondition": "Accord's error-budget report applies its own burn-rate alerts",
    "AlertNotificationTarget": "Accord notifies through its own outbox",
}


def window_of(slo: Document, notes: Notes) -> tuple[str | None, str | None]:
    """The Accord window of an SLO and the time zone its calendar names (if any)."""
    windows = slo.data.get("spec", {}).get("timeWindow") or []
    if not windows:
        notes.add(slo.where, f"SLO {slo.name}: no timeWindow; judged per calendar month")
        return "month", None
    window = windows[0]
    duration = str(window.get("duration", ""))
    calendar = window.get("calendar") or {}
    zone = calendar.get("timeZone") if isinstance(calendar, dict) else None
    rolling = window.get("isRolling", not calendar)
    if not rolling and duration in _CALENDAR:
        return _CALENDAR[duration], zone
    match = _ROLLING.match(duration)
    if rolling and match:
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        return f"rolling {days} days", zone
    kind = "rolling" if rolling else "calendar"
    notes.add(
        slo.where,
        f"SLO {slo.name}: a {kind} window of {duration} has no Accord form (calendar day, "
        "week, month, quarter or year; rolling whole days); left out",
    )
    return None, zone


@dataclass
class _Objects:
    datasources: dict[str, Document]
    slis: dict[str, Document]
    services: list[Document]
    slos: list[Document]


def _sorted(documents: list[Document], notes: Notes) -> _Objects:
    found = _Objects({}, {}, [], [])
    for document in documents:
        version = document.data.get("apiVersion")
        if version != API_VERSION:
            raise InterchangeError(
                f"{document.where}: apiVersion {version!r} is not {API_VERSION!r}; Accord "
                "reads OpenSLO v1 (convert v1alpha files with the oslo tool first)"
            )
        kind = document.kind
        if kind == "DataSource":
            found.datasources[document.name] = document
        elif kind == "SLI":
            found.slis[document.name] = document
        elif kind == "Service":
            found.services.append(document)
        elif kind == "SLO":
            found.slos.append(document)
        elif kind in _NOT_CARRIED:
            notes.add(document.where, f"{kind} {document.name}: not carried; {_NOT_CARRIED[kind]}")
        else:
            raise InterchangeError(f"{document.where}: unknown OpenSLO kind {kind!r}")
    return found


def import_openslo(paths: list[Path], *, today: dt.date) -> tuple[str, Notes]:
    """The agreement skeleton (YAML text) of the OpenSLO files, and the notes."""
    notes = Notes()
    objects = _sorted(read_documents(paths), notes)
    skeleton = Skeleton(today=today)
    for service in objects.services:
        spec = service.data.get("spec") or {}
        skeleton.stage(
            identifier(service.name),
            service.data.get("metadata", {}).get("displayName") or service.name,
            spec.get("description"),
        )
    for slo in objects.slos:
        _import_slo(slo, objects, skeleton, notes)
    return skeleton.text(notes), notes


def _indicator_spec(slo: Document, objects: _Objects) -> tuple[str, str, dict[str, Any]]:
    """The SLI's name, the name people read, and its spec."""
    spec = slo.data.get("spec", {})
    inline = spec.get("indicator")
    if isinstance(inline, dict):
        metadata = inline.get("metadata", {})
        name = str(metadata.get("name") or slo.name)
        return name, str(metadata.get("displayName") or name), inline.get("spec", {})
    ref = spec.get("indicatorRef")
    if ref not in objects.slis:
        known = ", ".join(sorted(objects.slis)) or "none"
        raise InterchangeError(
            f"{slo.where}: SLO {slo.name} refers to SLI {ref!r}, which is not in the files "
            f"(SLIs: {known})"
        )
    sli = objects.slis[ref]
    shown = sli.data.get("metadata", {}).get("displayName") or ref
    return str(ref), str(shown), sli.data.get("spec", {})


def _import_slo(slo: Document, objects: _Objects, skeleton: Skeleton, notes: Notes) -> None:
    spec = slo.data.get("spec", {})
    window, zone = window_of(slo, notes)
    if zone:
        skeleton.timezone(zone, slo.where, notes)
    if window is None:
        return
    sli_name, shown, sli_spec = _indicator_spec(slo, objects)
    timeslices = spec.get("budgetingMethod") == "Timeslices"
    if spec.get("budgetingMethod") not in ("Occurrences", "Timeslices"):
        notes.add(
            slo.where,
            f"SLO {slo.name}: budgeting method {spec.get('budgetingMethod')!r} read as Occurrences",
        )
    objectives = spec.get("objectives") or []
    annotations = slo.data.get("metadata", {}).get("annotations") or {}
    for index, objective in enumerate(objectives):
        suffix = "" if len(objectives) == 1 else f"-{index + 1}"
        depends = timeslices or "thresholdMetric" in sli_spec
        indicator_id = identifier(sli_name) + (suffix if depends else "")
        no_traffic = annotations.get(f"{ANNOTATION}no-traffic")
        context = SliContext(
            indicator_id,
            sli_spec,
            objects.datasources,
            timeslices,
            objective,
            slo.where,
            None if no_traffic is None else str(no_traffic),
        )
        measure = measure_of(context, notes)
        skeleton.measure(indicator_id, shown, measure)
        target = _target(objective, slo, notes)
        if target is None:
            continue
        written = {
            "id": identifier(slo.name) + suffix,
            "name": objective.get("displayName")
            or slo.data.get("metadata", {}).get("displayName")
            or slo.name,
            "indicator": indicator_id,
            "target": target,
            "tolerance": _tolerance(annotations, target, slo, notes),
            "window": window,
        }
        _annotated(written, annotations)
        if spec.get("service"):
            written["stage"] = skeleton.stage(identifier(str(spec["service"])), spec["service"])
        if spec.get("description"):
            written["description"] = spec["description"]
        skeleton.objectives.append(written)
    for policy in spec.get("alertPolicies") or []:
        notes.add(slo.where, f"SLO {slo.name}: alert policy {policy} not carried")


def _target(objective: dict[str, Any], slo: Document, notes: Notes) -> str | None:
    if "target" in objective:
        return percent(Decimal(str(objective["target"])))
    if "targetPercent" in objective:
        return f"{Decimal(str(objective['targetPercent'])).normalize():f}%"
    notes.add(slo.where, f"SLO {slo.name}: an objective without target or targetPercent; left out")
    return None


def _tolerance(annotations: dict[str, Any], target: str, slo: Document, notes: Notes) -> str:
    written = annotations.get(f"{ANNOTATION}tolerance")
    if written:
        return str(written)
    notes.add(
        slo.where,
        f"SLO {slo.name}: OpenSLO has no tolerance band; tolerance set to the target {target} "
        "(every miss is a breach): widen it in the agreement",
    )
    return target


def _annotated(objective: dict[str, Any], annotations: dict[str, Any]) -> None:
    """Accord's own fields an export kept as annotations."""
    scope = annotations.get(f"{ANNOTATION}scope")
    if scope:
        objective["scope"] = [part.strip() for part in str(scope).split(",") if part.strip()]
    where = annotations.get(f"{ANNOTATION}where")
    if where:
        objective["where"] = str(where)
    minimum = annotations.get(f"{ANNOTATION}minimum-events")
    if minimum:
        objective["minimum_events"] = int(minimum)
