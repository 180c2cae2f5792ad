"""Signing in: API tokens and password sessions, and turning either into a ``Principal``.

A token or session secret is shown once, when it is made; only its SHA-256 is stored, so a
copy of the database lets no one sign in. Tokens carry scopes (a subset of what their user's
roles allow), expire, and can be revoked. Passwords are checked against argon2 hashes.
Every failure to authenticate gives the same answer, whatever the reason.

Guessing is throttled (``throttle``): five wrong passwords for one account, or twenty failed
sign-ins or unknown tokens or sessions from one client address, and each further attempt
waits a doubling time (429 with ``Retry-After``) before it is even checked. Every failed
sign-in is in the audit trail (``session.refused``, with the client address and why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, NoReturn

from argon2.exceptions import InvalidHashError, VerificationError

from accord.services.errors import Forbidden, Invalid, NotFound, Throttled, Unauthenticated
from accord.services.organisations import MAX_NAME, check_password
from accord.services.permissions import Permission, Principal, Role, permissions_of
from accord.services.throttle import Throttle, ThrottlePolicy
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import ApiTokenRow, SessionRow, UserRow

__all__ = ["CreateToken", "Credentials", "NewSession", "NewToken", "SessionView", "TokenView"]

_TOKEN_PREFIX: Final = "acc_"
_REFUSED: Final = "invalid, expired or revoked credentials"
#: How much of a sign-in's e-mail keys its throttle and audit entry (the entity id's width).
_ACCOUNT_KEY: Final = 200


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class CreateToken:
    name: str
    #: ``None``: everything the user's roles allow.
    scopes: Sequence[Permission] | None = None
    #: ``None``: the configured token lifetime.
    ttl: dt.timedelta | None = None
    #: Another user's e-mail (admins only); ``None``: the principal's own token.
    user: str | None = None


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    user: str
    scopes: list[Permission]
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    #: Who made the token (None: made before this was recorded).
    created_by: str | None = None


@dataclass(frozen=True)
class SessionView:
    """An open sign-in session (its secret is never shown again)."""

    id: int
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` is shown now and never again."""

    token: TokenView
    secret: str


@dataclass(frozen=True)
class NewSession:
    secret: str
    expires_at: dt.datetime


def _token_view(row: ApiTokenRow, email: str) -> TokenView:
    return TokenView(
        id=row.id,
        name=row.name,
        user=email,
        scopes=[Permission(scope) for scope in row.scopes.split()],
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        created_by=row.created_by,
    )


