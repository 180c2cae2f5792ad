"""The engine's PostgreSQL connection for portability tests: a schema of its own per test,
on the search path. Without PostgreSQL the tests are skipped with one line of reason,
unless ``CI`` is set: there they must run, so they fail."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

URL = os.environ.get("ACCORD_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    try:
        connection = psycopg.connect(URL, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {URL}: {exc}")
    schema = f"portable_{uuid.uuid4().hex[:10]}"
    connection.execute(f"CREATE SCHEMA {schema}")
    connection.execute(f"SET search_path TO {schema}")
    try:
        yield connection
    finally:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")
        connection.close()
