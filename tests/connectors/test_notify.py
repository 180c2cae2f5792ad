"""Email over a real SMTP server and signed webhooks to a real HTTP endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from accord.connectors.notify import Dispatcher, SmtpSender, WebhookSender, sign, verify
from accord.services.ports import OutgoingMessage, SendFailed
from tests.mailbox import Mailbox

SECRET = "s3cret-shared-with-the-receiver"


def _message(**changes: str) -> OutgoingMessage:
    values = {
        "channel": "email",
        "recipient": "vendors@acme.example",
        "format": "email",
        "subject": "[Accord] Reminder: notice due",
        "text": "Last day: 2027-10-02\n",
        "html": "<p>Last day: <b>2027-10-02</b></p>",
        "payload": json.dumps({"event": "reminder", "data": {"last day": "2027-10-02"}}),
        "message_id": "<abc.payments-api@accord.notifications>",
        **changes,
    }
    return OutgoingMessage(**values)


def test_email_arrives_with_text_html_and_the_stable_message_id(smtp: Mailbox) -> None:
    sender = SmtpSender("127.0.0.1", smtp.port, "accord@acme.example")
    assert "accepted" in sender.send(_message())
    [mail] = smtp.to("vendors@acme.example")
    assert mail["Message-ID"] == "<abc.payments-api@accord.notifications>"
    assert mail["From"] == "accord@acme.example"
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None
    assert html is not None
    assert "2027-10-02" in text.get_content()
    assert "<b>2027-10-02</b>" in html.get_content()


def test_an_unreachable_smtp_server_is_a_failure_to_retry() -> None:
    sender = SmtpSender("127.0.0.1", 1, "accord@acme.example", timeout=2)
    with pytest.raises(SendFailed) as failed:
        sender.send(_message())
    assert not failed.value.permanent


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", handler
    server.shutdown()
    server.server_close()


def _webhook(now: float = 1_800_000_000.0) -> WebhookSender:
    return WebhookSender(SECRET, httpx.Client(timeout=5), now=lambda: now)


def test_a_webhook_is_signed_over_timestamp_and_body(
    receiver: tuple[str, type[_Receiver]],
) -> None:
    url, handler = receiver
    _webhook().send(_message(channel="webhook", recipient=url, format="generic"))
    [(headers, body)] = handler.received
    assert headers["x-accord-delivery"] == "<abc.payments-api@accord.notifications>"
    assert headers["x-accord-timestamp"] == "1800000000"
    assert headers["x-accord-signature"] == sign(SECRET, 1_800_000_000, body)
    assert verify(SECRET, headers, body, now=1_800_000_100)
    assert not verify("another secret", headers, body, now=1_800_000_100)
    assert not verify(SECRET, headers, body + b" ", now=1_800_000_100)
    assert not verify(SECRET, headers, body, now=1_800_000_000 + 301)  # a replay
    assert json.loads(body)["event"] == "reminder"


def test_slack_and_teams_payloads(receiver: tuple[str, type[_Receiver]]) -> None:
    url, handler = receiver
    for kind in ("slack", "teams"):
        _webhook().send(_message(channel="webhook", recipient=url, format=kind))
    slack, teams = (json.loads(body) for _, body in handler.received)
    assert slack == {"text": "*[Accord] Reminder: notice due*\nLast day: 2027-10-02\n"}
    assert teams["@type"] == "MessageCard"
    assert teams["title"] == "[Accord] Reminder: notice due"


@pytest.mark.parametrize(("status", "permanent"), [(500, False), (429, False), (410, True)])
def test_a_refused_webhook_fails(
    receiver: tuple[str, type[_Receiver]], status: int, permanent: bool
) -> None:
    url, handler = receiver
    handler.status = status
    with pytest.raises(SendFailed) as failed:
        _webhook().send(_message(channel="webhook", recipient=url, format="generic"))
    assert failed.value.permanent is permanent


def test_a_channel_without_a_sender_waits() -> None:
    with pytest.raises(SendFailed, match="ACCORD_SMTP_HOST") as failed:
        Dispatcher(email=None, webhook=None).send(_message())
    assert not failed.value.permanent
