"""One interface for every connector that reads sources living outside the data files.

A connector is configured from the source itself (its ``prometheus`` or ``export`` block)
and from settings (credentials, folders); it checks that it can read a source (``check``,
which says what it found), fetches a source's rows for a span of time (calling it), and
reports progress as it goes. ``Connectors`` picks the connector by the source's format and
is what the services are handed as their ``SourceFetcher``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from accord.connectors.checked import Fetched
from accord.connectors.prometheus.client import Server
from accord.connectors.prometheus.connector import PrometheusConnector
from accord.connectors.status_feeds import StatusFeedConnector
from accord.connectors.tickets.connector import TicketExportConnector
from accord.core.model.sources import Source, SourceFormat
from accord.engine.sources import DataError

__all__ = ["Connector", "Connectors", "connectors_for"]


class Connector(Protocol):
    """Reads one kind of outside source."""

    def check(self, source: Source) -> str:
        """What reading the source finds (a server's version, files and rows), or
        ``DataError`` saying why it cannot be read."""
        ...

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> Fetched:
        """The source's checked rows for [start_at, end_at)."""
        ...


@dataclass
class Connectors:
    """The connector of each outside format."""

    by_format: Mapping[SourceFormat, Connector] = field(default_factory=dict)

    def connector(self, source: Source) -> Connector:
        found = self.by_format.get(source.format)
        if found is None:
            raise DataError(f"source {source.id!r}: no connector reads {source.format} sources")
        return found

    def check(self, source: Source) -> str:
        return self.connector(source).check(source)

    def kept(self, source: Source) -> Fetched | None:
        """What earlier reads of the source kept, read without asking the outside world:
        a status feed's merged polls; ``None`` for other formats or before any read."""
        found = self.by_format.get(source.format)
        return found.kept(source) if isinstance(found, StatusFeedConnector) else None

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> Fetched:
        return self.connector(source)(source, start_at, end_at, now=now)


def connectors_for(
    data_dir: Path,
    work_dir: Path,
    *,
    servers: Mapping[str, Server] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Connectors:
    """Every connector, working under ``work_dir`` (Prometheus pages are cached there)."""
    return Connectors(
        {
            SourceFormat.PROMETHEUS: PrometheusConnector(
                cache_dir=work_dir / "prometheus", connections=servers or {}, progress=progress
            ),
            SourceFormat.EXPORT: TicketExportConnector(
                data_dir=data_dir, work_dir=work_dir / "exports"
            ),
            SourceFormat.STATUS_FEED: StatusFeedConnector(
                work_dir=work_dir / "status-feeds", progress=progress
            ),
        }
    )
