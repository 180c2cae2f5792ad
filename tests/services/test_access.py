"""Tokens and sessions: secrets shown once, stored hashed, scoped, expiring, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from accord.services.credentials import CreateToken
from accord.services.errors import Forbidden, Invalid, NotFound, Unauthenticated
from accord.services.permissions import Permission
from accord.store.tables import ApiTokenRow
from tests.services.world import PASSWORD, World


def test_only_the_sha256_of_a_token_is_stored(world: World) -> None:
    admin = world.principal("admin@acme.example")
    made = world.services.credentials.create_token(admin, CreateToken(name="ci"))
    with world.services.context.engine.connect() as connection:
        stored = connection.execute(
            select(ApiTokenRow.secret_sha256).where(ApiTokenRow.id == made.token.id)
        ).scalar_one()
    assert stored == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in str(world.services.credentials.tokens(admin))


def test_a_token_acts_for_its_user(world: World) -> None:
    principal = world.principal("partner@bravo.example")
    assert principal.name == "partner@bravo.example"
    assert principal.permissions == {
        Permission.READ,
        Permission.PUSH,
        Permission.PREVIEW,
        Permission.GOVERN,
        Permission.INCIDENTS,
        Permission.REQUEST_RESTATEMENT,
        Permission.ANSWER_CLAIMS,
    }
    assert not principal.company


def test_a_token_may_be_narrowed_to_some_scopes(world: World) -> None:
    manager = world.principal("manager@acme.example")
    made = world.services.credentials.create_token(
        manager, CreateToken(name="reader", scopes=[Permission.READ])
    )
    assert world.services.credentials.authenticate_token(made.secret).permissions == {
        Permission.READ
    }


def test_a_token_cannot_carry_more_than_its_user_may_do(world: World) -> None:
    with pytest.raises(Invalid, match="may not hold the scope"):
        world.services.credentials.create_token(
            world.principal("viewer@acme.example"),
            CreateToken(name="sneaky", scopes=[Permission.AUDIT]),
        )


def test_an_expired_token_is_refused(world: World) -> None:
    made = world.services.credentials.create_token(
        world.principal("viewer@acme.example"), CreateToken(name="short", ttl=dt.timedelta(hours=1))
    )
    world.clock.advance(dt.timedelta(hours=1))
    with pytest.raises(Unauthenticated):
        world.services.credentials.authenticate_token(made.secret)


def test_a_revoked_token_is_refused_and_the_revocation_audited(world: World) -> None:
    viewer = world.principal("viewer@acme.example")
    made = world.services.credentials.create_token(viewer, CreateToken(name="temp"))
    revoked = world.services.credentials.revoke_token(viewer, made.token.id)
    assert revoked.revoked_at == world.clock.now()
    with pytest.raises(Unauthenticated):
        world.services.credentials.authenticate_token(made.secret)
    assert (
        world.services.audit.entries(world.principal("auditor@acme.example"), limit=1000)[-1][
            "action"
        ]
        == "token.revoked"
    )


def test_a_user_cannot_revoke_another_users_token(world: World) -> None:
    made = world.services.credentials.create_token(
        world.principal("viewer@acme.example"), CreateToken(name="mine")
    )
    with pytest.raises(NotFound):
        world.services.credentials.revoke_token(
            world.principal("partner@bravo.example"), made.token.id
        )


def test_only_an_admin_makes_tokens_for_someone_else(world: World) -> None:
    with pytest.raises(Forbidden):
        world.services.credentials.create_token(
            world.principal("viewer@acme.example"),
            CreateToken(name="x", user="auditor@acme.example"),
        )


def test_an_unknown_token_is_refused_without_saying_why(world: World) -> None:
    with pytest.raises(Unauthenticated, match="invalid, expired or revoked"):
        world.services.credentials.authenticate_token("acc_nonsense")


def test_a_password_login_opens_a_session(world: World) -> None:
    session = world.services.credentials.login("auditor@acme.example", PASSWORD)
    principal = world.services.credentials.authenticate_session(session.secret)
    assert principal.name == "auditor@acme.example"
    assert principal.can(Permission.AUDIT)
    world.services.credentials.logout(session.secret)
    with pytest.raises(Unauthenticated):
        world.services.credentials.authenticate_session(session.secret)


@pytest.mark.parametrize(
    ("email", "password"),
    [("auditor@acme.example", "wrong password!"), ("nobody@acme.example", PASSWORD)],
)
def test_a_wrong_password_or_unknown_user_gets_the_same_refusal(
    world: World, email: str, password: str
) -> None:
    with pytest.raises(Unauthenticated, match="invalid, expired or revoked"):
        world.services.credentials.login(email, password)


def test_a_session_expires(world: World) -> None:
    session = world.services.credentials.login("viewer@acme.example", PASSWORD)
    world.clock.advance(dt.timedelta(hours=12))
    with pytest.raises(Unauthenticated):
        world.services.credentials.authenticate_session(session.secret)
