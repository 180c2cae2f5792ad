"""Who is told what: reminders at fixed lead times before a notice deadline (30 and 7 days
unless written), and webhooks limited to the events they name."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.model.notifications import Notifications, Webhook
from accord.core.units import Duration


def test_without_reminders_written_they_go_out_30_and_7_days_ahead() -> None:
    assert Notifications().reminders == [Duration.parse("30 days"), Duration.parse("7 days")]


@pytest.mark.parametrize("lead", ["1 months", "5 business days"])
def test_a_reminder_needs_a_fixed_lead_time(lead: str) -> None:
    with pytest.raises(ValidationError) as error:
        Notifications.model_validate({"reminders": ["14 days", lead]})

    (found,) = error.value.errors()
    assert found["msg"].endswith("before a deadline has no fixed length")
    assert found["ctx"]["at"] == ("reminders", 1)


def test_weeks_are_a_fixed_lead_time() -> None:
    assert Notifications.model_validate({"reminders": ["2 weeks"]}).reminders == [
        Duration.parse("14 days")
    ]


def webhook(**fields: Any) -> Webhook:
    return Webhook.model_validate({"id": "ops", "url": "https://hooks.example/accord", **fields})


def test_a_webhook_without_events_receives_all_in_accords_json() -> None:
    hook = webhook()

    assert (hook.events, hook.format) == ([], "generic")


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "hooks.example/accord"},
        {"url": "https://hooks.example/a b"},
        {"events": ["verdict"]},
        {"format": "discord"},
    ],
)
def test_a_webhook_is_an_http_url_with_known_events_and_format(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        webhook(**fields)
