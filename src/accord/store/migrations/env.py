"""Alembic environment: migrates the engine passed in ``config.attributes`` (online only)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from accord.store.tables import Base


def _run() -> None:
    engine = context.config.attributes["engine"]
    assert isinstance(engine, Engine), "call accord.store.migrations.upgrade(engine)"
    with engine.connect() as connection:
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
