"""Tenancy: a query without a bound tenant fails; a bound tenant sees only its own data."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, Integer, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from accord.store.repositories import Agreements, Organisations, Users
from accord.store.tables import AgreementRow, AgreementVersionRow, Base, Tenancy, TenantScope
from accord.store.tenancy import Tenant, TenantNotBound, UndeclaredTenancy, declared_tenancy
from tests.store.seed import open_session, seed


def test_a_query_without_a_tenant_raises(engine: Engine) -> None:
    seed(engine)
    with open_session(engine, None) as session:
        with pytest.raises(TenantNotBound):
            session.scalars(select(AgreementRow)).all()
        with pytest.raises(TenantNotBound):
            session.execute(text("SELECT 1"))


def test_a_partner_sees_only_the_agreements_it_is_party_to(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant(world.partner_b)) as session:
        agreements = Agreements(session)
        assert [row.id for row in agreements.all()] == [world.agreement_b]
        assert agreements.find(world.agreement_c) is None
        assert agreements.versions(world.agreement_c) == []
        assert agreements.parties(world.agreement_c) == {}


def test_a_partner_cannot_reach_another_tenants_rows_through_a_join(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant(world.partner_b)) as session:
        query = select(AgreementVersionRow.agreement_id).join(
            AgreementRow, AgreementRow.id == AgreementVersionRow.agreement_id
        )
        assert list(session.scalars(query)) == [world.agreement_b]


def test_the_company_sees_every_agreement_it_owns(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant(world.company, operator=True)) as session:
        assert {row.id for row in Agreements(session).all()} == {
            world.agreement_b,
            world.agreement_c,
        }


def test_a_partner_sees_only_its_own_organisation_and_users(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant(world.partner_b)) as session:
        assert [row.id for row in Organisations(session).all()] == [world.partner_b]
        assert [row.email for row in Users(session).all()] == ["u@bravo"]
        assert Users(session).find_by_email("u@charlie") is None


def test_the_operator_sees_every_organisation(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant(world.company, operator=True)) as session:
        assert len(Organisations(session).all()) == 3
        assert len(Users(session).all()) == 3


def test_repositories_never_commit(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        row = Agreements(session).find(world.agreement_b)
        assert row is not None
        Agreements(session).add(
            AgreementRow(
                slug="draft",
                owner_organisation_id=world.company,
                title="D",
                created_at=row.created_at,
            )
        )
        session.rollback()
    with open_session(engine, Tenant.system()) as session:
        assert Agreements(session).find_by_slug("draft") is None


def test_every_table_declares_whose_data_its_rows_are() -> None:
    declared = declared_tenancy()
    tables = {row.__table__.name for row in declared}
    assert tables == set(Base.metadata.tables)
    for row, tenancy in declared.items():
        if tenancy.scope is not TenantScope.SHARED:
            assert tenancy.column in row.__table__.c, row.__name__


def test_a_table_without_a_declaration_stops_the_store() -> None:
    class Other(DeclarativeBase):
        pass

    class Declared(Other):
        __tablename__ = "declared"
        __tenancy__ = Tenancy(TenantScope.AGREEMENT, "agreement_id")
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        agreement_id: Mapped[int]

    assert list(declared_tenancy(Other.registry).values()) == [Declared.__tenancy__]

    class Forgotten(Other):
        __tablename__ = "forgotten"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)

    with pytest.raises(UndeclaredTenancy, match="Forgotten declares no __tenancy__"):
        declared_tenancy(Other.registry)
