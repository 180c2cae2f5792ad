"""The ports' own parts: the system clock tells aware UTC instants, the fixed clock what it
is told and moves only when advanced, and a failed delivery says whether retrying helps."""

from __future__ import annotations

import datetime as dt

from accord.services.ports import FixedClock, SendFailed, SystemClock

AT = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)


def test_the_system_clock_tells_aware_utc_instants() -> None:
    before = dt.datetime.now(dt.UTC)
    now = SystemClock().now()
    assert now.utcoffset() == dt.timedelta(0)
    assert before <= now <= dt.datetime.now(dt.UTC)


def test_the_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(AT)
    assert clock.now() == clock.now() == AT
    clock.advance(dt.timedelta(minutes=90))
    assert clock.now() == AT + dt.timedelta(minutes=90)
    clock.at = AT
    assert clock.now() == AT


def test_a_failed_delivery_says_whether_retrying_can_help() -> None:
    temporary = SendFailed("421 try later")
    permanent = SendFailed("550 no such mailbox", permanent=True)
    assert (temporary.message, temporary.permanent) == ("421 try later", False)
    assert (permanent.message, permanent.permanent) == ("550 no such mailbox", True)
    assert str(permanent) == "550 no such mailbox"
