"""Engines: the embedded SQLite default is configured for safe concurrent use."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from accord.store.db import WRITE, make_engine


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+pysqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # FULL (2): an acknowledged commit survives a power cut, not only a process crash.
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    engine.dispose()


def test_sqlite_rejects_a_row_that_references_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+pysqlite:///{tmp_path / 'a.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        connection.execute(text("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("INSERT INTO child VALUES (42)"))
    engine.dispose()


def test_a_writing_transaction_takes_the_write_lock_when_it_begins(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+pysqlite:///{tmp_path / 'a.db'}")
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    with engine.connect().execution_options(**{WRITE: True}) as connection:
        connection.begin()
        connection.exec_driver_sql("SELECT 1")
        connection.rollback()
    assert "BEGIN IMMEDIATE" in statements
    engine.dispose()


def test_an_in_memory_database_is_refused_because_wal_needs_a_file() -> None:
    with pytest.raises(ValueError, match="file path"):
        make_engine("sqlite+pysqlite:///:memory:")


def test_an_unknown_database_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'mysql'"):
        make_engine("mysql://localhost/accord")


def test_a_plain_postgresql_url_uses_psycopg() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:5432/test")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
