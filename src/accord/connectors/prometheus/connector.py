"""The Prometheus connector as the services use it: given a source, find its server (its
URL, with the credentials configured for that URL if any), check that it answers, and fetch
the source's rows for a span with progress reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from accord.connectors.checked import Fetched
from accord.connectors.prometheus.client import PrometheusClient, PrometheusError, Server
from accord.connectors.prometheus.fetch import Cache, Progress, fetch_source
from accord.core.model.prometheus import PrometheusQuery
from accord.core.model.sources import Source
from accord.engine.sources import DataError

__all__ = ["PrometheusConnector"]


@dataclass
class PrometheusConnector:
    """Reads Prometheus sources; ``connections`` holds the servers that need credentials,
    by URL (without a trailing slash)."""

    cache_dir: Path
    connections: Mapping[str, Server] = field(default_factory=dict)
    progress: Progress | None = None
    sleep: Callable[[float], None] | None = None

    def server(self, query: PrometheusQuery) -> Server:
        """The server to ask, with the credentials configured for its URL, if any."""
        return self.connections.get(query.url.rstrip("/"), Server(url=query.url))

    def check(self, source: Source) -> str:
        """What the source's server says it is (its version): proves URL and credentials."""
        assert source.prometheus is not None
        with self._client(source) as client:
            try:
                return f"Prometheus {client.version()} at {client.server.url}"
            except PrometheusError as exc:
                raise DataError(f"source {source.id!r}: {exc}") from None

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> Fetched:
        with self._client(source) as client:
            try:
                return fetch_source(
                    client, source, (start_at, end_at), Cache(self.cache_dir, now), self.progress
                )
            except PrometheusError as exc:
                raise DataError(f"source {source.id!r}: {exc}") from None

    def _client(self, source: Source) -> PrometheusClient:
        assert source.prometheus is not None
        server = self.server(source.prometheus)
        if self.sleep is None:
            return PrometheusClient(server)
        return PrometheusClient(server, sleep=self.sleep)
