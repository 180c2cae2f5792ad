"""Alembic migrations, run from code: no ``alembic.ini``; ``upgrade(engine)`` brings a
database to the newest schema. New revisions: ``revision(engine, message)`` autogenerates one
from the difference between ``accord.store.tables`` and a database at head."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = [
    "MigrationRefused",
    "alembic_config",
    "current_revision",
    "head_revision",
    "revision",
    "upgrade",
]

_HERE = Path(__file__).parent


class MigrationRefused(RuntimeError):
    """A revision that cannot apply to the data it finds (e.g. two users whose addresses
    differ only in case): the database stays at the revision before it, and the message says
    what to put right by hand before upgrading again."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration for this package's scripts, bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.set_main_option("path_separator", "os")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, target: str = "head") -> None:
    """Apply every migration up to ``target`` (idempotent: a database at head is unchanged)."""
    command.upgrade(alembic_config(engine), target)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new revision file (for developers; run against a database at head)."""
    command.revision(alembic_config(engine), message=message, autogenerate=True)


def head_revision() -> str | None:
    return ScriptDirectory(str(_HERE)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
