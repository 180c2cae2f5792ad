"""One interface for the connectors: the connector is picked by the source's format, a
format no connector reads is named, and only status feeds keep what earlier reads found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from accord.connectors.prometheus.connector import PrometheusConnector
from accord.connectors.registry import Connectors, connectors_for
from accord.connectors.status_feeds import StatusFeedConnector
from accord.connectors.tickets.connector import TicketExportConnector
from accord.core.model.sources import Source
from accord.engine.sources import DataError

TIME = {"at": {"column": "__time__", "type": "timestamp"}}


def source(**fields: Any) -> Source:
    return Source.model_validate({"id": "requests", "kind": "events", "timestamp": "at", **fields})


PROMETHEUS = source(
    format="prometheus",
    prometheus={"url": "http://prometheus:9090", "events": "http_requests_total", "step": "5m"},
    columns=TIME,
)
FILE = source(
    format="csv", path="requests.csv", columns={"at": {"column": "at", "type": "timestamp"}}
)


@pytest.fixture
def connectors(tmp_path: Path) -> Connectors:
    return connectors_for(tmp_path / "data", tmp_path / "work")


def test_each_outside_format_has_its_connector(connectors: Connectors) -> None:
    assert isinstance(connectors.connector(PROMETHEUS), PrometheusConnector)
    assert {type(found) for found in connectors.by_format.values()} == {
        PrometheusConnector,
        TicketExportConnector,
        StatusFeedConnector,
    }


def test_a_file_source_is_not_read_by_a_connector(connectors: Connectors) -> None:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    with pytest.raises(DataError, match="source 'requests': no connector reads csv sources"):
        connectors(FILE, now - dt.timedelta(days=31), now, now=now)
    with pytest.raises(DataError, match="no connector reads csv sources"):
        connectors.check(FILE)


def test_only_a_status_feed_keeps_what_earlier_reads_found(connectors: Connectors) -> None:
    assert connectors.kept(PROMETHEUS) is None
    assert connectors.kept(FILE) is None


def test_without_connectors_every_outside_source_is_refused() -> None:
    with pytest.raises(DataError, match="no connector reads prometheus sources"):
        Connectors().connector(PROMETHEUS)
