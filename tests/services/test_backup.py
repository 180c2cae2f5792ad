"""Backup and restore of the embedded store: an archive only its owner reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.services.backup import backup
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from tests.services.world import NOW, World, events, make_services, populate


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[World]:
    """The world on the embedded SQLite store, with one pushed batch."""
    data_dir = tmp_path / "data"
    clock = FixedClock(NOW)
    services = make_services(data_dir, f"sqlite+pysqlite:///{data_dir / 'accord.db'}", clock)
    world = populate(services, clock)
    command = PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(5))
    services.ingestion.push(world.principal("partner@bravo.example"), command)
    yield world
    services.close()


def test_an_archive_written_over_a_readable_file_is_its_owner_s_only(
    embedded: World, tmp_path: Path
) -> None:
    archive = tmp_path / "accord.tar.gz"
    archive.write_bytes(b"last week's")
    archive.chmod(0o644)
    backup(embedded.services.context.engine, embedded.services.context.data_dir, archive, NOW)
    assert archive.stat().st_mode & 0o777 == 0o600
