"""Organisations (the company and its partners), users and their roles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.permissions import Permission, Principal, Role
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import OrganisationRow, RoleAssignmentRow, UserRow

__all__ = [
    "MAX_NAME",
    "CreateOrganisation",
    "CreateUser",
    "OrganisationKind",
    "OrganisationView",
    "Organisations",
    "UserView",
    "check_password",
    "get_organisation",
]

SLUG: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+")
MIN_PASSWORD: Final = 12
#: Hashing is deliberately slow; a megabyte-long password would make it a weapon.
MAX_PASSWORD: Final = 1024
MAX_NAME: Final = 200
MAX_EMAIL: Final = 320
#: Roles that fit only one kind of organisation.
_COMPANY_ROLES: Final = {Role.AGREEMENT_MANAGER}
_PARTNER_ROLES: Final = {Role.PARTNER}


class OrganisationKind(StrEnum):
    COMPANY = "company"
    PARTNER = "partner"


@dataclass(frozen=True)
class OrganisationView:
    slug: str
    name: str
    kind: OrganisationKind


@dataclass(frozen=True)
class UserView:
    email: str
    name: str
    organisation: str
    roles: list[Role]
    #: Disabled by an admin: no sign-in, token or session works.
    disabled: bool = False


@dataclass(frozen=True, kw_only=True)
class CreateOrganisation:
    slug: str
    name: str
    kind: OrganisationKind = OrganisationKind.PARTNER


@dataclass(frozen=True, kw_only=True)
class CreateUser:
    organisation: str
    email: str
    name: str
    roles: Sequence[Role] = field(default_factory=list)
    #: ``None``: the user signs in with API tokens only.
    password: str | None = None


def organisation_view(row: OrganisationRow) -> OrganisationView:
    return OrganisationView(row.slug, row.name, OrganisationKind(row.kind))


def get_organisation(uow: UnitOfWork, slug: str) -> OrganisationRow:
    row = uow.organisations.find_by_slug(slug)
    if row is None:
        raise NotFound(f"no organisation {slug!r}")
    return row


#: Passwords people reach for first; each is refused whatever its case.
_COMMON: Final = frozenset(
    {
        "password1234",
        "passwort1234",
        "123456789012",
        "1234567890123",
        "qwertyuiopas",
        "qwertzuiopas",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "administrator",
        "changeme1234",
        "correcthorsebatterystaple",
    }
)


def check_password(password: str, email: str) -> None:
    """The minimum policy (NIST SP 800-63B §5.1.1.2: length over composition rules): at
    least ``MIN_PASSWORD`` characters and at most ``MAX_PASSWORD``, at least five different
    characters, not the e-mail address or its name part, not a well-known password."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"a password has at most {MAX_PASSWORD} characters")
    folded = password.casefold()
    name = email.split("@", maxsplit=1)[0].casefold()
    if len(set(folded)) < 5:
        raise Invalid("a password needs at least five different characters")
    if (
        folded in _COMMON
        or folded in (email.casefold(), name)
        or (len(name) >= 4 and name in folded)
    ):
        raise Invalid("this password is too easy to guess: it is well known or holds the e-mail")


def _check_name(name: str, what: str) -> None:
    if not name.strip():
        raise Invalid(f"{what} needs a name")
    if len(name) > MAX_NAME:
        raise Invalid(f"the name of {what} has more than {MAX_NAME} characters")


def _check_user(command: CreateUser, kind: OrganisationKind) -> None:
    if len(command.email) > MAX_EMAIL or not _EMAIL.fullmatch(command.email):
        raise Invalid(f"{command.email[:MAX_EMAIL]!r} is not an e-mail address")
    _check_name(command.name, "a user")
    if command.password is not None:
        check_password(command.password, command.email)
    misplaced = _COMPANY_ROLES if kind is OrganisationKind.PARTNER else _PARTNER_ROLES
    wrong = sorted(role.value for role in command.roles if role in misplaced)
    if wrong:
        raise Invalid(f"role(s) {', '.join(wrong)} do not apply in a {kind.value} organisation")


