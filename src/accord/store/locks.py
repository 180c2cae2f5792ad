"""Named locks held until the end of the current transaction.

PostgreSQL: a transaction-scoped advisory lock on a 64-bit key derived from the name.
SQLite: nothing to do, because writing transactions begin with ``BEGIN IMMEDIATE`` and so
already run one at a time.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["serialise"]


def serialise(session: Session, name: str) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
