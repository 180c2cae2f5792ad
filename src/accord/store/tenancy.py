"""Tenancy: every query on stored rows runs for a bound tenant, and sees only its data.

A ``Tenant`` is bound to a session (``bind_tenant``). Each ORM query then gets criteria added
for the tenant-scoped rows it touches (``with_loader_criteria``), wherever they appear in the
statement: agreement data is visible to the organisation that owns the agreement and to the
organisations linked to its parties; users, roles, tokens and sessions to their own
organisation (all of them for the operator, the company that runs Accord). A query in a
session without a bound tenant raises ``TenantNotBound``: forgetting the tenant fails closed.
``Tenant.system()`` is the explicit, named way to read across tenants (authentication,
migrations, the audit chain, operator commands).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria
from sqlalchemy.sql.elements import ColumnElement

from accord.store.tables import (
    AgreementPartyRow,
    AgreementRow,
    AgreementVersionRow,
    ApiTokenRow,
    CreditEntryRow,
    EvaluationRunRow,
    MeasurementBatchRow,
    OrganisationRow,
    RoleAssignmentRow,
    SessionRow,
    UserRow,
    VerdictRow,
)

__all__ = [
    "Tenant",
    "TenantNotBound",
    "TenantSession",
    "bind_tenant",
    "bound_tenant",
    "session_factory",
]

_KEY: Final = "accord_tenant"
_AGREEMENT_DATA: Final = (
    AgreementVersionRow,
    AgreementPartyRow,
    MeasurementBatchRow,
    EvaluationRunRow,
    VerdictRow,
    CreditEntryRow,
)
_PARTIES: Final = AgreementPartyRow.__table__
_AGREEMENTS: Final = AgreementRow.__table__
_USERS: Final = UserRow.__table__


class TenantNotBound(RuntimeError):
    """A query ran in a session that has no tenant bound: a programming error, never data."""


@dataclass(frozen=True)
class Tenant:
    """Whose data a session may see. ``organisation_id`` is ``None`` only for the system."""

    organisation_id: int | None
    operator: bool = False

    @classmethod
    def system(cls) -> Tenant:
        """Reads across all tenants: for authentication, operator commands and the audit chain."""
        return cls(None, operator=True)

    @property
    def is_system(self) -> bool:
        return self.organisation_id is None


def bind_tenant(session: Session, tenant: Tenant) -> None:
    session.info[_KEY] = tenant


def bound_tenant(session: Session) -> Tenant:
    tenant = session.info.get(_KEY)
    if not isinstance(tenant, Tenant):
        raise TenantNotBound("a query ran without a bound tenant; bind one with bind_tenant")
    return tenant


def _visible_agreements(organisation_id: int) -> Any:
    """Ids of the agreements an organisation owns or is a party to (plain tables, so the
    tenancy criteria do not apply to this subquery itself)."""
    owned = select(_AGREEMENTS.c.id).where(_AGREEMENTS.c.owner_organisation_id == organisation_id)
    party = select(_PARTIES.c.agreement_id).where(_PARTIES.c.organisation_id == organisation_id)
    return owned.union(party)


def _agreement_criteria(organisation_id: int) -> list[Any]:
    visible = _visible_agreements(organisation_id)
    criteria: list[Any] = [
        with_loader_criteria(AgreementRow, AgreementRow.id.in_(visible), include_aliases=True)
    ]
    for row in _AGREEMENT_DATA:
        column: ColumnElement[int] = row.__table__.c.agreement_id
        criteria.append(with_loader_criteria(row, column.in_(visible), include_aliases=True))
    return criteria


def _organisation_criteria(organisation_id: int) -> list[Any]:
    members = select(_USERS.c.id).where(_USERS.c.organisation_id == organisation_id)
    return [
        with_loader_criteria(
            OrganisationRow, OrganisationRow.id == organisation_id, include_aliases=True
        ),
        with_loader_criteria(UserRow, UserRow.organisation_id == organisation_id),
        with_loader_criteria(
            RoleAssignmentRow, RoleAssignmentRow.organisation_id == organisation_id
        ),
        with_loader_criteria(ApiTokenRow, ApiTokenRow.user_id.in_(members)),
        with_loader_criteria(SessionRow, SessionRow.user_id.in_(members)),
    ]


def _criteria(tenant: Tenant) -> list[Any]:
    if tenant.organisation_id is None:
        return []
    criteria = _agreement_criteria(tenant.organisation_id)
    if not tenant.operator:
        criteria += _organisation_criteria(tenant.organisation_id)
    return criteria


def _on_execute(state: ORMExecuteState) -> None:
    tenant = bound_tenant(state.session)
    if state.is_select or state.is_update or state.is_delete:
        criteria = _criteria(tenant)
        if criteria:
            state.statement = state.statement.options(*criteria)


class TenantSession(Session):
    """A session that enforces its bound tenant on every statement it executes."""


def session_factory(engine: Engine) -> sessionmaker[TenantSession]:
    """Sessions on ``engine`` that enforce tenancy; objects stay readable after commit."""
    if not event.contains(TenantSession, "do_orm_execute", _on_execute):
        event.listen(TenantSession, "do_orm_execute", _on_execute)
    return sessionmaker(engine, class_=TenantSession, expire_on_commit=False)
