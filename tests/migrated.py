"""An SQLite database at the newest schema, migrated once per test process and copied for
each test: running every migration took ~1.5 s per test on a loaded machine (each revision
commits with ``synchronous = FULL``), copying the result takes a millisecond. The copy is
the same database ``upgrade`` would have made, and ``upgrade`` still runs on it (a no-op at
head), so a missing or broken revision still fails the tests that open a database."""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from accord.store.db import make_engine
from accord.store.migrations import upgrade

__all__ = ["at_head"]


@functools.cache
def _migrated() -> bytes:
    with tempfile.TemporaryDirectory(prefix="accord-migrated-") as folder:
        path = Path(folder) / "accord.db"
        engine = make_engine(f"sqlite+pysqlite:///{path}")
        try:
            upgrade(engine)
            with engine.connect() as connection:
                # Everything into the database file itself, so that the file alone is the copy.
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        finally:
            engine.dispose()
        return path.read_bytes()


def at_head(database_url: str) -> None:
    """Puts a database at the newest schema at ``database_url`` when it is an SQLite file
    that does not exist yet (created ``0600`` with its folder ``0700``, as ``build`` would);
    anything else is left to ``upgrade``."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return
    path = Path(url.database)
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(_migrated())
