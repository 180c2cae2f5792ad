"""Tokens and sessions in the store, found by the SHA-256 of their secret: a user's open
sessions are those neither ended nor expired, and ending them all says how many there were.
Credentials are reached through their user: a partner never finds another's."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.store.repositories import Tokens, Users
from accord.store.tables import ApiTokenRow, SessionRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed

HOUR = dt.timedelta(hours=1)


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(session: Session, email: str) -> int:
    user = Users(session).find_by_email(email)
    assert user is not None
    return user.id


def _session(user_id: int, secret: str, expires_at: dt.datetime) -> SessionRow:
    return SessionRow(
        user_id=user_id, secret_sha256=_sha(secret), created_at=AT, expires_at=expires_at
    )


def test_open_sessions_are_neither_ended_nor_expired(engine: Engine) -> None:
    seed(engine)
    with open_session(engine, Tenant.system()) as session:
        tokens = Tokens(session)
        user = _user(session, "u@bravo")
        ended = tokens.add_session(_session(user, "a", AT + 8 * HOUR))
        expired = tokens.add_session(_session(user, "b", AT + HOUR))
        open_ = tokens.add_session(_session(user, "c", AT + 8 * HOUR))
        tokens.add_session(_session(_user(session, "u@charlie"), "d", AT + 8 * HOUR))
        tokens.end_session(ended, AT + HOUR)
        now = AT + 2 * HOUR
        assert [s.id for s in tokens.sessions(user, now)] == [open_.id]
        assert tokens.find_session(_sha("b")) is expired
        assert tokens.get_session(open_.id) is open_
        assert tokens.end_sessions(user, now) == 1
        assert tokens.sessions(user, now) == []
        assert open_.revoked_at == now
        assert tokens.end_sessions(user, now) == 0


def test_tokens_are_found_by_hash_listed_per_user_and_revoked(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        tokens = Tokens(session)
        bravo, charlie = _user(session, "u@bravo"), _user(session, "u@charlie")
        for user, secret in ((bravo, "t1"), (charlie, "t2"), (bravo, "t3")):
            tokens.add(
                ApiTokenRow(
                    user_id=user,
                    name=secret,
                    secret_sha256=_sha(secret),
                    scopes="[]",
                    created_at=AT,
                    expires_at=AT + 24 * HOUR,
                )
            )
        assert [t.name for t in tokens.all(bravo)] == ["t1", "t3"]
        assert [t.name for t in tokens.all()] == ["t1", "t2", "t3"]
        found = tokens.find_by_hash(_sha("t2"))
        assert found is not None
        assert found.name == "t2"
        assert tokens.find_by_hash(_sha("t9")) is None
        tokens.revoke(found, AT + HOUR)
        session.commit()
    with open_session(engine, Tenant(world.partner_b)) as session:
        tokens = Tokens(session)
        assert tokens.find_by_hash(_sha("t2")) is None
        assert [t.name for t in tokens.all()] == ["t1", "t3"]
    with open_session(engine, Tenant.system()) as session:
        revoked = Tokens(session).find_by_hash(_sha("t2"))
        assert revoked is not None
        assert revoked.revoked_at is not None
