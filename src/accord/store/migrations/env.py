"""Alembic environment: migrates the engine passed in ``config.attributes`` (online only:
some revisions read the rows they change, and SQLite's batch operations reflect the live
table, so an offline SQL script would stop half-way)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from accord.store.tables import Base


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    if context.is_offline_mode() or not isinstance(engine, Engine):
        raise RuntimeError(
            "Accord's migrations run online, on an engine: "
            "call accord.store.migrations.upgrade(engine)"
        )
    return engine


def _run() -> None:
    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


_run()
