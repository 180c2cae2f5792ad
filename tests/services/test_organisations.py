"""Organisations, users and roles: who may create what, and every change is audited."""

from __future__ import annotations

import pytest

from accord.services.container import Services
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.organisations import CreateOrganisation, CreateUser, OrganisationKind
from accord.services.permissions import Permission, Role
from tests.services.world import CONSOLE, World


def test_the_console_creates_the_one_company(services: Services) -> None:
    created = services.organisations.create_organisation(
        CONSOLE, CreateOrganisation(slug="acme", name="Acme", kind=OrganisationKind.COMPANY)
    )
    assert created.kind is OrganisationKind.COMPANY
    with pytest.raises(Conflict, match="only one"):
        services.organisations.create_organisation(
            CONSOLE, CreateOrganisation(slug="other", name="O", kind=OrganisationKind.COMPANY)
        )


def test_the_company_admin_creates_partner_organisations(world: World) -> None:
    admin = world.principal("admin@acme.example")
    created = world.services.organisations.create_organisation(
        admin, CreateOrganisation(slug="delta", name="Delta Logistics")
    )
    assert created.kind is OrganisationKind.PARTNER
    assert "delta" in [o.slug for o in world.services.organisations.organisations(admin)]


def test_a_partner_admin_cannot_create_organisations(world: World) -> None:
    with pytest.raises(Forbidden):
        world.services.organisations.create_organisation(
            world.principal("admin@bravo.example"), CreateOrganisation(slug="x", name="X")
        )


def test_an_organisation_id_must_be_usable_in_urls(world: World) -> None:
    with pytest.raises(Invalid, match="not a usable organisation id"):
        world.services.organisations.create_organisation(
            CONSOLE, CreateOrganisation(slug="Has Spaces", name="X")
        )


def test_a_duplicate_organisation_is_a_conflict(world: World) -> None:
    with pytest.raises(Conflict, match="exists already"):
        world.services.organisations.create_organisation(
            CONSOLE, CreateOrganisation(slug="bravo", name="Bravo again")
        )


def test_a_partner_sees_only_its_own_organisation(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    assert [o.slug for o in world.services.organisations.organisations(partner)] == ["bravo"]
    with pytest.raises(NotFound):
        world.services.organisations.organisation(partner, "charlie")


def test_a_partner_admin_manages_only_its_own_users(world: World) -> None:
    admin = world.principal("admin@bravo.example")
    users = world.services.organisations.users(admin)
    assert {u.organisation for u in users} == {"bravo"}
    with pytest.raises(NotFound):
        world.services.organisations.create_user(
            admin, CreateUser(organisation="charlie", email="x@charlie.example", name="X")
        )
    with pytest.raises(NotFound):
        world.services.organisations.grant_role(admin, "partner@charlie.example", Role.VIEWER)


def test_a_user_gets_roles_that_fit_its_organisation(world: World) -> None:
    admin = world.principal("admin@acme.example")
    with pytest.raises(Invalid, match="partner do not apply in a company"):
        world.services.organisations.create_user(
            admin,
            CreateUser(organisation="acme", email="p@acme.example", name="P", roles=[Role.PARTNER]),
        )
    with pytest.raises(Invalid, match="agreement_manager do not apply in a partner"):
        world.services.organisations.grant_role(
            admin, "partner@bravo.example", Role.AGREEMENT_MANAGER
        )


def test_a_short_password_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match="at least 12"):
        world.services.organisations.create_user(
            CONSOLE,
            CreateUser(organisation="acme", email="s@acme.example", name="S", password="short"),
        )


def test_a_granted_role_widens_what_the_user_may_do(world: World) -> None:
    admin = world.principal("admin@acme.example")
    updated = world.services.organisations.grant_role(admin, "viewer@acme.example", Role.AUDITOR)
    assert updated.roles == [Role.AUDITOR, Role.VIEWER]
    # A token made before the grant keeps its scopes; a new one gets the audit permission.
    assert not world.principal("viewer@acme.example").can(Permission.AUDIT)


def test_a_viewer_cannot_list_users(world: World) -> None:
    with pytest.raises(Forbidden):
        world.services.organisations.users(world.principal("viewer@acme.example"))


def test_me_describes_the_signed_in_user(world: World) -> None:
    me = world.services.organisations.me(world.principal("partner@bravo.example"))
    assert (me.email, me.organisation, me.roles) == (
        "partner@bravo.example",
        "bravo",
        [Role.PARTNER],
    )


def test_creating_organisations_and_users_is_audited(world: World) -> None:
    entries = world.services.audit.entries(CONSOLE, limit=1000)
    actions = [e["action"] for e in entries]
    assert actions.count("organisation.created") == 3
    assert actions.count("user.created") == 8
    created = next(e for e in entries if e["entity_id"] == "partner@bravo.example")
    assert created["after"]["roles"] == ["partner"]
    assert "password" not in str(created)


@pytest.mark.parametrize(
    "email", ["new@acme.example", "partner@charlie.example", "nobody@charlie.example"]
)
def test_a_partner_admin_cannot_create_users_at_another_organisation_s_domain(
    world: World, email: str
) -> None:
    """The same answer whether or not the address exists elsewhere: nothing is learnt."""
    command = CreateUser(organisation="bravo", email=email, name="X", roles=[Role.PARTNER])
    with pytest.raises(Invalid) as refused:
        world.services.organisations.create_user(world.principal("admin@bravo.example"), command)
    domain = email.split("@")[1]
    assert refused.value.message == (
        f"addresses at {domain} belong to another organisation; "
        "ask the company's admins to create this user"
    )


def test_a_partner_admin_creates_users_at_its_own_domain(world: World) -> None:
    command = CreateUser(
        organisation="bravo", email="ops@bravo.example", name="Ops", roles=[Role.PARTNER]
    )
    created = world.services.organisations.create_user(
        world.principal("admin@bravo.example"), command
    )
    assert created.organisation == "bravo"


def test_partners_see_company_staff_by_role_not_by_e_mail(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    version = world.services.portfolio.agreement(partner, "acme-bravo").versions[0]
    assert version.uploaded_by == "company staff"
    company = world.principal("viewer@acme.example")
    company_view = world.services.portfolio.agreement(company, "acme-bravo").versions[0]
    assert company_view.uploaded_by == "manager@acme.example"
