"""Tokens and sessions: secrets shown once, stored hashed, scoped, expiring, revocable.
Sign-in abuse: wrong passwords and guessed tokens are throttled per account and per client
address, with a doubling wait on the services' clock; every failed sign-in is audited;
passwords meet a minimum policy."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from accord.services.credentials import CreateToken
from accord.services.errors import Forbidden, Invalid, NotFound, Throttled, Unauthenticated
from accord.services.ingestion import PushBatch
from accord.services.organisations import CreateUser
from accord.services.permissions import Permission, Role
from accord.store.tables import ApiTokenRow
from tests.services.world import CONSOLE, PASSWORD, World, events

VIEWER = "viewer@acme.example"


def _fail(world: World, email: str, times: int, client: str | None = None) -> None:
    for _ in range(times):
        with pytest.raises(Unauthenticated) as refused:
            world.services.credentials.login(email, "not the password", client)
        assert not isinstance(refused.value, Throttled)


def test_an_account_waits_after_five_wrong_passwords_even_with_the_right_one(
    world: World,
) -> None:
    _fail(world, VIEWER, 5)
    with pytest.raises(Throttled) as throttled:
        world.services.credentials.login(VIEWER, PASSWORD)
    assert throttled.value.retry_after_seconds == 1
    world.clock.advance(dt.timedelta(seconds=1))
    _fail(world, VIEWER, 1)
    with pytest.raises(Throttled) as longer:
        world.services.credentials.login(VIEWER, PASSWORD)
    assert longer.value.retry_after_seconds == 2
    world.clock.advance(dt.timedelta(seconds=2))
    assert world.services.credentials.login(VIEWER, PASSWORD).secret
    other = world.services.credentials.login("auditor@acme.example", PASSWORD)
    assert other.secret


def test_one_address_waits_after_twenty_failures_across_accounts(world: World) -> None:
    for index in range(20):
        _fail(world, f"guess{index}@acme.example", 1, client="203.0.113.9")
    with pytest.raises(Throttled):
        world.services.credentials.login(VIEWER, PASSWORD, "203.0.113.9")
    assert world.services.credentials.login(VIEWER, PASSWORD, "198.51.100.1").secret


def test_guessed_tokens_are_throttled_per_address(world: World) -> None:
    credentials = world.services.credentials
    for index in range(20):
        with pytest.raises(Unauthenticated):
            credentials.authenticate_token(f"acc_guess{index}", "203.0.113.9")
    with pytest.raises(Throttled):
        credentials.authenticate_token(world.tokens[VIEWER], "203.0.113.9")
    with pytest.raises(Throttled):
        credentials.authenticate_session("guessed-session", "203.0.113.9")
    assert credentials.authenticate_token(world.tokens[VIEWER], "198.51.100.1").name == VIEWER


def test_failed_sign_ins_are_in_the_audit_trail(world: World) -> None:
    _fail(world, VIEWER, 1, client="203.0.113.9")
    _fail(world, "nobody@acme.example", 1)
    auditor = world.principal("auditor@acme.example")
    refused = [
        (entry["entity_id"], entry["after"])
        for entry in world.services.audit.entries(auditor, limit=1000)
        if entry["action"] == "session.refused"
    ]
    assert refused == [
        (VIEWER, {"client": "203.0.113.9", "reason": "wrong password"}),
        ("nobody@acme.example", {"client": None, "reason": "unknown account or no password"}),
    ]


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", "five different characters"),
        ("Password1234", "too easy to guess"),
        ("delta.user-2026!", "too easy to guess"),  # holds the e-mail's name
        ("x" * 1025, "at most 1024"),
    ],
)
def test_a_password_must_meet_the_minimum_policy(world: World, password: str, why: str) -> None:
    command = CreateUser(
        organisation="acme", email="delta.user@acme.example", name="D", password=password
    )
    with pytest.raises(Invalid, match=why):
        world.services.organisations.create_user(CONSOLE, command)


def test_revoking_a_user_s_tokens_ends_its_sessions_at_once(world: World) -> None:
    credentials = world.services.credentials
    partner = "partner@bravo.example"
    session = credentials.login(partner, PASSWORD)
    principal = world.principal(partner)
    [token] = credentials.tokens(principal)
    credentials.revoke_token(principal, token.id)
    with pytest.raises(Unauthenticated):
        credentials.authenticate_session(session.secret)


def test_a_disabled_user_has_no_session_token_or_sign_in_until_enabled(world: World) -> None:
    credentials = world.services.credentials
    admin = world.principal("admin@bravo.example")
    partner = "partner@bravo.example"
    session = credentials.login(partner, PASSWORD)
    view = world.services.organisations.disable_user(admin, partner)
    assert view.disabled
    with pytest.raises(Unauthenticated):
        credentials.authenticate_session(session.secret)
    with pytest.raises(Unauthenticated):
        credentials.authenticate_token(world.tokens[partner])
    with pytest.raises(Unauthenticated):
        credentials.login(partner, PASSWORD)
    world.services.organisations.enable_user(admin, partner)
    assert credentials.authenticate_token(world.tokens[partner]).name == partner
    with pytest.raises(Unauthenticated):
        credentials.authenticate_session(session.secret)  # ended, not paused


def test_only_the_partner_s_own_admin_makes_tokens_for_its_users(world: World) -> None:
    credentials = world.services.credentials
    company_admin = world.principal("admin@acme.example")
    with pytest.raises(Forbidden, match="own organisation"):
        credentials.create_token(
            company_admin, CreateToken(name="as partner", user="partner@bravo.example")
        )
    made = credentials.create_token(
        world.principal("admin@bravo.example"),
        CreateToken(name="pusher", user="partner@bravo.example"),
    )
    assert made.token.created_by == "admin@bravo.example"


def test_a_push_records_the_token_and_user_that_made_it(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    assert partner.token_id is not None
    command = PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(5))
    world.services.ingestion.push(partner, command)
    [entry] = [
        e
        for e in world.services.audit.entries(CONSOLE, limit=1000)
        if e["action"] == "measurement_batch.accepted"
    ]
    assert (entry["actor"], entry["after"]["token"]) == ("partner@bravo.example", partner.token_id)


def test_a_role_is_removed_and_the_user_may_do_less(world: World) -> None:
    admin = world.principal("admin@acme.example")
    view = world.services.organisations.revoke_role(admin, "viewer@acme.example", Role.VIEWER)
    assert view.roles == []
    assert not world.principal("viewer@acme.example").permissions
    with pytest.raises(NotFound):
        world.services.organisations.revoke_role(admin, "viewer@acme.example", Role.VIEWER)


def test_a_changed_or_reset_password_ends_every_session(world: World) -> None:
    credentials = world.services.credentials
    session = credentials.login(VIEWER, PASSWORD)
    viewer = credentials.authenticate_session(session.secret)
    assert [s.id for s in credentials.sessions(viewer)]
    with pytest.raises(Forbidden):
        credentials.change_password(viewer, "wrong current", "a new long passphrase")
    credentials.change_password(viewer, PASSWORD, "a new long passphrase")
    with pytest.raises(Unauthenticated):
        credentials.authenticate_session(session.secret)
    again = credentials.login(VIEWER, "a new long passphrase")
    world.services.organisations.reset_password(
        world.principal("admin@acme.example"), VIEWER, "reset by the admin 42"
    )
    with pytest.raises(Unauthenticated):
        credentials.authenticate_session(again.secret)
    assert credentials.login(VIEWER, "reset by the admin 42").secret


def test_a_user_lists_and_ends_its_own_sessions(world: World) -> None:
    credentials = world.services.credentials
    first = credentials.login(VIEWER, PASSWORD)
    credentials.login(VIEWER, PASSWORD)
    viewer = credentials.authenticate_session(first.secret)
    sessions = credentials.sessions(viewer)
    assert len(sessions) == 2
    credentials.end_session(viewer, sessions[0].id)
    with pytest.raises(Unauthenticated):
        credentials.authenticate_session(first.secret)
    with pytest.raises(NotFound):
        credentials.end_session(world.principal("auditor@acme.example"), sessions[1].id)


# -- tokens and sessions --------------------------------------------------------------------


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
