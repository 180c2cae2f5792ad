"""Support as written: at least one channel and one language; a channel staffed around the
clock and open to every severity unless it says otherwise."""

from __future__ import annotations

from accord.core.model.support import Support, SupportChannel
from tests.core.model.refused import refusal

PHONE = {"channel": "phone", "address": "+49 30 1234567"}


def test_a_channel_is_staffed_around_the_clock_for_every_severity_unless_told() -> None:
    phone = SupportChannel.model_validate(PHONE)
    office = SupportChannel.model_validate({**PHONE, "calendar": "office", "severities": ["sev1"]})

    assert (phone.calendar, phone.severities) == ("24x7", [])  # empty: all severities
    assert (office.calendar, office.severities) == ("office", ["sev1"])


def test_a_channel_names_a_known_medium_and_where_to_reach_it() -> None:
    assert refusal(SupportChannel, {**PHONE, "channel": "fax"})[0] == ("channel",)
    assert refusal(SupportChannel, {**PHONE, "address": ""})[0] == ("address",)
    assert refusal(SupportChannel, {**PHONE, "calendar": "Office Hours"})[0] == ("calendar",)


def test_support_needs_a_channel_and_a_language() -> None:
    assert (
        Support.model_validate({"channels": [PHONE], "languages": ["de", "en"]}).accessibility == []
    )
    assert refusal(Support, {"channels": [], "languages": ["de"]})[0] == ("channels",)
    assert refusal(Support, {"channels": [PHONE], "languages": []})[0] == ("languages",)
