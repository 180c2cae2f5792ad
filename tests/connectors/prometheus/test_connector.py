"""Verdicts from a live Prometheus equal the verdicts from the raw events its series count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.bootstrap import file_evaluations
from accord.connectors.prometheus.connector import PrometheusConnector
from accord.core.evaluation import Evaluation
from accord.services.evaluation import EvaluateCommand
from tests.connectors.heads import HEAD
from tests.connectors.prometheus.server import Backfilled

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

_RAW_SOURCES = """
sources:
  - id: requests
    kind: events
    format: csv
    path: requests.csv
    timestamp: at
    columns:
      at: {column: ts, type: timestamp}
      region: {column: region, type: string}
      good: {column: status, type: integer}
      latency: {column: latency_ms, type: duration, unit: ms}
  - id: probes
    kind: probes
    format: csv
    path: probes.csv
    timestamp: at
    columns:
      at: {column: ts, type: timestamp}
      up: {column: success, type: integer}
"""

_PROMETHEUS_SOURCES = """
sources:
  - id: requests
    kind: events
    format: prometheus
    prometheus:
      url: {url}
      events: http_requests_total
      bad: http_requests_total{{code=~"5.."}}
      step: 5m
    timestamp: at
    columns:
      at: {{column: __time__, type: timestamp}}
      region: {{column: region, type: string}}
      good: {{column: __good__, type: boolean}}
  - id: latencies
    kind: events
    format: prometheus
    prometheus: {{url: {url}, histogram: http_request_duration_seconds, step: 5m}}
    timestamp: at
    columns:
      at: {{column: __time__, type: timestamp}}
      region: {{column: region, type: string}}
      latency: {{column: le, type: duration, unit: s}}
  - id: probes
    kind: probes
    format: prometheus
    prometheus: {{url: {url}, samples: 'probe_success{{job="blackbox"}}'}}
    timestamp: at
    columns:
      at: {{column: __time__, type: timestamp}}
      up: {{column: __value__, type: integer}}
"""

_MEASURES = """
indicators:
  - {{id: success, name: Successful requests, kind: ratio, source: requests, good: {good}}}
  - id: fast
    name: Requests within 300 ms
    kind: threshold
    source: {latencies}
    measure: latency
    threshold: 300ms
  - id: uptime
    name: Uptime
    kind: timeslice
    source: probes
    slice: 5m
    good: up = 1
    slice_target: 80%
    no_traffic: bad
objectives:
  - {{id: availability, name: Availability, indicator: success, target: 99.5%, tolerance: 99%,
     window: month, scope: [region]}}
  - {{id: daily-availability, name: Daily availability, indicator: success, target: 99.5%,
     tolerance: 99%, window: day}}
  - {{id: latency, name: Latency, indicator: fast, target: 97%, tolerance: 95%, window: day,
     scope: [region]}}
  - {{id: uptime, name: Uptime, indicator: uptime, target: 99.9%, tolerance: 99%,
     window: month}}
"""


def _evaluate(path: Path, data: Path, connector: PrometheusConnector | None) -> Evaluation:
    return file_evaluations().evaluate(
        EvaluateCommand(agreement=path, data_dir=data, period="2026-10", now=NOW, fetcher=connector)
    )


def _verdicts(evaluation: Evaluation) -> list[tuple[object, ...]]:
    return [
        (v.objective, v.scope_label, v.window.label, v.outcome, v.value, v.counts)
        for v in evaluation.verdicts
    ]


@pytest.fixture
def agreements(backfilled: Backfilled, tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw.yaml"
    raw.write_text(
        HEAD + _RAW_SOURCES + _MEASURES.format(good="good < 500", latencies="requests"),
        encoding="utf-8",
    )
    live = tmp_path / "live.yaml"
    live.write_text(
        HEAD
        + _PROMETHEUS_SOURCES.format(url=backfilled.url)
        + _MEASURES.format(good="good = true", latencies="latencies"),
        encoding="utf-8",
    )
    return raw, live


def test_verdicts_from_prometheus_equal_those_from_the_raw_events(
    backfilled: Backfilled, agreements: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, live = agreements
    expected = _evaluate(raw, backfilled.raw_dir, None)
    connector = PrometheusConnector(cache_dir=tmp_path / "cache")
    measured = _evaluate(live, tmp_path, connector)
    assert _verdicts(measured) == _verdicts(expected)
    outcomes = {v.outcome.value for v in measured.verdicts}
    assert {"met", "breach"} <= outcomes
