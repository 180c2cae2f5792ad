"""A data directory the CLI's settings point at, holding the services world (acme, bravo,
charlie, their users and agreements), built through the services with the tests' clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.services.ports import FixedClock
from accord.settings import sqlite_url
from tests.services.world import NOW, World, make_services, populate


@pytest.fixture
def world_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACCORD_CONFIG", raising=False)
    services = make_services(folder, sqlite_url(folder), FixedClock(NOW))
    try:
        populate(services, FixedClock(NOW))
    finally:
        services.close()
    return folder


def open_world(folder: Path) -> World:
    """The world in ``folder`` again, to change it further (close its services after)."""
    services = make_services(folder, sqlite_url(folder), FixedClock(NOW))
    return World(services, FixedClock(NOW), {})
