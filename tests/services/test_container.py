"""The services as the composition root builds them: one context shared by every use case,
the limits it was given, readiness that says whether the database answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from accord.bootstrap import build
from accord.services.container import Services
from accord.services.ports import FixedClock
from accord.settings import Settings
from tests.services.world import FAST_HASHES, NOW, World


def test_every_use_case_shares_the_one_context(world: World) -> None:
    services = world.services
    for field in dataclasses.fields(Services):
        if field.name != "context":
            assert getattr(services, field.name)._context is services.context, field.name


def test_the_services_are_ready_when_the_database_answers(world: World) -> None:
    assert world.services.ready()


def test_the_services_are_not_ready_when_the_database_does_not_answer(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+pysqlite:///{tmp_path / 'data' / 'accord.db'}",
    )
    services = build(settings, clock=FixedClock(NOW), passwords=FAST_HASHES)
    (tmp_path / "data" / "accord.db").unlink()
    (tmp_path / "data" / "accord.db").mkdir()  # where the database was, nothing to open
    services.close()
    with pytest.raises(OperationalError):
        services.ready()


def test_the_limits_are_those_the_settings_gave(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+pysqlite:///{tmp_path / 'data' / 'accord.db'}",
        four_eyes=False,
        token_ttl=dt.timedelta(days=7),
    )
    services = build(settings, clock=FixedClock(NOW), passwords=FAST_HASHES)
    try:
        assert services.limits is services.context.limits
        assert (services.limits.four_eyes, services.limits.token_ttl) == (
            False,
            dt.timedelta(days=7),
        )
    finally:
        services.close()
