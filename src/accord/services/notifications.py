"""Notifications: the outbox written with the event, and its delivery by the worker.

**Written with the event.** ``enqueue`` adds one outbox row per recipient in the caller's
transaction: the event and its notifications commit together or not at all. The event's key
and the recipient make the row's ``dedupe_key``; an event told twice is stored once.

**Delivered by the worker.** Each attempt is recorded as ``sending`` *and committed* before the
message leaves, then finished as ``delivered`` or ``failed``. A failed attempt is retried
after an exponential backoff with jitter (1 minute doubling to at most 6 hours, each delay
drawn from its upper half), up to ``MAX_ATTEMPTS``. Nothing is lost by a crash: the row stays
undelivered until an attempt is recorded delivered.

**The crash window.** A worker killed after the far end accepted a message and before the
attempt was recorded leaves an attempt in ``sending``. The next worker marks it
``interrupted`` and sends the message again, with the same ``message_id``: the email's
Message-ID header and the webhook's ``X-Accord-Delivery`` header. Neither SMTP nor HTTP lets
a sender learn whether the far end kept a message it never confirmed, so in that window
delivery is at least once; receivers drop the copy by that id (mail stores and Accord's
webhook scheme both do). Outside it, a message is never sent twice.

**Who gets what.** The recipients come from the agreement (its parties' contacts, the
escalation ladder's rungs, its webhooks); a user whose address is among them may mute
events by email (``MUTABLE``: reminders, incident changes, reviews, missed obligations,
period reports) or take no email at all. The delivery reads the preferences in force then
and records the notification ``suppressed`` with the reason. Escalations and breach notices
always go out; period reports go by email only, never to webhooks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from accord.core.model import Agreement
from accord.services.errors import Invalid, NotFound
from accord.services.messages import Notice, render
from accord.services.permissions import Permission, Principal
from accord.services.ports import OutgoingMessage, SendFailed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.review_rows import NotificationPreferenceRow
from accord.store.tables import AgreementRow, DeliveryAttemptRow, NotificationRow

__all__ = [
    "MAX_ATTEMPTS",
    "MUTABLE",
    "AttemptView",
    "DeliveryReport",
    "NotificationView",
    "Notifications",
    "Preferences",
    "backoff",
    "contacts_of",
    "enqueue",
]

MAX_ATTEMPTS: Final = 8
#: Events sent by email only: a period report speaks of every agreement of a partner (or of
#: the portfolio), not of the one agreement whose webhooks would carry it.
_EMAIL_ONLY: Final = ("report",)
_FIRST_DELAY: Final = dt.timedelta(minutes=1)
_LONGEST_DELAY: Final = dt.timedelta(hours=6)


def backoff(attempt: int, rng: random.Random) -> dt.timedelta:
    """The wait after failed attempt ``attempt`` (1, 2, …): 1 minute doubling, at most six
    hours, drawn uniformly from the upper half so that retries spread out ("equal jitter")."""
    ceiling: dt.timedelta = min(_FIRST_DELAY * 2 ** (attempt - 1), _LONGEST_DELAY)
    half = ceiling / 2
    return half + half * rng.random()


def contacts_of(agreement: Agreement, party_id: str) -> list[str]:
    """The e-mail addresses of a party's contacts, in the order the agreement lists them."""
    party = next((p for p in agreement.parties if p.id == party_id), None)
    if party is None:
        return []
    return [contact.email for contact in party.contacts if contact.email]


def _message_id(agreement: str, dedupe_key: str) -> str:
    digest = hashlib.sha256(f"{agreement}\n{dedupe_key}".encode()).hexdigest()[:32]
    return f"<{digest}.{agreement}@accord.notifications>"


def enqueue(
    uow: UnitOfWork,
    row: AgreementRow,
    agreement: Agreement,
    notice: Notice,
    emails: Iterable[str],
) -> int:
    """Add the notice to the outbox for each address and each webhook of the agreement that
    takes this event, in the caller's transaction; how many were new."""
    targets = [("email", address, "email") for address in dict.fromkeys(emails)]
    settings = None if notice.event in _EMAIL_ONLY else agreement.notifications
    for hook in settings.webhooks if settings else []:
        if not hook.events or notice.event in hook.events:
            targets.append(("webhook", hook.url, hook.format))
    added = 0
    for channel, recipient, kind in targets:
        dedupe_key = f"{notice.key}|{channel}:{recipient}"
        if uow.outbox.find_by_key(row.id, dedupe_key) is not None:
            continue
        message_id = _message_id(row.slug, dedupe_key)
        content = render(notice, message_id)
        uow.outbox.add(
            NotificationRow(
                agreement_id=row.id,
                event=notice.event,
                dedupe_key=dedupe_key,
                channel=channel,
                recipient=recipient,
                format=kind,
                subject=content.subject,
                text=content.text,
                html=content.html,
                payload=content.payload,
                message_id=message_id,
                state="pending",
                attempts=0,
                next_attempt_at=uow.now(),
                created_at=uow.now(),
                delivered_at=None,
            )
        )
        added += 1
    return added


