"""Sign-in abuse: wrong passwords and guessed tokens are throttled per account and per
client address, with a doubling wait on the services' clock; every failed sign-in is audited;
passwords meet a minimum policy."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.services.errors import Invalid, Throttled, Unauthenticated
from accord.services.organisations import CreateUser
from tests.services.world import CONSOLE, PASSWORD, World

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