class Credentials:
    """Tokens, sessions and authentication."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        # Checked against when the e-mail is unknown, so that the answer takes as long.
        self._decoy = context.passwords.hash(secrets.token_hex(16))
        self._accounts = Throttle(ThrottlePolicy(free_failures=5))
        self._addresses = Throttle(ThrottlePolicy(free_failures=20))

    def _throttled(self, *keys: tuple[Throttle, str | None]) -> None:
        """Refuse (``Throttled``) while any of the keys must still wait."""
        now = self._context.clock.now()
        waits = [
            wait
            for throttle, key in keys
            if key is not None and (wait := throttle.retry_after(key, now)) is not None
        ]
        if waits:
            seconds = max(1, math.ceil(max(waits).total_seconds()))
            raise Throttled(f"too many failed attempts: try again in {seconds} s", seconds)

    def _failed(self, *keys: tuple[Throttle, str | None]) -> None:
        now = self._context.clock.now()
        for throttle, key in keys:
            if key is not None:
                throttle.failed(key, now)

    def create_token(self, principal: Principal, command: CreateToken) -> NewToken:
        if not command.name.strip() or len(command.name) > MAX_NAME:
            raise Invalid(f"a token needs a name of at most {MAX_NAME} characters")
        secret = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._context.uow(principal, write=True) as uow:
            user = self._owner(uow, principal, command.user)
            allowed = self._permissions(uow, user)
            scopes = allowed if command.scopes is None else frozenset(command.scopes)
            if not scopes <= allowed:
                extra = ", ".join(sorted(scope.value for scope in scopes - allowed))
                raise Invalid(f"{user.email} may not hold the scope(s) {extra}")
            now = uow.now()
            ttl = command.ttl or self._context.limits.token_ttl
            if ttl <= dt.timedelta(0):
                raise Invalid("a token must live for some time")
            row = uow.tokens.add(
                ApiTokenRow(
                    user_id=user.id,
                    name=command.name.strip(),
                    secret_sha256=_digest(secret),
                    scopes=" ".join(sorted(scope.value for scope in scopes)),
                    created_at=now,
                    expires_at=now + ttl,
                    revoked_at=None,
                    created_by=principal.name,
                )
            )
            view = _token_view(row, user.email)
            uow.audit("token.created", "token", row.id, after=_token_record(view))
            uow.commit()
        return NewToken(view, secret)

    def tokens(self, principal: Principal) -> list[TokenView]:
        """The principal's own tokens (secrets are never shown again)."""
        if principal.user_id is None:
            return []
        with self._context.uow(principal) as uow:
            return [_token_view(row, principal.name) for row in uow.tokens.all(principal.user_id)]

    def revoke_token(self, principal: Principal, token_id: int) -> TokenView:
        """Own tokens, or (admins) any token of a user the principal sees."""
        with self._context.uow(principal, write=True) as uow:
            row = uow.tokens.find(token_id)
            if row is None or (
                row.user_id != principal.user_id and not principal.can(Permission.ADMINISTER)
            ):
                raise NotFound(f"no token {token_id}")
            user = uow.users.find(row.user_id)
            assert user is not None
            before = _token_record(_token_view(row, user.email))
            if row.revoked_at is None:
                uow.tokens.revoke(row, uow.now())
            # A revoked token must not leave its user signed in through a session either.
            ended = uow.tokens.end_sessions(row.user_id, uow.now())
            view = _token_view(row, user.email)
            uow.audit(
                "token.revoked",
                "token",
                row.id,
                before=before,
                after={**_token_record(view), "sessions_ended": ended},
            )
            uow.commit()
        return view

    def authenticate_token(self, secret: str, client: str | None = None) -> Principal:
        """The principal of an API token; ``client`` (its address) is throttled on failures."""
        self._throttled((self._addresses, client))
        with self._context.uow(_SYSTEM) as uow:
            row = uow.tokens.find_by_hash(_digest(secret))
            if row is None or row.revoked_at is not None or row.expires_at <= uow.now():
                self._failed((self._addresses, client))
                raise Unauthenticated(_REFUSED)
            scopes = frozenset(Permission(scope) for scope in row.scopes.split())
            principal = self._principal(uow, row.user_id, scopes, row.id)
            if principal is None:
                self._failed((self._addresses, client))
                raise Unauthenticated(_REFUSED)
            return principal

    def acting_as(self, principal: Principal, email: str) -> Principal:
        """The operator at the console records an act for a user (``accord amend --as``): the
        user's own principal, with the user's permissions and no more."""
        if principal.organisation_id is not None or not principal.can(Permission.ADMINISTER):
            raise Forbidden("only the operator at the console acts for a user")
        with self._context.uow(principal) as uow:
            user = uow.users.find_by_email(email.strip().lower())
            acting = None if user is None else self._principal(uow, user.id, None)
        if acting is None:
            raise NotFound(f"no active user {email!r}")
        return acting

    def login(self, email: str, password: str, client: str | None = None) -> NewSession:
        """A session for a password sign-in; ``client`` is the caller's address."""
        account = email.strip().lower()[:_ACCOUNT_KEY]
        keys = ((self._accounts, account), (self._addresses, client))
        self._throttled(*keys)
        secret = secrets.token_urlsafe(32)
        with self._context.uow(_system(account), write=True) as uow:
            user = uow.users.find_by_email(email)
            if user is None or user.password_hash is None:
                self._check_password(self._decoy, password)
                self._refuse(uow, account, client, "unknown account or no password", keys)
            if user.disabled_at is not None:
                self._check_password(self._decoy, password)
                self._refuse(uow, account, client, "user disabled", keys)
            if not self._check_password(user.password_hash, password):
                self._refuse(uow, account, client, "wrong password", keys)
            self._accounts.succeeded(account)
            now = uow.now()
            row = uow.tokens.add_session(
                SessionRow(
                    user_id=user.id,
                    secret_sha256=_digest(secret),
                    created_at=now,
                    expires_at=now + self._context.limits.session_ttl,
                    revoked_at=None,
                )
            )
            uow.audit("session.started", "session", row.id, after={"user": user.email})
            uow.commit()
            return NewSession(secret, row.expires_at)

    def _refuse(
        self,
        uow: UnitOfWork,
        account: str,
        client: str | None,
        reason: str,
        keys: tuple[tuple[Throttle, str | None], ...],
    ) -> NoReturn:
        """Record a failed sign-in (audit trail and throttles), then refuse it."""
        uow.audit("session.refused", "user", account, after={"client": client, "reason": reason})
        uow.commit()
        self._failed(*keys)
        raise Unauthenticated(_REFUSED)

    def authenticate_session(self, secret: str, client: str | None = None) -> Principal:
        """The principal of a session; ``client`` (its address) is throttled on failures."""
        self._throttled((self._addresses, client))
        with self._context.uow(_SYSTEM) as uow:
            row = uow.tokens.find_session(_digest(secret))
            if row is None or row.revoked_at is not None or row.expires_at <= uow.now():
                self._failed((self._addresses, client))
                raise Unauthenticated(_REFUSED)
            principal = self._principal(uow, row.user_id, None)
            if principal is None:
                raise Unauthenticated(_REFUSED)
            return principal

    def logout(self, secret: str) -> None:
        with self._context.uow(_SYSTEM, write=True) as uow:
            row = uow.tokens.find_session(_digest(secret))
            if row is None or row.revoked_at is not None:
                return
            uow.tokens.end_session(row, uow.now())
            uow.audit("session.ended", "session", row.id)
            uow.commit()

    def sessions(self, principal: Principal) -> list[SessionView]:
        """The principal's own open sessions."""
        if principal.user_id is None:
            return []
        with self._context.uow(principal) as uow:
            rows = uow.tokens.sessions(principal.user_id, uow.now())
            return [SessionView(row.id, row.created_at, row.expires_at) for row in rows]

    def end_session(self, principal: Principal, session_id: int) -> None:
        """End one of the principal's sessions (admins: of a user they administer)."""
        with self._context.uow(principal, write=True) as uow:
            row = uow.tokens.get_session(session_id)
            if row is None or (
                row.user_id != principal.user_id and not principal.can(Permission.ADMINISTER)
            ):
                raise NotFound(f"no session {session_id}")
            if row.revoked_at is None:
                uow.tokens.end_session(row, uow.now())
                uow.audit("session.ended", "session", row.id)
                uow.commit()

    def change_password(self, principal: Principal, current: str, new: str) -> None:
        """The principal's own password, given the current one; every session ends."""
        if principal.user_id is None:
            raise Invalid("the console has no password")
        with self._context.uow(principal, write=True) as uow:
            user = uow.users.find(principal.user_id)
            assert user is not None
            if user.password_hash is None or not self._check_password(user.password_hash, current):
                raise Forbidden("the current password is not right")
            check_password(new, user.email)
            user.password_hash = self._context.passwords.hash(new)
            ended = uow.tokens.end_sessions(user.id, uow.now())
            uow.audit("password.changed", "user", user.email, after={"sessions_ended": ended})
            uow.commit()

    def _check_password(self, password_hash: str, password: str) -> bool:
        try:
            return self._context.passwords.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _owner(self, uow: UnitOfWork, principal: Principal, email: str | None) -> UserRow:
        if email is None:
            if principal.user_id is None:
                raise Invalid("the console holds no tokens; name the user the token is for")
            user = uow.users.find(principal.user_id)
        else:
            user = uow.users.find_by_email(email)
            if user is not None and user.id != principal.user_id:
                principal.require(Permission.ADMINISTER)
                if (
                    principal.user_id is not None
                    and user.organisation_id != principal.organisation_id
                ):
                    # Else the company's admin could push data "as" a partner.
                    raise Forbidden(
                        "only an admin of the user's own organisation makes tokens for it"
                    )
        if user is None:
            raise NotFound(f"no user {email!r}")
        return user

    def _permissions(self, uow: UnitOfWork, user: UserRow) -> frozenset[Permission]:
        organisation = uow.organisations.find(user.organisation_id)
        assert organisation is not None
        roles = {Role(role) for role in uow.users.roles(user.id)}
        return permissions_of(roles, company=organisation.kind == "company")

    def _principal(
        self,
        uow: UnitOfWork,
        user_id: int,
        scopes: frozenset[Permission] | None,
        token_id: int | None = None,
    ) -> Principal | None:
        """The user's principal; None when the user is gone or disabled."""
        user = uow.users.find(user_id)
        if user is None or user.disabled_at is not None:
            return None
        organisation = uow.organisations.find(user.organisation_id)
        assert organisation is not None
        permissions = self._permissions(uow, user)
        return Principal(
            name=user.email,
            user_id=user.id,
            organisation_id=organisation.id,
            company=organisation.kind == "company",
            permissions=permissions if scopes is None else permissions & scopes,
            token_id=token_id,
        )


def _system(name: str) -> Principal:
    """Reads across tenants, to find whose credentials these are; may do nothing else."""
    return Principal(name, None, None, company=True, permissions=frozenset())


_SYSTEM: Final = _system("system")


def _token_record(view: TokenView) -> dict[str, object]:
    return {
        "name": view.name,
        "user": view.user,
        "scopes": [scope.value for scope in view.scopes],
        "expires_at": view.expires_at.isoformat(),
        "revoked_at": view.revoked_at.isoformat() if view.revoked_at else None,
        "created_by": view.created_by,
    }
