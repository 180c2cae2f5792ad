"""Named locks: ``exclusive`` lets one holder at a time in, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.store.locks import exclusive


def test_an_exclusive_lock_has_one_holder_at_a_time(engine: Engine) -> None:
    with exclusive(engine, "tick") as first, exclusive(engine, "tick") as second:
        assert (first, second) == (True, False)
        with exclusive(engine, "another") as other:
            assert other
    with exclusive(engine, "tick") as again:
        assert again