@dataclass(frozen=True)
class AttemptView:
    number: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    detail: str | None


@dataclass(frozen=True)
class NotificationView:
    id: int
    agreement: str
    event: str
    channel: str
    recipient: str
    format: str
    subject: str
    message_id: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    last_error: str | None
    history: tuple[AttemptView, ...] = ()


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    interrupted: int = 0

    def summary(self) -> str:
        text = f"{self.delivered} notifications delivered, {self.failed} failed"
        return text + (f", {self.interrupted} resent after a crash" if self.interrupted else "")


def _view(
    row: NotificationRow, slug: str, history: Iterable[DeliveryAttemptRow] = ()
) -> NotificationView:
    return NotificationView(
        id=row.id,
        agreement=slug,
        event=row.event,
        channel=row.channel,
        recipient=row.recipient,
        format=row.format,
        subject=row.subject,
        message_id=row.message_id,
        state=row.state,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        last_error=row.last_error,
        history=tuple(
            AttemptView(a.number, a.started_at, a.finished_at, a.outcome, a.detail) for a in history
        ),
    )


def _whose(uow: UnitOfWork, principal: Principal, user: str | None) -> tuple[int, int]:
    """The user (id, organisation id) whose preferences these are: the principal itself, or
    the one named, for an admin."""
    if user is None:
        if principal.user_id is None or principal.organisation_id is None:
            raise Invalid(
                "notification preferences belong to a signed-in user; an operator names the user"
            )
        return principal.user_id, principal.organisation_id
    principal.require(Permission.ADMINISTER)
    found = uow.users.find_by_email(user)
    if found is None:
        raise NotFound(f"no user {user!r}")
    return found.id, found.organisation_id


def _message(row: NotificationRow) -> OutgoingMessage:
    return OutgoingMessage(
        channel=row.channel,
        recipient=row.recipient,
        format=row.format,
        subject=row.subject,
        text=row.text,
        html=row.html,
        payload=row.payload,
        message_id=row.message_id,
    )


#: Events a user may mute (escalations and breach notices always go out).
MUTABLE: Final = ("reminder", "incident", "review", "obligation_missed", "report")


@dataclass(frozen=True)
class Preferences:
    """What one user wants by email: ``email`` false mutes every mutable event (the
    agreement's webhooks still carry them); ``muted`` names the ones muted."""

    email: bool = True
    muted: tuple[str, ...] = ()


def _muted_by(uow: UnitOfWork, row: NotificationRow) -> str | None:
    """Why the recipient does not want this email (its own preferences), if it does not."""
    if row.channel != "email" or row.event not in MUTABLE:
        return None
    preference = uow.outbox.preference_of(row.recipient)
    if preference is None:
        return None
    if not preference.email:
        return f"{row.recipient} takes no email (their notification preferences)"
    if row.event in json.loads(preference.muted):
        return f"{row.recipient} muted {row.event} emails (their notification preferences)"
    return None


