"""The outbox in the store: a notification found by its dedupe key, the notifications of one
event by key prefix (``%`` and ``_`` literal), the undelivered ones due by their next
attempt (oldest first, bounded), attempts in order, and a user's preferences by address."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.store.repositories import Outbox, Users
from accord.store.review_rows import NotificationPreferenceRow
from accord.store.tables import DeliveryAttemptRow, NotificationRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed

MINUTE = dt.timedelta(minutes=1)


def _note(agreement: int, key: str, state: str, next_attempt: dt.datetime) -> NotificationRow:
    return NotificationRow(
        agreement_id=agreement,
        event="reminder",
        dedupe_key=key,
        channel="email",
        recipient="u@bravo",
        format="text",
        subject=key,
        text="",
        html="",
        payload="{}",
        message_id=f"<{key}@accord>",
        state=state,
        attempts=0,
        next_attempt_at=next_attempt,
        created_at=AT,
    )


def test_notifications_by_key_by_event_and_due(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        outbox = Outbox(session)
        first = outbox.add(_note(world.agreement_b, "obl_1:to:a", "pending", AT + 2 * MINUTE))
        second = outbox.add(_note(world.agreement_b, "obl_1:to:b", "delivering", AT))
        tenth = outbox.add(_note(world.agreement_b, "obl_10:to:a", "pending", AT))
        outbox.add(_note(world.agreement_b, "oblx1:to:a", "delivered", AT))
        outbox.add(_note(world.agreement_b, "obl_2:to:a", "failed", AT))
        theirs = outbox.add(_note(world.agreement_c, "obl_1:to:a", "pending", AT + MINUTE))
        assert outbox.find_by_key(world.agreement_b, "obl_1:to:a") is first
        assert outbox.find_by_key(world.agreement_c, "obl_1:to:a") is theirs
        event = outbox.with_key_prefix(world.agreement_b, "obl_1:")
        assert [row.id for row in event] == [first.id, second.id]
        due = outbox.due(AT + 2 * MINUTE)
        assert due == [second.id, tenth.id, theirs.id, first.id]
        assert outbox.due(AT, limit=1) == [second.id]
        assert outbox.due(AT - MINUTE) == []
        matched = outbox.matching(agreement_id=world.agreement_b, states=("pending",))
        assert [row.dedupe_key for row, _ in matched] == ["obl_1:to:a", "obl_10:to:a"]
        for number in (2, 1):
            outbox.add_attempt(
                DeliveryAttemptRow(
                    notification_id=first.id,
                    agreement_id=world.agreement_b,
                    number=number,
                    started_at=AT,
                    outcome="failed",
                )
            )
        assert [a.number for a in outbox.attempts(first.id)] == [1, 2]


def test_a_user_s_preferences_are_found_by_address(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        outbox = Outbox(session)
        user = Users(session).find_by_email("u@bravo")
        assert user is not None
        assert outbox.preference_of("u@bravo") is None
        saved = outbox.add_preference(
            NotificationPreferenceRow(
                user_id=user.id,
                organisation_id=world.partner_b,
                email=False,
                muted='["reminder"]',
                updated_at=AT,
            )
        )
        assert outbox.preference_of("u@bravo") is saved
        assert outbox.preference_of("U@Bravo") is saved
        assert outbox.preference(user.id) is saved
        assert outbox.preference_of("u@charlie") is None
        assert outbox.preference_of("nobody@bravo") is None
