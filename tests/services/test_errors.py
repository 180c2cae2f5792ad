"""What a use case can refuse: each refusal carries the message meant for the person who
asked; invalid input keeps every placed problem; throttling is a refusal to authenticate
that says when to retry; a timed-out request says how long it ran."""

from __future__ import annotations

import pytest

from accord.core.problems import Problem
from accord.services.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    Throttled,
    TooLarge,
    Unauthenticated,
    WorkTimedOut,
)


@pytest.mark.parametrize(
    "kind", [NotFound, Forbidden, Unauthenticated, Invalid, Conflict, TooLarge]
)
def test_every_refusal_carries_its_message(kind: type[ServiceError]) -> None:
    error = kind("no agreement 'acme-x'")
    assert isinstance(error, ServiceError)
    assert error.message == str(error) == "no agreement 'acme-x'"


def test_invalid_input_keeps_every_problem_as_a_list() -> None:
    problems = (Problem("a.yaml", 1, 1, "kind", "must be Agreement"),)
    error = Invalid("not valid", problems)
    assert error.problems == list(problems)
    assert Invalid("period: bad").problems == []


def test_throttling_refuses_authentication_and_says_when_to_retry() -> None:
    error = Throttled("too many attempts", retry_after_seconds=30)
    with pytest.raises(Unauthenticated, match="too many attempts") as caught:
        raise error
    assert caught.value is error
    assert error.retry_after_seconds == 30


def test_a_timed_out_request_says_how_long_it_ran_and_when_to_retry() -> None:
    error = WorkTimedOut("took too long", retry_after_seconds=5, seconds=31.5)
    assert (error.message, error.retry_after_seconds, error.seconds) == ("took too long", 5, 31.5)
    assert not isinstance(error, Unauthenticated)
