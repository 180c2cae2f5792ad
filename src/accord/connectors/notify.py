"""Notifications out: email over SMTP and HMAC-SHA256 signed webhooks (``NotificationSender``).

**Email.** One message per recipient, ``multipart/alternative`` (plain text and HTML), with
the notification's stable ``Message-ID``, over SMTP (STARTTLS when the server offers it and
credentials are given).

**Webhooks.** A ``POST`` of JSON: Accord's generic document, or a Slack (``{"text": …}``) or
Microsoft Teams (``MessageCard``) payload. Each request carries::

    X-Accord-Delivery:  <the notification's id, the same on every attempt>
    X-Accord-Timestamp: <Unix seconds when this attempt was signed>
    X-Accord-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>

A receiver verifies by recomputing the HMAC over the timestamp, a dot and the raw body with
the shared secret (``ACCORD_WEBHOOK_SECRET``), comparing in constant time, rejecting a
timestamp more than five minutes old (replays), and dropping a delivery id it has already
processed (a copy resent after a crash). A 2xx answer is delivery; 4xx other than 408/429 is
permanent failure; anything else is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Final

import httpx

from accord.services.ports import OutgoingMessage, SendFailed

__all__ = ["Dispatcher", "SmtpSender", "WebhookSender", "sign", "verify"]

_RETRYABLE_CLIENT_ERRORS: Final = frozenset({408, 429})
_TOLERANCE_SECONDS: Final = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Accord-Signature`` value for a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(secret: str, headers: dict[str, str], body: bytes, now: float) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        timestamp = int(headers["x-accord-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > _TOLERANCE_SECONDS:
        return False
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected, headers.get("x-accord-signature", ""))


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def send(self, message: OutgoingMessage) -> str:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = message.message_id
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
                client.ehlo()
                if self.username and client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                if self.username and self.password:
                    client.login(self.username, self.password)
                refused = client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailed(
                f"the SMTP server refused {message.recipient}: {exc}", permanent=True
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(f"SMTP {self.host}:{self.port}: {exc}") from None
        if refused:
            raise SendFailed(f"the SMTP server refused {', '.join(refused)}", permanent=True)
        return f"accepted by {self.host}:{self.port}"


def _payload(message: OutgoingMessage) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(message.payload)
    if message.format == "slack":
        return {"text": f"*{message.subject}*\n{message.text}"}
    if message.format == "teams":
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": message.subject,
            "title": message.subject,
            "text": message.text.replace("\n", "  \n"),
        }
    return document


@dataclass(frozen=True)
class WebhookSender:
    secret: str
    client: httpx.Client
    now: Callable[[], float] = time.time

    def send(self, message: OutgoingMessage) -> str:
        if not self.secret:
            raise SendFailed("webhooks are signed: set ACCORD_WEBHOOK_SECRET", permanent=False)
        body = json.dumps(_payload(message), sort_keys=True).encode()
        timestamp = int(self.now())
        headers = {
            "Content-Type": "application/json",
            "X-Accord-Delivery": message.message_id,
            "X-Accord-Timestamp": str(timestamp),
            "X-Accord-Signature": sign(self.secret, timestamp, body),
        }
        try:
            answer = self.client.post(message.recipient, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise SendFailed(f"POST {message.recipient}: {exc}") from None
        if answer.is_success:
            return f"HTTP {answer.status_code}"
        permanent = (
            400 <= answer.status_code < 500 and answer.status_code not in _RETRYABLE_CLIENT_ERRORS
        )
        raise SendFailed(
            f"POST {message.recipient}: HTTP {answer.status_code}", permanent=permanent
        )


@dataclass(frozen=True)
class Dispatcher:
    """Sends each message by its channel; a channel without a sender fails (and is retried,
    so that configuring it later delivers what waited)."""

    email: SmtpSender | None
    webhook: WebhookSender | None

    def send(self, message: OutgoingMessage) -> str:
        sender = self.email if message.channel == "email" else self.webhook
        if sender is None:
            what = "SMTP (set ACCORD_SMTP_HOST)" if message.channel == "email" else "webhooks"
            raise SendFailed(f"no {what} configured")
        return sender.send(message)
