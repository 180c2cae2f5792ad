"""What a notification says: the event's subject and lead, the title and facts as lines,
the same in HTML with every value escaped, and the JSON document webhooks send."""

from __future__ import annotations

import json

import pytest

from accord.services.messages import Notice, render

NOTICE = Notice(
    event="reminder",
    key="obligation:7:reminder",
    agreement="acme-bravo",
    title="Report <October> due",
    facts={"Due": "2026-11-05 17:00 UTC", "Party": "bravo & co"},
)


def test_the_text_says_the_event_the_title_and_each_fact() -> None:
    rendered = render(NOTICE, "<m1@accord>")
    assert rendered.subject == "[Accord] Reminder: Report <October> due"
    assert rendered.text.splitlines()[:5] == [
        "A deadline under the agreement acme-bravo is coming up.",
        "",
        "Report <October> due",
        "",
        "Due: 2026-11-05 17:00 UTC",
    ]
    assert rendered.text.endswith("Sent by Accord from the agreement's notification settings.\n")


def test_the_html_escapes_every_value() -> None:
    page = render(NOTICE, "<m1@accord>").html
    assert "<h1>Report &lt;October&gt; due</h1>" in page
    assert "<tr><th>Party</th><td>bravo &amp; co</td></tr>" in page
    assert "<October>" not in page


def test_the_payload_is_the_event_as_json() -> None:
    payload = json.loads(render(NOTICE, "<m1@accord>").payload)
    assert payload == {
        "id": "<m1@accord>",
        "event": "reminder",
        "key": "obligation:7:reminder",
        "agreement": "acme-bravo",
        "title": "Report <October> due",
        "data": {"Due": "2026-11-05 17:00 UTC", "Party": "bravo & co"},
    }


def test_each_event_has_its_own_subject_and_an_unknown_one_has_none() -> None:
    report = Notice(event="report", key="k", agreement="bravo", title="2026-10")
    rendered = render(report, "<m2@accord>")
    assert rendered.subject == "[Accord] Report: 2026-10"
    assert rendered.text.startswith("A period report about bravo is ready.\n")
    with pytest.raises(KeyError):
        render(Notice(event="gossip", key="k", agreement="a", title="t"), "<m3@accord>")
