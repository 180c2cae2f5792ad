"""Fetching a Prometheus source page by page: complete pages cached, open ones fetched
again, bad values set aside with their reason, an unreachable server named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from accord.connectors.prometheus.client import PrometheusClient, Server
from accord.connectors.prometheus.connector import PrometheusConnector
from accord.connectors.prometheus.fetch import SETTLED, Cache, fetch_source, page_length, pages
from accord.core.model.prometheus import PrometheusQuery
from accord.core.model.sources import Source
from accord.engine.sources import DataError
from tests.connectors.prometheus.server import Backfilled

OCT_1 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


class _Counting(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)


def _source(url: str, **columns: dict[str, str]) -> Source:
    return Source.model_validate(
        {
            "id": "requests",
            "kind": "events",
            "format": "prometheus",
            "prometheus": {"url": url, "events": "http_requests_total", "step": "5m"},
            "timestamp": "at",
            "columns": {"at": {"column": "__time__", "type": "timestamp"}, **columns},
        }
    )


def test_pages_are_whole_steps_from_the_span_start_and_end_at_its_end() -> None:
    minutes = PrometheusQuery.model_validate({"url": "http://p:9090", "events": "x"})
    assert page_length(minutes) == dt.timedelta(days=7)
    query = PrometheusQuery.model_validate({"url": "http://p:9090", "events": "x", "step": "10s"})
    length = page_length(query)
    assert length == dt.timedelta(seconds=10 * 10_999)  # at most 11,000 points per series
    found = pages(OCT_1, OCT_1 + dt.timedelta(days=3), length)
    assert [p.start_at for p in found] == [OCT_1 + i * length for i in range(3)]
    assert found[-1].end_at == OCT_1 + dt.timedelta(days=3)
    samples = PrometheusQuery.model_validate({"url": "http://p:9090", "samples": "up"})
    assert page_length(samples) == dt.timedelta(days=1)


def test_complete_pages_are_read_from_the_cache_and_open_ones_again(
    backfilled: Backfilled, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    transport = _Counting()
    client = PrometheusClient(Server(url=backfilled.url), transport=transport)
    request.addfinalizer(client.close)
    source = _source(backfilled.url)
    span = (OCT_1, OCT_1 + dt.timedelta(days=9))
    now = span[1] + SETTLED - dt.timedelta(minutes=1)  # the last page is not settled yet
    first = fetch_source(client, source, span, Cache(tmp_path, now))
    assert transport.requests == 2
    again = fetch_source(client, source, span, Cache(tmp_path, now))
    assert transport.requests == 3
    assert first.report is not None
    assert again.report is not None
    assert again.report.rows_accepted == first.report.rows_accepted > 0
    assert [p.name.startswith("open-") for p in again.files] == [False, True]
    later = fetch_source(client, source, span, Cache(tmp_path, span[1] + SETTLED))
    assert transport.requests == 4
    assert not any(p.name.startswith("open-") for p in later.files)


def test_label_values_that_do_not_fit_the_column_are_set_aside_with_their_reason(
    backfilled: Backfilled, tmp_path: Path
) -> None:
    source = _source(backfilled.url, region={"column": "region", "type": "integer"})
    span = (OCT_1, OCT_1 + dt.timedelta(hours=2))
    with PrometheusClient(Server(url=backfilled.url)) as client:
        fetched = fetch_source(client, source, span, Cache(tmp_path, OCT_1 + dt.timedelta(days=30)))
    assert fetched.report is not None
    assert fetched.report.rows_accepted == 0
    (issue,) = fetched.report.issues
    assert issue.reason == "region: not integer"
    assert issue.count == fetched.report.rows_read > 0
    assert "page 2026-10-01T00:00Z" in issue.samples[0]


def test_an_unreachable_server_is_named_in_a_data_error(tmp_path: Path) -> None:
    connector = PrometheusConnector(cache_dir=tmp_path, sleep=lambda _: None)
    source = _source("http://127.0.0.1:9")
    with pytest.raises(DataError, match=r"source 'requests': cannot reach http://127.0.0.1:9"):
        connector(source, OCT_1, OCT_1 + dt.timedelta(hours=1), now=OCT_1)