class Organisations:
    """Use cases on organisations, users and roles."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def create_organisation(
        self, principal: Principal, command: CreateOrganisation
    ) -> OrganisationView:
        """The company is created once, by the console; partners by the company's admins."""
        principal.require(Permission.ADMINISTER)
        if not principal.company:
            raise Forbidden("only the company's admins create organisations")
        if not SLUG.fullmatch(command.slug):
            raise Invalid(
                f"{command.slug!r} is not a usable organisation id: "
                "lowercase letters, digits and '-', at most 63"
            )
        _check_name(command.name, "an organisation")
        with self._context.uow(principal, write=True) as uow:
            uow.serialise("organisations")
            if command.kind is OrganisationKind.COMPANY and uow.organisations.find_company():
                raise Conflict("there already is a company organisation; there can be only one")
            if principal.organisation_id is not None and command.kind is OrganisationKind.COMPANY:
                raise Forbidden("the company organisation is created from the console")
            if uow.organisations.find_by_slug(command.slug) is not None:
                raise Conflict(f"organisation {command.slug!r} exists already")
            row = uow.organisations.add(
                OrganisationRow(
                    slug=command.slug,
                    name=command.name.strip(),
                    kind=command.kind.value,
                    created_at=uow.now(),
                )
            )
            view = organisation_view(row)
            uow.audit("organisation.created", "organisation", row.slug, after=_plain(view))
            uow.commit()
        return view

    def organisations(self, principal: Principal) -> list[OrganisationView]:
        """The organisations the principal sees: all for the company, its own otherwise."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return [organisation_view(row) for row in uow.organisations.all()]

    def organisation(self, principal: Principal, slug: str) -> OrganisationView:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return organisation_view(get_organisation(uow, slug))

    def create_user(self, principal: Principal, command: CreateUser) -> UserView:
        principal.require(Permission.ADMINISTER)
        with self._context.uow(principal, write=True) as uow:
            organisation = get_organisation(uow, command.organisation)
            _check_user(command, OrganisationKind(organisation.kind))
            if not principal.company:
                self._check_domain(command.email, organisation.id)
            if uow.users.find_by_email(command.email) is not None:
                raise Conflict(f"user {command.email!r} exists already")
            password_hash = (
                None if command.password is None else self._context.passwords.hash(command.password)
            )
            user = uow.users.add(
                UserRow(
                    organisation_id=organisation.id,
                    email=command.email,
                    name=command.name.strip(),
                    password_hash=password_hash,
                    created_at=uow.now(),
                )
            )
            for role in sorted(set(command.roles)):
                self._grant(uow, user, organisation, role)
            view = UserView(user.email, user.name, organisation.slug, sorted(set(command.roles)))
            uow.audit("user.created", "user", user.email, after=_plain(view))
            uow.commit()
        return view

    def grant_role(self, principal: Principal, email: str, role: Role) -> UserView:
        principal.require(Permission.ADMINISTER)
        with self._context.uow(principal, write=True) as uow:
            user = self._user(uow, email)
            organisation = uow.organisations.find(user.organisation_id)
            assert organisation is not None
            command = CreateUser(organisation="", email=email, name=user.name, roles=[role])
            _check_user(command, OrganisationKind(organisation.kind))
            before = sorted(Role(r) for r in uow.users.roles(user.id))
            if role not in before:
                self._grant(uow, user, organisation, role)
            view = UserView(user.email, user.name, organisation.slug, sorted({*before, role}))
            uow.audit(
                "role.granted", "user", email, before={"roles": before}, after={"roles": view.roles}
            )
            uow.commit()
        return view

    def revoke_role(self, principal: Principal, email: str, role: Role) -> UserView:
        """Take one role from a user (the admin's own organisation's, or any for the company)."""
        principal.require(Permission.ADMINISTER)
        with self._context.uow(principal, write=True) as uow:
            user = self._user(uow, email)
            before = _roles(uow.users.roles(user.id))
            if not uow.users.revoke(user.id, role.value):
                raise NotFound(f"{email} does not hold the role {role.value}")
            view = self._view(uow, user)
            uow.audit(
                "role.revoked", "user", email, before={"roles": before}, after={"roles": view.roles}
            )
            uow.commit()
        return view

    def disable_user(self, principal: Principal, email: str) -> UserView:
        """No sign-in, token or session of the user works until it is enabled; its sessions
        end now."""
        principal.require(Permission.ADMINISTER)
        if email == principal.name:
            raise Invalid("an admin cannot disable itself")
        with self._context.uow(principal, write=True) as uow:
            user = self._user(uow, email)
            if user.disabled_at is None:
                user.disabled_at = uow.now()
            ended = uow.tokens.end_sessions(user.id, uow.now())
            view = self._view(uow, user)
            uow.audit("user.disabled", "user", email, after={"sessions_ended": ended})
            uow.commit()
        return view

    def enable_user(self, principal: Principal, email: str) -> UserView:
        principal.require(Permission.ADMINISTER)
        with self._context.uow(principal, write=True) as uow:
            user = self._user(uow, email)
            user.disabled_at = None
            view = self._view(uow, user)
            uow.audit("user.enabled", "user", email)
            uow.commit()
        return view

    def reset_password(self, principal: Principal, email: str, password: str) -> UserView:
        """An admin sets a user's password (held to the policy); the user's sessions end."""
        principal.require(Permission.ADMINISTER)
        check_password(password, email)
        with self._context.uow(principal, write=True) as uow:
            user = self._user(uow, email)
            user.password_hash = self._context.passwords.hash(password)
            ended = uow.tokens.end_sessions(user.id, uow.now())
            view = self._view(uow, user)
            uow.audit("password.reset", "user", email, after={"sessions_ended": ended})
            uow.commit()
        return view

    def _view(self, uow: UnitOfWork, user: UserRow) -> UserView:
        organisation = uow.organisations.find(user.organisation_id)
        assert organisation is not None
        return UserView(
            user.email,
            user.name,
            organisation.slug,
            _roles(uow.users.roles(user.id)),
            disabled=user.disabled_at is not None,
        )

    def users(self, principal: Principal, organisation: str | None = None) -> list[UserView]:
        principal.require(Permission.ADMINISTER)
        with self._context.uow(principal) as uow:
            organisation_id = get_organisation(uow, organisation).id if organisation else None
            rows = uow.users.all(organisation_id)
            roles = uow.users.roles_of([row.id for row in rows])
            slugs = {o.id: o.slug for o in uow.organisations.all()}
            return [
                UserView(
                    row.email,
                    row.name,
                    slugs[row.organisation_id],
                    _roles(roles[row.id]),
                    disabled=row.disabled_at is not None,
                )
                for row in rows
            ]

    def me(self, principal: Principal) -> UserView:
        with self._context.uow(principal) as uow:
            if principal.user_id is None:
                return UserView(principal.name, principal.name, "", [])
            user = uow.users.find(principal.user_id)
            if user is None:
                raise NotFound("no such user")
            organisation = uow.organisations.find(user.organisation_id)
            assert organisation is not None
            return UserView(
                user.email, user.name, organisation.slug, _roles(uow.users.roles(user.id))
            )

    def _check_domain(self, email: str, organisation_id: int) -> None:
        """A partner's admin creates users only at e-mail domains no other organisation uses:
        so it cannot make a user at the company's domain, and its answer is the same whether
        or not an address exists in another organisation (it may not learn which)."""
        domain = email.rsplit("@", 1)[-1]
        with self._context.uow(_SYSTEM) as uow:
            taken = uow.users.domain_used_elsewhere(domain, organisation_id)
        if taken:
            raise Invalid(
                f"addresses at {domain} belong to another organisation; "
                "ask the company's admins to create this user"
            )

    def _user(self, uow: UnitOfWork, email: str) -> UserRow:
        user = uow.users.find_by_email(email)
        if user is None:
            raise NotFound(f"no user {email!r}")
        return user

    def _grant(
        self, uow: UnitOfWork, user: UserRow, organisation: OrganisationRow, role: Role
    ) -> None:
        uow.users.grant(
            RoleAssignmentRow(
                user_id=user.id,
                organisation_id=organisation.id,
                role=role.value,
                granted_at=uow.now(),
                granted_by=uow.principal.name,
            )
        )


#: Reads across tenants (whose domain is this?), and may do nothing else.
_SYSTEM: Final = Principal("system", None, None, company=True, permissions=frozenset())


def _roles(names: Sequence[str]) -> list[Role]:
    return sorted(Role(name) for name in names)


def _plain(view: OrganisationView | UserView) -> dict[str, object]:
    if isinstance(view, OrganisationView):
        return {"slug": view.slug, "name": view.name, "kind": view.kind.value}
    return {
        "email": view.email,
        "name": view.name,
        "organisation": view.organisation,
        "roles": [role.value for role in view.roles],
    }
