"""OpenSLO SLIs ↔ Accord sources and indicators.

A ratio of Prometheus counters (``ratioMetric`` with ``counter: true`` and ``good`` or
``bad`` over ``total``) becomes a Prometheus source of events with a ``good`` column and a
ratio indicator (a time-slice indicator under the ``Timeslices`` budgeting method). A
``thresholdMetric`` on Prometheus becomes raw samples judged against the objective's
``op``/``value``. An SLI written by Accord's own export (metric source type ``Accord``)
carries Accord's source and indicator as they were. Anything else keeps its place as a
pushed source the user fills, and the notes say so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from accord.connectors.openslo.documents import Document, Notes
from accord.connectors.openslo.promql import counter_selector

__all__ = ["ACCORD_TYPE", "PLACEHOLDER_URL", "Measure", "SliContext", "measure_of", "percent"]

ACCORD_TYPE: Final = "Accord"
PLACEHOLDER_URL: Final = "http://prometheus:9090"
_GOOD: Final = "good = true"


def percent(ratio: Decimal) -> str:
    """A ratio in [0, 1] written as Accord writes shares: '99.9%'."""
    text = format((ratio * 100).normalize(), "f")
    return f"{text}%"


@dataclass(frozen=True)
class Measure:
    """The source an SLI reads and the indicator fields (without id and name)."""

    source: dict[str, Any]
    indicator: dict[str, Any]


@dataclass(frozen=True)
class SliContext:
    """What an SLI is read with: its name, the data sources by name, the SLO's budgeting
    method and one objective (for thresholds and time slices), and where to note."""

    name: str
    spec: dict[str, Any]
    datasources: dict[str, Document]
    timeslices: bool
    objective: dict[str, Any]
    where: str
    #: How slices without traffic count, as Accord's export annotated the SLO (``None``
    #: when the SLO does not say: OpenSLO has no field for it).
    no_traffic: str | None = None


def _metric_source(metric: Any) -> tuple[str, dict[str, Any], str | None]:
    source = metric.get("metricSource", {}) if isinstance(metric, dict) else {}
    spec = source.get("spec", {}) if isinstance(source.get("spec"), dict) else {}
    return str(source.get("type", "")), spec, source.get("metricSourceRef")


def _url(context: SliContext, ref: str | None, notes: Notes) -> str:
    datasource = context.datasources.get(ref or "")
    details = datasource.data.get("spec", {}).get("connectionDetails", {}) if datasource else {}
    url = details.get("url") or details.get("address") if isinstance(details, dict) else None
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return url
    notes.add(
        context.where, f"SLI {context.name}: no Prometheus URL given; fill in {PLACEHOLDER_URL}"
    )
    return PLACEHOLDER_URL


def _type_of(context: SliContext, kind: str, ref: str | None) -> str:
    if kind or ref is None:
        return kind
    datasource = context.datasources.get(ref)
    return str(datasource.data.get("spec", {}).get("type", "")) if datasource else ""


def _pushed(context: SliContext, why: str, notes: Notes) -> Measure:
    notes.add(
        context.where,
        f"SLI {context.name}: {why}; imported as a pushed source with columns at and good "
        "(send its events to the API)",
    )
    source = {
        "id": context.name,
        "kind": "events",
        "format": "push",
        "timestamp": "at",
        "columns": {
            "at": {"column": "at", "type": "timestamp"},
            "good": {"column": "good", "type": "boolean"},
        },
    }
    return Measure(source, _judged(context, _GOOD))


def _judged(context: SliContext, good: str) -> dict[str, Any]:
    """Occurrences: a ratio; time slices: the share of good slices."""
    if not context.timeslices:
        return {"kind": "ratio", "source": context.name, "good": good}
    window = context.objective.get("timeSliceWindow", "1m")
    slice_target = Decimal(str(context.objective.get("timeSliceTarget", 1)))
    return {
        "kind": "timeslice",
        "source": context.name,
        "slice": f"{window}m" if isinstance(window, int) else str(window),
        "good": good,
        "slice_target": percent(slice_target),
        "no_traffic": context.no_traffic or "excluded",
    }


def measure_of(context: SliContext, notes: Notes) -> Measure:
    """The source and indicator an SLI becomes (see the module's docstring)."""
    spec = context.spec
    if context.timeslices and context.no_traffic is None:
        notes.add(
            context.where,
            f"SLI {context.name}: OpenSLO does not say how slices without traffic count; "
            "they are excluded (no_traffic: excluded)",
        )
    if "thresholdMetric" in spec:
        return _threshold(context, spec["thresholdMetric"], notes)
    ratio = spec.get("ratioMetric")
    if not isinstance(ratio, dict):
        return _pushed(context, "neither ratioMetric nor thresholdMetric", notes)
    kind, metric_spec, ref = _metric_source(ratio.get("total") or ratio.get("raw"))
    if _type_of(context, kind, ref) == ACCORD_TYPE:
        return _accord(context, metric_spec, notes)
    if "raw" in ratio:
        return _pushed(context, "a precomputed ratio (raw) cannot be counted in events", notes)
    if not ratio.get("counter", False):
        return _pushed(context, "good and total are gauges (counter: false), not counts", notes)
    return _counters(context, ratio, notes)


def _counters(context: SliContext, ratio: dict[str, Any], notes: Notes) -> Measure:
    subset_name = "good" if "good" in ratio else "bad"
    total_type, total_spec, ref = _metric_source(ratio.get("total"))
    _, subset_spec, _ = _metric_source(ratio.get(subset_name))
    if _type_of(context, total_type, ref).lower() != "prometheus":
        return _pushed(
            context, f"metric source {total_type or ref!r} has no Accord connector", notes
        )
    total = counter_selector(str(total_spec.get("query", "")))
    subset = counter_selector(str(subset_spec.get("query", "")))
    if total is None or subset is None:
        return _pushed(context, "its queries are not counters Accord can read one by one", notes)
    if (total, subset) != (total_spec.get("query"), subset_spec.get("query")):
        notes.add(
            context.where,
            f"SLI {context.name}: read as the counters {total} and {subset} (Accord adds up "
            "their increases itself, resets included)",
        )
    source = {
        "id": context.name,
        "kind": "events",
        "format": "prometheus",
        "prometheus": {"url": _url(context, ref, notes), "events": total, subset_name: subset},
        "timestamp": "at",
        "columns": {
            "at": {"column": "__time__", "type": "timestamp"},
            "good": {"column": "__good__", "type": "boolean"},
        },
    }
    return Measure(source, _judged(context, _GOOD))


_OPERATORS: Final = {"lte": "<=", "lt": "<", "gte": ">=", "gt": ">"}


def _threshold(context: SliContext, metric: Any, notes: Notes) -> Measure:
    kind, spec, ref = _metric_source(metric)
    if _type_of(context, kind, ref) == ACCORD_TYPE:
        return _accord(context, spec, notes)
    selector = counter_selector(str(spec.get("query", "")))
    operator = _OPERATORS.get(str(context.objective.get("op", "")))
    if _type_of(context, kind, ref).lower() != "prometheus" or selector is None:
        return _pushed(context, "its threshold metric is not a Prometheus series", notes)
    if operator is None or "value" not in context.objective:
        return _pushed(context, "its objective has no op and value to judge samples by", notes)
    source = {
        "id": context.name,
        "kind": "probes",
        "format": "prometheus",
        "prometheus": {"url": _url(context, ref, notes), "samples": selector},
        "timestamp": "at",
        "columns": {
            "at": {"column": "__time__", "type": "timestamp"},
            "value": {"column": "__value__", "type": "number"},
        },
    }
    value = Decimal(str(context.objective["value"]))
    return Measure(source, _judged(context, f"value {operator} {value}"))


def _accord(context: SliContext, spec: dict[str, Any], notes: Notes) -> Measure:
    """An SLI Accord exported: its source and indicator as they were written, less what
    names parts of the old agreement the skeleton does not have (owner, calendars)."""
    source = json.loads(spec["source"])
    indicator = json.loads(spec["indicator"])
    for key in ("owner", "expected_on"):
        if source.pop(key, None) is not None:
            notes.add(context.where, f"SLI {context.name}: the source's {key} is left to fill in")
    for key in ("id", "name"):
        indicator.pop(key, None)
    return Measure(source, indicator)
