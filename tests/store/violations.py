"""What the database says when a row breaks one of the constraints the tables declare, on
SQLite and PostgreSQL alike: which unique key, foreign key or required column refused it.
PostgreSQL names the constraint (its name comes from the naming convention of
``accord.store.tables``); SQLite names the columns of a unique key or a required column, and
says only that some foreign key failed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accord.store.tables import Base

__all__ = [
    "foreign_key_violated",
    "not_null_violated",
    "unique_index_violated",
    "unique_violated",
]


def _constraint_name(
    table: str, kind: type[UniqueConstraint | ForeignKeyConstraint], columns: tuple[str, ...]
) -> str:
    for constraint in Base.metadata.tables[table].constraints:
        if isinstance(constraint, kind) and tuple(c.name for c in constraint.columns) == columns:
            return str(constraint.name)
    raise AssertionError(f"{table} declares no {kind.__name__} on {columns}")


@contextmanager
def _refused(session: Session) -> Iterator[pytest.ExceptionInfo[IntegrityError]]:
    with pytest.raises(IntegrityError) as caught:
        yield caught
    session.rollback()


def _postgres_says(
    caught: pytest.ExceptionInfo[IntegrityError],
) -> tuple[str | None, str | None, str | None]:
    assert isinstance(caught.value.orig, psycopg.Error)
    diag = caught.value.orig.diag
    return diag.sqlstate, diag.constraint_name, diag.column_name


def _says(said: object, expected: object) -> None:
    assert said == expected, f"the database said {said!r}, not {expected!r}"


@contextmanager
def unique_violated(session: Session, table: str, *columns: str) -> Iterator[None]:
    """The block's statement is refused by the unique key of ``table`` over ``columns``."""
    with _refused(session) as caught:
        yield
    if session.get_bind().dialect.name == "sqlite":
        named = ", ".join(f"{table}.{column}" for column in columns)
        _says(str(caught.value.orig), f"UNIQUE constraint failed: {named}")
    else:
        name = _constraint_name(table, UniqueConstraint, columns)
        _says(_postgres_says(caught)[:2], ("23505", name))


@contextmanager
def unique_index_violated(session: Session, table: str, index: str) -> Iterator[None]:
    """The block's statement is refused by the unique index ``index`` of ``table`` (one over
    an expression, which no unique key can declare)."""
    assert any(i.name == index and i.unique for i in Base.metadata.tables[table].indexes), (
        f"{table} declares no unique index {index}"
    )
    with _refused(session) as caught:
        yield
    if session.get_bind().dialect.name == "sqlite":
        _says(str(caught.value.orig), f"UNIQUE constraint failed: index '{index}'")
    else:
        _says(_postgres_says(caught)[:2], ("23505", index))


@contextmanager
def foreign_key_violated(session: Session, table: str, column: str) -> Iterator[None]:
    """The block's statement is refused by the foreign key of ``table.column``."""
    with _refused(session) as caught:
        yield
    if session.get_bind().dialect.name == "sqlite":
        _says(str(caught.value.orig), "FOREIGN KEY constraint failed")
    else:
        name = _constraint_name(table, ForeignKeyConstraint, (column,))
        _says(_postgres_says(caught)[:2], ("23503", name))


@contextmanager
def not_null_violated(session: Session, table: str, column: str) -> Iterator[None]:
    """The block's statement is refused because ``table.column`` is required."""
    with _refused(session) as caught:
        yield
    if session.get_bind().dialect.name == "sqlite":
        _says(str(caught.value.orig), f"NOT NULL constraint failed: {table}.{column}")
    else:
        sqlstate, _, named = _postgres_says(caught)
        _says((sqlstate, named), ("23502", column))
