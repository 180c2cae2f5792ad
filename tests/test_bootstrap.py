"""The composition root: building the services creates and migrates the embedded store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from accord.bootstrap import build
from accord.settings import Settings
from accord.store.migrations import current_revision, head_revision


def test_building_creates_the_data_directory_and_a_migrated_database(tmp_path: Path) -> None:
    services = build(Settings.for_data_dir(tmp_path / "data"))
    try:
        assert services.ready()
        assert (tmp_path / "data" / "accord.db").is_file()
        assert current_revision(services.context.engine) == head_revision()
    finally:
        services.close()


def test_the_data_directory_and_database_are_private_to_their_owner(tmp_path: Path) -> None:
    services = build(Settings.for_data_dir(tmp_path / "data"))
    try:
        services.ready()
        assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
        for name in ("accord.db", "accord.db-wal"):
            assert (tmp_path / "data" / name).stat().st_mode & 0o777 == 0o600
    finally:
        services.close()


def test_importing_the_entry_points_does_nothing(tmp_path: Path) -> None:
    modules = "accord.bootstrap, accord.server.app, accord.cli.main"
    environment = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path / "never")}
    subprocess.run([sys.executable, "-c", f"import {modules}"], env=environment, check=True)
    assert not (tmp_path / "never").exists()
