"""The unit of work: a session bound to the principal's tenant, the clock's instant, audit
entries written by the principal in the same transaction (gone if it is not committed), and
the database's refusals turned into the service's: a clash is a Conflict, a value too long
for its column (PostgreSQL) is Invalid."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.services.errors import Conflict, Invalid
from accord.store.tables import OrganisationRow
from tests.services.world import CONSOLE, NOW, World

AT = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)


def test_the_session_is_bound_to_the_principal_s_tenant(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    with world.services.context.uow(partner) as uow:
        assert [row.slug for row in uow.agreements.all()] == ["acme-bravo"]
        assert uow.now() == NOW
    with world.services.context.uow(CONSOLE) as uow:
        assert len(uow.agreements.all()) > 1


def test_an_audit_entry_is_kept_only_with_its_transaction(world: World) -> None:
    manager = world.principal("manager@acme.example")
    before = len(world.services.audit.entries(CONSOLE, limit=1000))
    with world.services.context.uow(manager, write=True) as uow:
        uow.audit("test.rolled_back", "agreement", 1, after={"n": 1})
    with world.services.context.uow(manager, write=True) as uow:
        uow.audit("test.kept", "agreement", 1, after={"n": 2})
        uow.session.commit()
    entries = world.services.audit.entries(CONSOLE, limit=1000)
    assert len(entries) == before + 1
    assert (entries[-1]["action"], entries[-1]["actor"]) == ("test.kept", "manager@acme.example")


def _add(world: World, row: OrganisationRow) -> None:
    with world.services.context.uow(CONSOLE, write=True) as uow:
        uow.session.add(row)
        uow.session.flush()


def test_a_clash_in_the_database_is_a_conflict(world: World) -> None:
    with pytest.raises(Conflict, match="conflicts with one made at the same time"):
        _add(world, OrganisationRow(slug="bravo", name="Again", kind="partner", created_at=AT))


def test_a_value_too_long_for_its_column_is_invalid(world: World, database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite does not enforce column lengths")
    with pytest.raises(Invalid, match="too long or out of range"):
        _add(world, OrganisationRow(slug="x" * 300, name="Long", kind="partner", created_at=AT))
