"""Named locks: held until the end of the current transaction (``serialise``), or across
transactions by whoever gets them first (``exclusive``).

``serialise`` — PostgreSQL: a transaction-scoped advisory lock on a 64-bit key derived from
the name and the schema in use (advisory locks are database-wide; two Accord installations in
different schemas of one database must not block each other). SQLite: nothing to do, because
writing transactions begin with ``BEGIN IMMEDIATE`` and so already run one at a time.

``exclusive`` — PostgreSQL: a session-level advisory lock, taken without waiting on a
connection of its own (in autocommit, so no transaction stays open while it is held).
SQLite: an exclusive ``flock`` on a file beside the database, so that two processes (or
threads) on the same data directory exclude each other. Either way the lock ends with the
process that holds it, so a crashed holder never blocks the next one.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

__all__ = ["exclusive", "serialise"]


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def serialise(session: Session, name: str) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key # hashtext(current_schema())::bigint)"),
        {"key": _key(name)},
    )


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[bool]:
    """Hold the lock ``name`` for the block if nobody holds it; yields whether it was taken
    (``False``: another holder is busy, the block should skip its work)."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name) as taken:
            yield taken
    else:
        with _file_lock(_lock_path(engine, name)) as taken:
            yield taken


@contextmanager
def _advisory(engine: Engine, name: str) -> Iterator[bool]:
    key = _key(name)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        key = int(
            connection.execute(
                text("SELECT :key # hashtext(current_schema())::bigint"), {"key": key}
            ).scalar_one()
        )
        taken = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        )
        try:
            yield taken
        finally:
            if taken:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def _lock_path(engine: Engine, name: str) -> Path:
    database = engine.url.database
    if not database:
        raise ValueError("an exclusive lock needs a database file")
    return Path(f"{database}.{re.sub(r'[^A-Za-z0-9_-]', '_', name)}.lock")


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    if os.name != "posix":  # pragma: no cover - no flock; the callers stay idempotent anyway
        yield True
        return
    import fcntl  # noqa: PLC0415 (POSIX only; the branch above serves other systems)

    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
