"""Roles grant permissions; the company-only ones (manage agreements, evaluate, restate,
claim and adjust credits, audit) never reach a partner's user whatever its roles; the
console holds every permission across every tenant."""

from __future__ import annotations

import pytest

from accord.services.errors import Forbidden
from accord.services.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    Principal,
    Role,
    permissions_of,
)
from accord.store.tenancy import Tenant

COMPANY_ONLY = {
    Permission.MANAGE_AGREEMENTS,
    Permission.AUDIT,
    Permission.EVALUATE,
    Permission.RESTATE,
    Permission.CLAIM_CREDITS,
    Permission.ADJUST_CREDITS,
}


def test_an_admin_holds_every_permission_at_the_company() -> None:
    assert permissions_of({Role.ADMIN}, company=True) == frozenset(Permission)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_gives_a_partner_a_company_only_permission(role: Role) -> None:
    granted = permissions_of({role}, company=False)
    assert not granted & COMPANY_ONLY
    assert granted == ROLE_PERMISSIONS[role] - COMPANY_ONLY


def test_roles_add_up() -> None:
    both = permissions_of({Role.AUDITOR, Role.PARTNER}, company=True)
    assert both == ROLE_PERMISSIONS[Role.AUDITOR] | ROLE_PERMISSIONS[Role.PARTNER]
    assert Permission.AUDIT in both
    assert permissions_of(set(), company=True) == frozenset()


def test_a_partner_answers_claims_and_the_company_s_manager_claims_them() -> None:
    partner = permissions_of({Role.PARTNER}, company=False)
    manager = permissions_of({Role.AGREEMENT_MANAGER}, company=True)
    assert Permission.ANSWER_CLAIMS in partner
    assert Permission.CLAIM_CREDITS not in partner
    assert Permission.CLAIM_CREDITS in manager
    assert Permission.ANSWER_CLAIMS not in manager
    assert Permission.PREVIEW in partner
    assert Permission.EVALUATE not in partner


def test_a_principal_is_refused_what_it_lacks_by_name() -> None:
    viewer = Principal(
        "viewer@acme.example", 7, 1, company=True, permissions=ROLE_PERMISSIONS[Role.VIEWER]
    )
    assert viewer.can(Permission.READ)
    viewer.require(Permission.READ)
    assert not viewer.can(Permission.PUSH)
    with pytest.raises(
        Forbidden, match=r"viewer@acme\.example lacks the permission 'measurements:push'"
    ):
        viewer.require(Permission.PUSH)


def test_a_principal_s_tenant_is_its_organisation_or_the_system() -> None:
    partner = Principal("p", 3, 2, company=False, permissions=frozenset())
    staff = Principal("s", 4, 1, company=True, permissions=frozenset())
    assert partner.tenant == Tenant(2, operator=False)
    assert staff.tenant == Tenant(1, operator=True)
    console = Principal.console("worker")
    assert (console.name, console.tenant) == ("worker", Tenant.system())
    assert console.permissions == frozenset(Permission)
