"""Users over the API: an admin disables and enables a user of its own organisation only."""

from __future__ import annotations

from tests.server.conftest import Api


def test_an_admin_disables_and_enables_a_user_over_the_api(api: Api) -> None:
    admin, partner = "admin@bravo.example", "partner@bravo.example"
    disabled = api.post(f"/api/v1/users/{partner}/disable", admin)
    assert (disabled.status_code, disabled.json()["disabled"]) == (200, True)
    assert api.get("/api/v1/me", partner).status_code == 401
    assert api.post(f"/api/v1/users/{partner}/enable", admin).json()["disabled"] is False
    assert api.get("/api/v1/me", partner).status_code == 200
    other_tenant = api.post("/api/v1/users/partner@charlie.example/disable", admin)
    assert other_tenant.status_code == 404
