"""Fixtures shared by the store, service and server tests: a migrated database on SQLite and,
where it is reachable, on PostgreSQL (each test in its own schema, so parallel workers never
meet). Without PostgreSQL those tests are skipped with one line of reason, unless ``CI`` is
set: there they must run, so they fail."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from accord.engine.spark import SparkEngine, SparkUnavailable
from accord.services.container import Services
from accord.services.ports import FixedClock
from accord.store.db import make_engine
from accord.store.migrations import upgrade
from tests.mailbox import Mailbox, mailbox
from tests.migrated import at_head
from tests.populated import STORY_TOLD, Story, place_populated
from tests.services.world import NOW, World, make_services, populate

POSTGRES_URL = os.environ.get(
    "ACCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@functools.cache
def _postgres_unreachable() -> str | None:
    try:
        with psycopg.connect(_conninfo(POSTGRES_URL), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({first_line})"


@functools.cache
def _require_postgres() -> None:
    reason = _postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the PostgreSQL tests may not be skipped")
    pytest.skip(reason)


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose connections use a fresh schema, dropped afterwards."""
    _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_conninfo(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_conninfo(POSTGRES_URL), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite+pysqlite:///{tmp_path / 'accord.db'}"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A database at the newest schema."""
    at_head(database_url)
    created = make_engine(database_url)
    upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


#: The token secrets of a world copied into place for the test (tests/populated.py).
_POPULATED = pytest.StashKey[dict[str, str]]()


@pytest.fixture
def world_story() -> Story | None:
    """What the tests of a folder do to the world first, when its conftest says (once on
    the copied template, not test by test)."""
    return None


@pytest.fixture
def services(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[Services]:
    if "world" in request.fixturenames:
        story: Story | None = request.getfixturevalue("world_story")
        tokens = place_populated(database_url, tmp_path / "data", clock, story)
        if tokens is not None:
            request.node.stash[_POPULATED] = tokens
            request.node.stash[STORY_TOLD] = story
    built = make_services(tmp_path / "data", database_url, clock)
    yield built
    built.close()


@pytest.fixture
def world(request: pytest.FixtureRequest, services: Services, clock: FixedClock) -> World:
    tokens = request.node.stash.get(_POPULATED, None)
    if tokens is None:
        return populate(services, clock)
    assert clock.at == NOW, "the clock moved between the services and the world"
    return World(services, clock, tokens)


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkEngine]:
    """One local Spark session (two cores) for every test that measures on Spark: starting
    one takes seconds. Without PySpark or Java the tests are skipped with the reason, unless
    ``CI`` is set (``.ci/run`` installs Java)."""
    try:
        engine = SparkEngine.start("local[2]", {"spark.sql.shuffle.partitions": "2"})
    except SparkUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(exc))
    yield engine
    engine.stop()


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""
    with mailbox() as box:
        yield box
