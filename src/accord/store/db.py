"""Database engines: the embedded SQLite default and PostgreSQL, configured the same way.

SQLite runs in WAL mode with foreign keys enforced and a busy timeout; transactions that
write begin with ``BEGIN IMMEDIATE`` so that two writers queue for the lock instead of one
failing when it upgrades a read snapshot. ``synchronous = FULL``: a commit is on disk before
it returns, so an acknowledged push survives a power cut, not only a crash of the process
(``NORMAL`` in WAL mode may lose the last commits to a power cut). The database file is
created readable by its owner only (``0600``; SQLite gives its WAL files the same mode).
PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["WRITE", "is_sqlite", "make_engine"]

#: Execution option marking a connection whose transaction will write.
WRITE: Final = "accord_write"
_BUSY_TIMEOUT_MS: Final = 30_000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``: ``sqlite+pysqlite:///path`` or ``postgresql+psycopg://…``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("the embedded database needs a file path (WAL needs a file)")
        _create_private(Path(parsed.database))
        engine = create_engine(parsed, echo=echo, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    backend = parsed.get_backend_name()
    raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")


def _create_private(path: Path) -> None:
    """The database file, created ``0600`` if it is not there yet (an existing file keeps
    the mode its operator gave it)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
