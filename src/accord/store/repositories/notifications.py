"""The outbox: notifications, the ones due for delivery, and their delivery attempts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.repositories.organisations import Users
from accord.store.review_rows import NotificationPreferenceRow
from accord.store.tables import AgreementRow, DeliveryAttemptRow, NotificationRow

__all__ = ["Outbox"]

_UNDELIVERED = ("pending", "delivering")


class Outbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def find_by_key(self, agreement_id: int, dedupe_key: str) -> NotificationRow | None:
        return self._session.scalar(
            select(NotificationRow).where(
                NotificationRow.agreement_id == agreement_id,
                NotificationRow.dedupe_key == dedupe_key,
            )
        )

    def with_key_prefix(self, agreement_id: int, prefix: str) -> Sequence[NotificationRow]:
        """The notifications of one event (their keys start with the event's key)."""
        return self._session.scalars(
            select(NotificationRow)
            .where(
                NotificationRow.agreement_id == agreement_id,
                NotificationRow.dedupe_key.startswith(prefix, autoescape=True),
            )
            .order_by(NotificationRow.id)
        ).all()

    def preference_of(self, email: str) -> NotificationPreferenceRow | None:
        """The preferences of the user with this address (in any case), if one is a user and
        set them."""
        user = Users(self._session).find_by_email(email)
        return None if user is None else self.preference(user.id)

    def preference(self, user_id: int) -> NotificationPreferenceRow | None:
        return self._session.scalar(
            select(NotificationPreferenceRow).where(NotificationPreferenceRow.user_id == user_id)
        )

    def add_preference(self, row: NotificationPreferenceRow) -> NotificationPreferenceRow:
        self._session.add(row)
        self._session.flush()
        return row

    def add(self, row: NotificationRow) -> NotificationRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, notification_id: int) -> NotificationRow | None:
        return self._session.scalar(
            select(NotificationRow).where(NotificationRow.id == notification_id)
        )

    def due(self, now: dt.datetime, limit: int = 100) -> Sequence[int]:
        """Ids of undelivered notifications whose next attempt is due, oldest first."""
        query = (
            select(NotificationRow.id)
            .where(NotificationRow.state.in_(_UNDELIVERED), NotificationRow.next_attempt_at <= now)
            .order_by(NotificationRow.next_attempt_at, NotificationRow.id)
            .limit(limit)
        )
        return self._session.scalars(query).all()

    def matching(
        self, *, agreement_id: int | None = None, states: tuple[str, ...] = ()
    ) -> Sequence[tuple[NotificationRow, str]]:
        query = select(NotificationRow, AgreementRow.slug).join(
            AgreementRow, AgreementRow.id == NotificationRow.agreement_id
        )
        if agreement_id is not None:
            query = query.where(NotificationRow.agreement_id == agreement_id)
        if states:
            query = query.where(NotificationRow.state.in_(states))
        query = query.order_by(NotificationRow.id)
        return [(row, slug) for row, slug in self._session.execute(query)]

    def attempts(self, notification_id: int) -> Sequence[DeliveryAttemptRow]:
        return self._session.scalars(
            select(DeliveryAttemptRow)
            .where(DeliveryAttemptRow.notification_id == notification_id)
            .order_by(DeliveryAttemptRow.number)
        ).all()

    def add_attempt(self, row: DeliveryAttemptRow) -> DeliveryAttemptRow:
        self._session.add(row)
        self._session.flush()
        return row
