"""OpenSLO SLIs into Accord sources and indicators: counters become a Prometheus source of
events, thresholds raw samples judged by the objective's op and value, Accord's own export
comes back as written, and anything else a pushed source, each with its note."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from accord.connectors.openslo.documents import Document, Notes
from accord.connectors.openslo.indicators import (
    PLACEHOLDER_URL,
    Measure,
    SliContext,
    measure_of,
    percent,
)

MAIN = Document(
    {
        "apiVersion": "openslo/v1",
        "kind": "DataSource",
        "metadata": {"name": "main"},
        "spec": {"type": "Prometheus", "connectionDetails": {"url": "https://prom.example:9090"}},
    },
    "slo.yaml",
    1,
)
TOTAL = 'sum(rate(http_requests_total{job="checkout"}[5m]))'
GOOD = 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[5m]))'


def metric(query: str, kind: str | None = "Prometheus", ref: str | None = "main") -> dict[str, Any]:
    source: dict[str, Any] = {"spec": {"query": query}}
    if kind is not None:
        source["type"] = kind
    if ref is not None:
        source["metricSourceRef"] = ref
    return {"metricSource": source}


def read(
    spec: dict[str, Any],
    *,
    timeslices: bool = False,
    objective: dict[str, Any] | None = None,
    datasources: dict[str, Document] | None = None,
) -> tuple[Measure, list[str]]:
    notes = Notes()
    context = SliContext(
        name="checkout",
        spec=spec,
        datasources={"main": MAIN} if datasources is None else datasources,
        timeslices=timeslices,
        objective=objective or {"target": 0.999},
        where="slo.yaml:20",
    )
    return measure_of(context, notes), notes.lines


def counters(**more: Any) -> dict[str, Any]:
    return {"ratioMetric": {"counter": True, "good": metric(GOOD), "total": metric(TOTAL), **more}}


@pytest.mark.parametrize(
    ("ratio", "written"),
    [
        (Decimal("0.999"), "99.9%"),
        (Decimal("0.95"), "95%"),
        (Decimal("1"), "100%"),
        (Decimal("0.99999"), "99.999%"),
        (Decimal("0"), "0%"),
    ],
)
def test_a_ratio_is_written_as_accord_writes_shares(ratio: Decimal, written: str) -> None:
    assert percent(ratio) == written


def test_counters_become_a_prometheus_source_read_counter_by_counter() -> None:
    measure, notes = read(counters())

    assert measure.source["format"] == "prometheus"
    assert measure.source["prometheus"] == {
        "url": "https://prom.example:9090",
        "events": 'http_requests_total{job="checkout"}',
        "good": 'http_requests_total{job="checkout",code!~"5.."}',
    }
    assert measure.indicator == {"kind": "ratio", "source": "checkout", "good": "good = true"}
    assert notes == [
        'slo.yaml:20: SLI checkout: read as the counters http_requests_total{job="checkout"} '
        'and http_requests_total{job="checkout",code!~"5.."} (Accord adds up their increases '
        "itself, resets included)"
    ]


def test_bad_over_total_keeps_the_bad_counter() -> None:
    spec = {
        "ratioMetric": {
            "counter": True,
            "bad": metric("errors_total"),
            "total": metric("requests_total"),
        }
    }

    measure, notes = read(spec)

    assert measure.source["prometheus"]["bad"] == "errors_total"
    assert "good" not in measure.source["prometheus"]
    assert notes == []  # the queries are the counters themselves


def test_the_type_may_come_from_the_data_source_and_the_url_from_its_address() -> None:
    address = Document(
        {
            "kind": "DataSource",
            "spec": {"type": "prometheus", "connectionDetails": {"address": "http://p:9090"}},
        },
        "slo.yaml",
        1,
    )
    spec = {
        "ratioMetric": {
            "counter": True,
            "good": metric("ok_total", kind=None),
            "total": metric("all_total", kind=None),
        }
    }

    measure, _ = read(spec, datasources={"main": address})

    assert measure.source["prometheus"]["url"] == "http://p:9090"


@pytest.mark.parametrize(
    "details", [{}, {"url": "prom.example:9090"}, {"url": "ftp://prom.example"}]
)
def test_without_a_web_address_the_placeholder_is_filled_in_and_said(
    details: dict[str, str],
) -> None:
    source = Document(
        {"kind": "DataSource", "spec": {"type": "Prometheus", "connectionDetails": details}}, "f", 1
    )

    measure, notes = read(counters(), datasources={"main": source})

    assert measure.source["prometheus"]["url"] == PLACEHOLDER_URL
    assert f"slo.yaml:20: SLI checkout: no Prometheus URL given; fill in {PLACEHOLDER_URL}" in notes


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        (
            {"ratioMetric": {"counter": False, "good": metric(GOOD), "total": metric(TOTAL)}},
            "good and total are gauges (counter: false), not counts",
        ),
        (
            {"ratioMetric": {"raw": metric("availability")}},
            "a precomputed ratio (raw) cannot be counted in events",
        ),
        (
            {
                "ratioMetric": {
                    "counter": True,
                    "good": metric("a", "Datadog"),
                    "total": metric("b", "Datadog"),
                }
            },
            "metric source 'Datadog' has no Accord connector",
        ),
        (
            {
                "ratioMetric": {
                    "counter": True,
                    "good": metric("sum(a) / 2"),
                    "total": metric("count(b)"),
                }
            },
            "its queries are not counters Accord can read one by one",
        ),
        ({"rawMetric": {}}, "neither ratioMetric nor thresholdMetric"),
    ],
)
def test_what_accord_cannot_count_becomes_a_pushed_source_and_says_why(
    spec: dict[str, Any], why: str
) -> None:
    measure, notes = read(spec)

    assert measure.source["format"] == "push"
    assert set(measure.source["columns"]) == {"at", "good"}
    assert measure.indicator["good"] == "good = true"
    assert notes[-1] == (
        f"slo.yaml:20: SLI checkout: {why}; imported as a pushed source with columns at and "
        "good (send its events to the API)"
    )


@pytest.mark.parametrize(("op", "condition"), [("lte", "value <= 0.3"), ("gt", "value > 0.3")])
def test_a_threshold_judges_each_sample_by_the_objective_s_op_and_value(
    op: str, condition: str
) -> None:
    spec = {"thresholdMetric": metric("probe_duration_seconds")}

    measure, _ = read(spec, objective={"target": 0.99, "op": op, "value": 0.3})

    assert measure.source["kind"] == "probes"
    assert measure.source["prometheus"]["samples"] == "probe_duration_seconds"
    assert measure.indicator["good"] == condition


def test_a_threshold_without_op_is_pushed() -> None:
    measure, notes = read({"thresholdMetric": metric("x")}, objective={"target": 0.99})

    assert measure.source["format"] == "push"
    assert "its objective has no op and value to judge samples by" in notes[-1]


@pytest.mark.parametrize(("window", "slice_"), [("5m", "5m"), (2, "2m"), (None, "1m")])
def test_time_slices_take_the_objective_s_window_and_target_and_exclude_silent_slices(
    window: str | int | None, slice_: str
) -> None:
    objective: dict[str, Any] = {"target": 0.99, "timeSliceTarget": 0.95}
    if window is not None:
        objective["timeSliceWindow"] = window

    measure, notes = read(counters(), timeslices=True, objective=objective)

    assert measure.indicator == {
        "kind": "timeslice",
        "source": "checkout",
        "slice": slice_,
        "good": "good = true",
        "slice_target": "95%",
        "no_traffic": "excluded",
    }
    assert notes[0].endswith("they are excluded (no_traffic: excluded)")


def test_accord_s_own_export_comes_back_as_written_less_what_the_agreement_lacks() -> None:
    source = {"id": "requests", "kind": "events", "owner": "bank", "expected_on": "office"}
    indicator = {"id": "success", "name": "Success", "kind": "ratio", "good": "status < 500"}
    written = {"source": json.dumps(source), "indicator": json.dumps(indicator)}
    spec = {
        "ratioMetric": {
            "counter": True,
            "total": {"metricSource": {"type": "Accord", "spec": written}},
        }
    }

    measure, notes = read(spec)

    assert measure.source == {"id": "requests", "kind": "events"}
    assert measure.indicator == {"kind": "ratio", "good": "status < 500"}
    assert notes == [
        "slo.yaml:20: SLI checkout: the source's owner is left to fill in",
        "slo.yaml:20: SLI checkout: the source's expected_on is left to fill in",
    ]


def test_slices_without_traffic_count_as_accord_s_export_said() -> None:
    notes = Notes()
    context = SliContext(
        "checkout", counters(), {"main": MAIN}, True, {"target": 0.99}, "slo.yaml:20", "good"
    )

    measure = measure_of(context, notes)

    assert measure.indicator["no_traffic"] == "good"
    assert not any("slices without traffic" in line for line in notes.lines)
