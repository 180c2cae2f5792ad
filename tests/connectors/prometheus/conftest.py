"""One real Prometheus server per test process, serving a backfilled month."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.connectors.prometheus.server import Backfilled, running_prometheus


@pytest.fixture(scope="session")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backfilled]:
    with running_prometheus(tmp_path_factory.mktemp("prometheus")) as server:
        yield server
