"""What a notification says: one template per event, as a subject, plain text and HTML.

A ``Notice`` is what happened (an event, its key, its facts); ``render`` turns it into the
words people read. Values are escaped in the HTML part; nothing is read from outside.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["Notice", "Rendered", "render"]

#: Per event: the subject's prefix and the first line of the message.
_TEMPLATES: Final[Mapping[str, tuple[str, str]]] = {
    "reminder": ("Reminder", "A deadline under the agreement {agreement} is coming up."),
    "obligation_missed": ("Missed", "An obligation under the agreement {agreement} lapsed."),
    "incident": ("Incident", "An incident under the agreement {agreement} changed."),
    "escalation": (
        "Escalation",
        "An obligation under the agreement {agreement} lapsed; it is escalated to you.",
    ),
    "review": ("Review", "A post-incident review under the agreement {agreement} changed."),
    "review_invitation": (
        "Invitation",
        "You are invited to the governance review under the agreement {agreement}.",
    ),
    "breach_notice": (
        "Breach notice",
        "A security breach notice under the agreement {agreement} is due.",
    ),
    "amendment": ("Amendment", "A change to the agreement {agreement} was proposed or decided."),
    "dispute": ("Dispute", "A dispute under the agreement {agreement} changed."),
    #: ``agreement`` names whom the report is about (a partner, or the portfolio).
    "report": ("Report", "A period report about {agreement} is ready."),
}


@dataclass(frozen=True)
class Notice:
    """Something to tell: ``key`` names the event, so telling it twice tells it once."""

    event: str
    key: str
    agreement: str
    title: str
    #: Facts shown as "name: value" lines and sent in the webhook's ``data``.
    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    payload: str


def render(notice: Notice, message_id: str) -> Rendered:
    prefix, lead = _TEMPLATES[notice.event]
    lead = lead.format(agreement=notice.agreement)
    subject = f"[Accord] {prefix}: {notice.title}"
    lines = [lead, "", notice.title, ""]
    lines += [f"{name}: {value}" for name, value in notice.facts.items()]
    lines += ["", "-- ", "Sent by Accord from the agreement's notification settings."]
    rows = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
        for name, value in notice.facts.items()
    )
    body = (
        f"<html><body><p>{html.escape(lead)}</p><h1>{html.escape(notice.title)}</h1>"
        f"<table>{rows}</table><p><small>Sent by Accord from the agreement's notification "
        "settings.</small></p></body></html>"
    )
    document: dict[str, Any] = {
        "id": message_id,
        "event": notice.event,
        "key": notice.key,
        "agreement": notice.agreement,
        "title": notice.title,
        "data": dict(notice.facts),
    }
    return Rendered(subject, "\n".join(lines) + "\n", body, json.dumps(document, sort_keys=True))
