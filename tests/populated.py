"""The services world (tests/services/world.py) on SQLite, populated once per test process
and copied for each test that asks for it: ``populate`` commits some twenty transactions
(organisations, users, tokens, two agreements), each synced to disk, before every one of
the many tests that start from the world; copying the result takes a millisecond. The copy
is the database and data folder (its signing keys) ``populate`` made at the tests' clock,
with the same token secrets; ``upgrade`` still runs on it when the services open it.

PostgreSQL schemas, and worlds at another clock, are still populated test by test."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from accord.services.ports import FixedClock
from accord.store.db import make_engine
from tests.services.world import NOW, World, make_services, populate

__all__ = ["STORY_TOLD", "Story", "place_populated"]

#: What some tests do to the world before they start (push and evaluate months, say), done
#: once on the template too; a module-level function, so that it names its template.
Story = Callable[[World], object]
#: The story a test's copied world has been told already (in the test item's stash).
STORY_TOLD = pytest.StashKey[Story | None]()


@dataclass(frozen=True)
class _Template:
    database: bytes
    data_dir: Path
    tokens: dict[str, str]


@functools.cache
def _template(story: Story | None) -> _Template:
    folder = Path(tempfile.mkdtemp(prefix="accord-populated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "accord.db"
    url = f"sqlite+pysqlite:///{path}"
    clock = FixedClock(NOW)
    services = make_services(folder / "data", url, clock)
    try:
        world = populate(services, clock)
        if story is not None:
            story(world)
        tokens = dict(world.tokens)
    finally:
        services.close()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # Everything into the database file itself, so that the file alone is the copy.
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()
    return _Template(path.read_bytes(), folder / "data", tokens)


def place_populated(
    database_url: str, data_dir: Path, clock: FixedClock, story: Story | None = None
) -> dict[str, str] | None:
    """Puts the populated world (then ``story``) at ``database_url`` and ``data_dir`` when
    the database is an SQLite file that does not exist yet, ``data_dir`` holds nothing yet
    and the clock stands where ``populate`` ran; its users' token secrets by e-mail.
    ``None``, with nothing written, otherwise: the caller populates (and tells the story)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or clock.at != NOW:
        return None
    path = Path(url.database)
    if path.exists() or (data_dir.exists() and any(data_dir.iterdir())):
        return None
    template = _template(story)
    shutil.copytree(template.data_dir, data_dir, dirs_exist_ok=True)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(template.database)
    return dict(template.tokens)
