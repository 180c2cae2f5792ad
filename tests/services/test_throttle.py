"""Backing off from guessing: free failures, then a doubling wait, on the clock given."""

from __future__ import annotations

import datetime as dt

from accord.services.throttle import Throttle, ThrottlePolicy

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def test_free_failures_then_a_wait_that_doubles_up_to_the_longest() -> None:
    policy = ThrottlePolicy(free_failures=3, longest_wait=dt.timedelta(seconds=10))
    assert [policy.wait(n) for n in range(1, 9)] == [
        dt.timedelta(0),
        dt.timedelta(0),
        SECOND,
        2 * SECOND,
        4 * SECOND,
        8 * SECOND,
        10 * SECOND,
        10 * SECOND,
    ]


def test_a_key_waits_after_its_free_failures_and_others_do_not() -> None:
    throttle = Throttle(ThrottlePolicy(free_failures=2))
    for _ in range(2):
        assert throttle.retry_after("a", T0) is None
        throttle.failed("a", T0)
    assert throttle.retry_after("a", T0) == SECOND
    assert throttle.retry_after("a", T0 + SECOND) is None
    throttle.failed("a", T0 + SECOND)
    assert throttle.retry_after("a", T0 + SECOND) == 2 * SECOND
    assert throttle.retry_after("b", T0) is None


def test_a_success_or_a_long_quiet_forgets_the_failures() -> None:
    throttle = Throttle(ThrottlePolicy(free_failures=1, forget_after=dt.timedelta(hours=1)))
    throttle.failed("a", T0)
    assert throttle.retry_after("a", T0) == SECOND
    throttle.succeeded("a")
    assert throttle.retry_after("a", T0) is None
    throttle.failed("b", T0)
    assert throttle.retry_after("b", T0 + dt.timedelta(hours=2)) is None


def test_the_table_is_bounded_and_drops_the_oldest_key() -> None:
    throttle = Throttle(ThrottlePolicy(free_failures=1), capacity=2)
    for key in ("a", "b", "c"):
        throttle.failed(key, T0)
    assert throttle.retry_after("a", T0) is None
    assert throttle.retry_after("c", T0) == SECOND
