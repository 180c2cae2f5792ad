"""API tokens and sign-in sessions: only the SHA-256 of each secret is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import (
    ApiTokenRow,
    SessionRow,
)

__all__ = ["Tokens"]


class Tokens:
    """API tokens and login sessions, both found by the SHA-256 of their secret."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: ApiTokenRow) -> ApiTokenRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, token_id: int) -> ApiTokenRow | None:
        return self._session.get(ApiTokenRow, token_id)

    def find_by_hash(self, secret_sha256: str) -> ApiTokenRow | None:
        return self._session.scalar(
            select(ApiTokenRow).where(ApiTokenRow.secret_sha256 == secret_sha256)
        )

    def all(self, user_id: int | None = None) -> Sequence[ApiTokenRow]:
        query = select(ApiTokenRow).order_by(ApiTokenRow.id)
        if user_id is not None:
            query = query.where(ApiTokenRow.user_id == user_id)
        return self._session.scalars(query).all()

    def revoke(self, row: ApiTokenRow, at: dt.datetime) -> None:
        row.revoked_at = at
        self._session.flush()

    def add_session(self, row: SessionRow) -> SessionRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_session(self, secret_sha256: str) -> SessionRow | None:
        return self._session.scalar(
            select(SessionRow).where(SessionRow.secret_sha256 == secret_sha256)
        )

    def end_session(self, row: SessionRow, at: dt.datetime) -> None:
        row.revoked_at = at
        self._session.flush()

    def get_session(self, session_id: int) -> SessionRow | None:
        return self._session.get(SessionRow, session_id)

    def sessions(self, user_id: int, now: dt.datetime) -> Sequence[SessionRow]:
        """The user's sessions still open at ``now``, oldest first."""
        query = (
            select(SessionRow)
            .where(
                SessionRow.user_id == user_id,
                SessionRow.revoked_at.is_(None),
                SessionRow.expires_at > now,
            )
            .order_by(SessionRow.id)
        )
        return self._session.scalars(query).all()

    def end_sessions(self, user_id: int, at: dt.datetime) -> int:
        """End every open session of the user; how many there were."""
        rows = self.sessions(user_id, at)
        for row in rows:
            row.revoked_at = at
        self._session.flush()
        return len(rows)
