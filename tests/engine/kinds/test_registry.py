"""Every kind of the language has a plan, found by its name; a silent scope reads as no data."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from accord.core.model import Agreement
from accord.engine.kinds import indicator_models, kind_name, kinds, plan_of
from accord.engine.kinds.base import Plan, Setting, UnitCounts, Values
from tests.engine.builders import agreement_of

#: One indicator of every kind and variant, over the source below.
INDICATORS: dict[str, dict[str, Any]] = {
    "ratio": {"kind": "ratio", "good": "status < 500"},
    "threshold": {"kind": "threshold", "measure": "latency", "threshold": "300ms"},
    "percentile": {"kind": "percentile", "measure": "latency", "percentile": 99},
    "timeslice": {
        "kind": "timeslice",
        "slice": "1m",
        "good": "status < 500",
        "slice_target": "95%",
        "no_traffic": "good",
    },
    "business_duration": {
        "kind": "business_duration",
        "start": "at",
        "end": "closed_at",
        "calendar": "24x7",
        "statistic": "within",
        "threshold": "4h",
    },
    "mean_time": {"kind": "mean_time", "start": "at", "end": "closed_at"},
    "first_contact_resolution": {
        "kind": "first_contact_resolution",
        "contacts": "contacts",
        "resolved": "status = 200",
    },
    "survey_score": {"kind": "survey_score", "score": "score", "method": "mean"},
    "business_gauge": {
        "kind": "business_gauge",
        "numerator": "contacts",
        "denominator": "score",
        "better": "higher",
    },
    "throughput": {"kind": "throughput", "per": "1h", "minimum": 10_000},
    "incident_metric": {"kind": "incident_metric", "metric": "mttr"},
    "obligations_on_time": {"kind": "obligations_on_time", "obligations": ["update"]},
}

SOURCE = {
    "id": "rows",
    "kind": "tickets",
    "format": "csv",
    "path": "rows.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "at", "type": "timestamp"},
        "closed_at": {"column": "closed_at", "type": "timestamp"},
        "status": {"column": "status", "type": "integer"},
        "latency": {"column": "latency", "type": "duration", "unit": "ms"},
        "contacts": {"column": "contacts", "type": "integer"},
        "score": {"column": "score", "type": "integer"},
        "impact_started_at": {"column": "impact_started_at", "type": "timestamp"},
        "resolved_at": {"column": "resolved_at", "type": "timestamp"},
        "kind": {"column": "kind", "type": "string"},
        "state": {"column": "state", "type": "string"},
    },
}


def _agreement() -> Agreement:
    return agreement_of(
        {
            "sources": [SOURCE],
            "indicators": [
                {"id": name.replace("_", "-"), "name": name, "source": "rows", **spec}
                for name, spec in INDICATORS.items()
            ],
        }
    )


def test_every_kind_of_the_language_has_a_plan() -> None:
    names = [kind_name(model) for model in indicator_models()]

    assert set(kinds()) == set(names)
    assert len(names) == len(set(names))


def test_a_kind_is_planned_by_the_module_named_after_it() -> None:
    for name, kind in kinds().items():
        assert importlib.import_module(f"accord.engine.kinds.{name}").KIND is kind


def test_the_indicators_of_these_tests_cover_every_kind() -> None:
    assert set(INDICATORS) == set(kinds())


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_a_scope_without_rows_reads_as_no_data(name: str) -> None:
    agreement = _agreement()
    indicator = next(i for i in agreement.indicators if i.kind == name)
    plan = plan_of(indicator, Setting(agreement, agreement.sources[0]))

    assert isinstance(plan, Plan)
    units = None
    if plan.units is not None:
        units = UnitCounts(total=60, excluded=0, with_traffic=0, good=0, events=0)
    reading = plan.read(Values({}, units))

    assert reading.value is None
    assert reading.computation


@pytest.mark.parametrize("name", sorted(INDICATORS))
def test_every_aggregate_says_whether_it_adds_up(name: str) -> None:
    agreement = _agreement()
    indicator = next(i for i in agreement.indicators if i.kind == name)
    plan = plan_of(indicator, Setting(agreement, agreement.sources[0]))

    for aggregate in plan.aggregates.values():
        assert isinstance(aggregate.additive, bool)
        assert aggregate.over() is not None
