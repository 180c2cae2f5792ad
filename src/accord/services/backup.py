"""Backup and restore of the embedded default: the SQLite database and the data files that
belong with it, in one archive that says what it holds.

``backup`` takes a consistent copy of the database while the service runs (SQLite's online
backup: readers and writers go on), adds every stored batch file and quarantine file, and a
manifest with each file's SHA-256; the archive is written ``0600``. ``restore`` unpacks an
archive into an empty data directory, refusing paths outside it and any file whose digest
differs from the manifest. The signing key is not in the archive: keep it apart (with
checkpoints, it is what proves that a restored trail is the one that was backed up).
On PostgreSQL the database is backed up with its own tools (README, "Running it safely").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from sqlalchemy import Engine

from accord.services.errors import Conflict, Invalid

__all__ = ["BACKUP_FORMAT", "BackupReport", "backup", "restore"]

BACKUP_FORMAT: Final = "accord.backup/v1"
_DATABASE: Final = "accord.db"
_MANIFEST: Final = "manifest.json"
#: The folders of the data directory a backup carries besides the database.
_FOLDERS: Final = ("measurements", "quarantine")
_CHUNK: Final = 1 << 20


@dataclass(frozen=True)
class BackupReport:
    archive: Path
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _data_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    for folder in _FOLDERS:
        root = data_dir / folder
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    yield path.relative_to(data_dir).as_posix(), path


def backup(engine: Engine, data_dir: Path, archive: Path, now: dt.datetime) -> BackupReport:
    """Write a backup of the embedded store in ``data_dir`` to ``archive`` (``.tar.gz``)."""
    if engine.dialect.name != "sqlite":
        raise Invalid(
            "accord backup copies the embedded SQLite store; back up PostgreSQL with pg_dump "
            "(see 'Running it safely' in the README)"
        )
    with tempfile.TemporaryDirectory(prefix="accord-backup-") as scratch:
        snapshot = Path(scratch) / _DATABASE
        raw = engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            with sqlite3.connect(snapshot) as target:
                source.backup(target)
            target.close()
        finally:
            raw.close()
        members = [(_DATABASE, snapshot), *_data_files(data_dir)]
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": now.isoformat(),
            "files": {name: _sha256(path) for name, path in members},
        }
        descriptor = os.open(archive, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        os.fchmod(descriptor, 0o600)  # the mode above applies only to a file it creates
        with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
            text = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(_MANIFEST)
            info.size, info.mtime = len(text), int(now.timestamp())
            tar.addfile(info, io.BytesIO(text))
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
    return BackupReport(archive, len(members), archive.stat().st_size)


def restore(archive: Path, data_dir: Path) -> int:
    """Unpack ``archive`` into ``data_dir``, which must hold no database yet; the number of
    files restored. Every file is checked against the manifest before any is kept."""
    if (data_dir / _DATABASE).exists():
        raise Conflict(f"{data_dir} holds a database already; restore into an empty directory")
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = _manifest(tar)
            names = set(manifest)
            members = [m for m in tar.getmembers() if m.name != _MANIFEST]
            unexpected = sorted({m.name for m in members} ^ names)
            if unexpected:
                raise Invalid(f"{archive}: the archive and its manifest differ on {unexpected}")
            with tempfile.TemporaryDirectory(prefix=".restore-", dir=_parent(data_dir)) as stage:
                tar.extractall(stage, members=members, filter="data")
                for name, digest in manifest.items():
                    if _sha256(Path(stage) / name) != digest:
                        raise Invalid(f"{archive}: {name} does not match its digest")
                _move_into(Path(stage), data_dir, sorted(names))
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as exc:
        raise Invalid(f"{archive} is not a readable backup: {exc}") from None
    return len(manifest)


def _parent(data_dir: Path) -> Path:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return data_dir


def _manifest(tar: tarfile.TarFile) -> dict[str, str]:
    try:
        handle = tar.extractfile(_MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise Invalid("the archive has no manifest: is it a backup of accord backup?")
    document = json.loads(handle.read())
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise Invalid(f"the archive is not an {BACKUP_FORMAT} backup")
    files = document.get("files")
    if not isinstance(files, dict) or _DATABASE not in files:
        raise Invalid("the backup's manifest names no database")
    for name in files:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            raise Invalid(f"the backup names a file outside the data directory: {name!r}")
    return {str(name): str(digest) for name, digest in files.items()}


def _move_into(stage: Path, data_dir: Path, names: list[str]) -> None:
    for name in names:
        target = data_dir / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        (stage / name).replace(target)
    (data_dir / _DATABASE).chmod(0o600)
