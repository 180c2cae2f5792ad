"""Obligations and notifications over the API: each user sets only its own preferences."""

from __future__ import annotations

from tests.server.conftest import Api


def test_each_user_sets_only_its_own_notification_preferences(api: Api) -> None:
    path = "/api/v1/me/notification-preferences"
    assert api.get(path, "partner@bravo.example").json() == {"email": True, "muted": []}
    mine = api.put(path, "partner@bravo.example", json={"muted": ["reminder", "review"]})
    assert mine.status_code == 200, mine.text
    assert api.get(path, "partner@bravo.example").json()["muted"] == ["reminder", "review"]
    assert api.get(path, "partner@charlie.example").json()["muted"] == []
    refused = api.put(path, "partner@bravo.example", json={"muted": ["escalation"]})
    assert refused.status_code == 422
