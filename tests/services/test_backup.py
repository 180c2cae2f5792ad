"""Backup and restore of the embedded store: a consistent copy taken while a write is under
way, the batch files beside it and a manifest of digests, in an archive only its owner reads;
a restore that refuses whatever is not such a backup before it keeps a single file."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from accord.services.backup import BACKUP_FORMAT, backup, restore
from accord.services.errors import Invalid
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from accord.store.db import make_engine
from tests.services.world import NOW, World, events, make_services, populate

BATCH = "measurements/acme-bravo/requests/b1.parquet"


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


def _manifest(archive: Path) -> dict[str, object]:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        document: dict[str, object] = json.loads(handle.read())
        return document


def _organisation_names(database: Path) -> list[str]:
    engine = make_engine(f"sqlite+pysqlite:///{database}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT name FROM organisations ORDER BY slug"))
            return [str(name) for (name,) in rows]
    finally:
        engine.dispose()


def test_a_backup_taken_during_a_write_holds_what_was_committed_and_the_write_goes_on(
    embedded: World, tmp_path: Path
) -> None:
    data_dir = embedded.services.context.data_dir
    engine = embedded.services.context.engine
    archive = tmp_path / "accord.tar.gz"
    with engine.connect() as writer:
        writer.execute(text("UPDATE organisations SET name = 'not yet committed'"))
        report = backup(engine, data_dir, archive, NOW)
        writer.commit()
    assert (report.files, report.bytes) == (2, archive.stat().st_size)
    manifest = _manifest(archive)
    assert manifest["format"] == BACKUP_FORMAT
    assert manifest["created_at"] == NOW.isoformat()
    files = manifest["files"]
    assert isinstance(files, dict)
    assert sorted(files) == ["accord.db", BATCH]
    assert files[BATCH] == hashlib.sha256((data_dir / BATCH).read_bytes()).hexdigest()

    restored = tmp_path / "restored"
    assert restore(archive, restored) == 2
    assert _organisation_names(restored / "accord.db") == ["Acme Retail", "Bravo", "Charlie"]
    assert _organisation_names(data_dir / "accord.db") == ["not yet committed"] * 3
    assert (restored / BATCH).read_bytes() == (data_dir / BATCH).read_bytes()


def test_a_batch_still_being_written_is_left_out(embedded: World, tmp_path: Path) -> None:
    data_dir = embedded.services.context.data_dir
    half_written = data_dir / "measurements/acme-bravo/requests/.b2.0f3c.tmp"
    half_written.write_bytes(b"PAR1 and no more")
    archive = tmp_path / "accord.tar.gz"
    assert backup(embedded.services.context.engine, data_dir, archive, NOW).files == 2
    files = _manifest(archive)["files"]
    assert isinstance(files, dict)
    assert sorted(files) == ["accord.db", BATCH]


def test_an_archive_written_over_a_readable_file_is_its_owner_s_only(
    embedded: World, tmp_path: Path
) -> None:
    archive = tmp_path / "accord.tar.gz"
    archive.write_bytes(b"last week's")
    archive.chmod(0o644)
    backup(embedded.services.context.engine, embedded.services.context.data_dir, archive, NOW)
    assert archive.stat().st_mode & 0o777 == 0o600


@pytest.mark.postgres
def test_postgresql_is_sent_to_its_own_tools(postgres_schema_url: str, tmp_path: Path) -> None:
    engine = make_engine(postgres_schema_url)
    archive = tmp_path / "accord.tar.gz"
    try:
        with pytest.raises(Invalid, match="back up PostgreSQL with pg_dump"):
            backup(engine, tmp_path, archive, NOW)
    finally:
        engine.dispose()
    assert not archive.exists()


def _archive(path: Path, manifest: object, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            if name == "manifest.json" and manifest is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


DATABASE = b"SQLite format 3\0"


def _files(**members: bytes) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in members.items()}


@pytest.mark.parametrize(
    ("manifest", "members", "message"),
    [
        (None, {"accord.db": DATABASE}, "the archive has no manifest"),
        (
            {"format": "accord.backup/v0", "files": _files(**{"accord.db": DATABASE})},
            {"accord.db": DATABASE},
            "is not an accord.backup/v1 backup",
        ),
        (
            {"format": BACKUP_FORMAT, "files": _files(**{"notes.txt": b"x"})},
            {"notes.txt": b"x"},
            "the backup's manifest names no database",
        ),
        (
            {"format": BACKUP_FORMAT, "files": _files(**{"accord.db": DATABASE, "../x": b"x"})},
            {"accord.db": DATABASE, "../x": b"x"},
            "a file outside the data directory: '../x'",
        ),
        (
            {"format": BACKUP_FORMAT, "files": _files(**{"accord.db": DATABASE, "/etc/x": b"x"})},
            {"accord.db": DATABASE, "/etc/x": b"x"},
            "a file outside the data directory: '/etc/x'",
        ),
        (
            {"format": BACKUP_FORMAT, "files": _files(**{"accord.db": DATABASE})},
            {"accord.db": DATABASE, "measurements/extra.parquet": b"x"},
            r"the archive and its manifest differ on \['measurements/extra.parquet'\]",
        ),
        (
            {"format": BACKUP_FORMAT, "files": _files(**{"accord.db": DATABASE, "q.csv": b"x"})},
            {"accord.db": DATABASE},
            r"the archive and its manifest differ on \['q.csv'\]",
        ),
    ],
)
def test_what_is_not_a_whole_backup_is_refused_and_nothing_is_kept(
    tmp_path: Path, manifest: object, members: dict[str, bytes], message: str
) -> None:
    archive = _archive(tmp_path / "odd.tar.gz", manifest, members)
    restored = tmp_path / "deep" / "restored"
    with pytest.raises(Invalid, match=message):
        restore(archive, restored)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["odd.tar.gz"]


def test_a_file_that_is_not_an_archive_is_refused_by_name(tmp_path: Path) -> None:
    archive = tmp_path / "accord.db"
    archive.write_bytes(DATABASE)
    with pytest.raises(Invalid, match=f"{archive} is not a readable backup"):
        restore(archive, tmp_path / "restored")
