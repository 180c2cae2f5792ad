"""Organisations and users in the store: the one company, ids to rows, users by e-mail and
organisation, whether a mail domain is used by another organisation (case-insensitive, and
``_`` or ``%`` in a domain match only themselves), roles granted and revoked."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.store.repositories import Organisations, Users
from accord.store.tables import RoleAssignmentRow, UserRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed


def test_the_company_and_organisations_by_id(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        organisations = Organisations(session)
        company = organisations.find_company()
        assert company is not None
        assert (company.id, company.slug) == (world.company, "acme")
        assert [row.slug for row in organisations.all()] == ["acme", "bravo", "charlie"]
        found = organisations.by_ids({world.partner_b, world.partner_c, 10_000})
        assert {key: row.slug for key, row in found.items()} == {
            world.partner_b: "bravo",
            world.partner_c: "charlie",
        }
        assert organisations.find_by_slug("nobody") is None


def test_a_mail_domain_used_by_another_organisation(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        users = Users(session)
        users.add(
            UserRow(
                organisation_id=world.partner_b, email="Ops@Bravo.Example", name="O", created_at=AT
            )
        )
        assert users.domain_used_elsewhere("bravo.example", world.partner_c)
        assert users.domain_used_elsewhere("BRAVO.example", world.partner_c)
        assert not users.domain_used_elsewhere("bravo.example", world.partner_b)
        assert not users.domain_used_elsewhere("bravo_example", world.partner_c)
        assert not users.domain_used_elsewhere("%.example", world.partner_c)
        assert [u.email for u in users.all(world.partner_b)] == ["Ops@Bravo.Example", "u@bravo"]


def test_roles_are_granted_listed_and_revoked(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        users = Users(session)
        user = users.find_by_email("u@bravo")
        other = users.find_by_email("u@charlie")
        assert user is not None
        assert other is not None
        for role in ("viewer", "partner"):
            users.grant(
                RoleAssignmentRow(
                    user_id=user.id,
                    organisation_id=world.partner_b,
                    role=role,
                    granted_at=AT,
                    granted_by="test",
                )
            )
        assert users.roles(user.id) == ["partner", "viewer"]
        assert users.roles_of([user.id, other.id]) == {user.id: ["partner", "viewer"], other.id: []}
        assert users.revoke(user.id, "viewer") is True
        assert users.revoke(user.id, "viewer") is False
        assert users.roles(user.id) == ["partner"]


def test_a_user_is_found_by_address_in_any_case(engine: Engine) -> None:
    """One spelling per address is stored (unique on lower(email), migration 0026)."""
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        users = Users(session)
        ops = users.add(
            UserRow(
                organisation_id=world.partner_b, email="Ops@Bravo.Example", name="O", created_at=AT
            )
        )
        assert users.find_by_email("ops@bravo.example") is ops
        assert users.find_by_email("OPS@BRAVO.EXAMPLE") is ops
        assert users.find_by_email("Ops@Bravo.Example") is ops
        assert users.find_by_email("ops@bravo.example.org") is None