class Notifications:
    """Use cases on the outbox: deliver what is due, list, show with every attempt."""

    def __init__(self, context: ServiceContext, rng: random.Random | None = None) -> None:
        self._context = context
        self._rng = rng or random.Random()

    def matching(
        self, principal: Principal, *, agreement: str | None = None, states: tuple[str, ...] = ()
    ) -> list[NotificationView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            agreement_id = None
            if agreement is not None:
                found = uow.agreements.find_by_slug(agreement)
                if found is None:
                    raise NotFound(f"no agreement {agreement!r}")
                agreement_id = found.id
            rows = uow.outbox.matching(agreement_id=agreement_id, states=states)
            return [_view(row, slug) for row, slug in rows]

    def get(self, principal: Principal, notification_id: int) -> NotificationView:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = uow.outbox.find(notification_id)
            agreement = None if row is None else uow.agreements.find(row.agreement_id)
            if row is None or agreement is None:
                raise NotFound(f"no notification {notification_id}")
            return _view(row, agreement.slug, uow.outbox.attempts(row.id))

    def preferences(self, principal: Principal, user: str | None = None) -> Preferences:
        """A user's notification preferences: the signed-in user's own, or (an operator's
        or admin's, ``user`` by e-mail) another user's."""
        with self._context.uow(principal) as uow:
            user_id, _ = _whose(uow, principal, user)
            found = uow.outbox.preference(user_id)
            if found is None:
                return Preferences()
            return Preferences(found.email, tuple(json.loads(found.muted)))

    def set_preferences(
        self, principal: Principal, wanted: Preferences, user: str | None = None
    ) -> Preferences:
        """Set a user's preferences (its own, or an admin's for ``user``): who gets what
        is the agreement's contacts and ladders, less what each user muted."""
        unknown = sorted(set(wanted.muted) - set(MUTABLE))
        if unknown:
            raise Invalid(
                f"cannot mute {', '.join(unknown)}; events that can be muted: {', '.join(MUTABLE)}"
            )
        with self._context.uow(principal, write=True) as uow:
            user_id, organisation_id = _whose(uow, principal, user)
            found = uow.outbox.preference(user_id)
            muted = json.dumps(sorted(set(wanted.muted)))
            if found is None:
                found = uow.outbox.add_preference(
                    NotificationPreferenceRow(
                        user_id=user_id,
                        organisation_id=organisation_id,
                        email=wanted.email,
                        muted=muted,
                        updated_at=uow.now(),
                    )
                )
            else:
                found.email, found.muted, found.updated_at = wanted.email, muted, uow.now()
            uow.audit(
                "notifications.preferences",
                "user",
                user_id,
                after={"email": wanted.email, "muted": json.loads(muted)},
            )
            uow.commit()
            return Preferences(found.email, tuple(json.loads(found.muted)))

    def deliver_due(self, principal: Principal) -> DeliveryReport:
        """Try every notification whose next attempt is due; ``None`` sender: none."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        if self._context.sender is None:
            return DeliveryReport()
        with self._context.uow(principal) as uow:
            due = list(uow.outbox.due(uow.now()))
        counts = {"delivered": 0, "failed": 0, "interrupted": 0}
        for notification_id in due:
            for outcome in self._deliver(principal, notification_id):
                counts[outcome] += 1
        return DeliveryReport(**counts)

    def _claim(
        self, principal: Principal, notification_id: int
    ) -> tuple[OutgoingMessage, int, list[str]] | None:
        """Record the attempt as sending, and commit, before anything leaves."""
        with self._context.uow(principal, write=True) as uow:
            uow.serialise("notification", notification_id)
            row = uow.outbox.find(notification_id)
            if row is None or row.state not in ("pending", "delivering"):
                return None
            now = uow.now()
            muted = _muted_by(uow, row)
            if muted is not None:
                row.state, row.last_error = "suppressed", muted
                uow.commit()
                return None
            seen = []
            for attempt in uow.outbox.attempts(row.id):
                if attempt.outcome == "sending":
                    attempt.outcome, attempt.finished_at = "interrupted", now
                    attempt.detail = (
                        "the worker stopped between sending and recording the result; "
                        f"sent again with the same id {row.message_id}"
                    )
                    seen.append("interrupted")
            row.attempts += 1
            row.state = "delivering"
            uow.outbox.add_attempt(
                DeliveryAttemptRow(
                    notification_id=row.id,
                    agreement_id=row.agreement_id,
                    number=row.attempts,
                    started_at=now,
                    finished_at=None,
                    outcome="sending",
                )
            )
            uow.commit()
            return _message(row), row.attempts, seen

    def _deliver(self, principal: Principal, notification_id: int) -> list[str]:
        claimed = self._claim(principal, notification_id)
        if claimed is None:
            return []
        message, number, seen = claimed
        assert self._context.sender is not None
        try:
            answer, error, permanent = self._context.sender.send(message), None, False
        except SendFailed as exc:
            answer, error, permanent = None, exc.message, exc.permanent
        with self._context.uow(principal, write=True) as uow:
            row = uow.outbox.find(notification_id)
            assert row is not None
            attempt = next(a for a in uow.outbox.attempts(row.id) if a.number == number)
            now = uow.now()
            attempt.finished_at = now
            if error is None:
                attempt.outcome, attempt.detail = "delivered", answer
                row.state, row.delivered_at, row.last_error = "delivered", now, None
            else:
                attempt.outcome, attempt.detail = "failed", error
                row.last_error = error
                if permanent or number >= MAX_ATTEMPTS:
                    row.state = "failed"
                else:
                    row.state = "pending"
                    row.next_attempt_at = now + backoff(number, self._rng)
            uow.commit()
        return [*seen, "delivered" if error is None else "failed"]
