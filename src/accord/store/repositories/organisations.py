"""Organisations and their users with roles."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from accord.store.tables import (
    OrganisationRow,
    RoleAssignmentRow,
    UserRow,
)

__all__ = ["Organisations", "Users"]


class Organisations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: OrganisationRow) -> OrganisationRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, organisation_id: int) -> OrganisationRow | None:
        return self._session.get(OrganisationRow, organisation_id)

    def find_by_slug(self, slug: str) -> OrganisationRow | None:
        return self._session.scalar(select(OrganisationRow).where(OrganisationRow.slug == slug))

    def find_company(self) -> OrganisationRow | None:
        """The organisation that runs Accord (there is at most one)."""
        return self._session.scalar(
            select(OrganisationRow).where(OrganisationRow.kind == "company")
        )

    def all(self) -> Sequence[OrganisationRow]:
        return self._session.scalars(select(OrganisationRow).order_by(OrganisationRow.slug)).all()

    def by_ids(self, ids: set[int]) -> dict[int, OrganisationRow]:
        rows = self._session.scalars(select(OrganisationRow).where(OrganisationRow.id.in_(ids)))
        return {row.id: row for row in rows}


class Users:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: UserRow) -> UserRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, user_id: int) -> UserRow | None:
        return self._session.get(UserRow, user_id)

    def find_by_email(self, email: str) -> UserRow | None:
        """The user with this address written in any case. An address is stored in one
        spelling (unique on ``lower(email)``), but SQLite's ``lower`` folds only ASCII
        letters: the exact spelling is matched too, and preferred."""
        query = (
            select(UserRow)
            .where(or_(UserRow.email == email, func.lower(UserRow.email) == email.lower()))
            .order_by(case((UserRow.email == email, 0), else_=1), UserRow.id)
        )
        return self._session.scalar(query.limit(1))

    def domain_used_elsewhere(self, domain: str, organisation_id: int) -> bool:
        """Whether users of another organisation have e-mail addresses at ``domain``."""
        query = select(UserRow.id).where(
            func.lower(UserRow.email).endswith("@" + domain.lower(), autoescape=True),
            UserRow.organisation_id != organisation_id,
        )
        return self._session.scalar(query.limit(1)) is not None

    def all(self, organisation_id: int | None = None) -> Sequence[UserRow]:
        query = select(UserRow).order_by(UserRow.email)
        if organisation_id is not None:
            query = query.where(UserRow.organisation_id == organisation_id)
        return self._session.scalars(query).all()

    def grant(self, row: RoleAssignmentRow) -> RoleAssignmentRow:
        self._session.add(row)
        self._session.flush()
        return row

    def revoke(self, user_id: int, role: str) -> bool:
        """Remove one role of a user; whether it had it."""
        found = self._session.scalar(
            select(RoleAssignmentRow).where(
                RoleAssignmentRow.user_id == user_id, RoleAssignmentRow.role == role
            )
        )
        if found is None:
            return False
        self._session.delete(found)
        self._session.flush()
        return True

    def roles(self, user_id: int) -> list[str]:
        query = (
            select(RoleAssignmentRow.role)
            .where(RoleAssignmentRow.user_id == user_id)
            .order_by(RoleAssignmentRow.role)
        )
        return list(self._session.scalars(query))

    def roles_of(self, user_ids: Sequence[int]) -> dict[int, list[str]]:
        query = (
            select(RoleAssignmentRow.user_id, RoleAssignmentRow.role)
            .where(RoleAssignmentRow.user_id.in_(user_ids))
            .order_by(RoleAssignmentRow.role)
        )
        found: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
        for user_id, role in self._session.execute(query):
            found[user_id].append(role)
        return found
