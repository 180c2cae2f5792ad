"""Password sessions: a login sets an HttpOnly cookie, a wrong password is a 401 problem and
repeated wrong passwords a 429 with Retry-After."""

from __future__ import annotations

from tests.server.conftest import Api
from tests.services.world import PASSWORD

PROBLEM = "application/problem+json"


def test_a_password_login_sets_a_session_cookie(api: Api) -> None:
    response = api.client.post(
        "/api/v1/sessions", json={"email": "auditor@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert "httponly" in response.headers["set-cookie"].lower()
    assert api.client.get("/api/v1/me").json()["email"] == "auditor@acme.example"
    assert api.client.get("/api/v1/audit/verification").json()["findings"] == []
    assert api.client.delete("/api/v1/sessions/current").status_code == 204
    assert api.client.get("/api/v1/me").status_code == 401


def test_a_wrong_password_is_a_401_problem(api: Api) -> None:
    response = api.client.post(
        "/api/v1/sessions", json={"email": "auditor@acme.example", "password": "nope nope nope"}
    )
    assert (response.status_code, response.headers["content-type"]) == (401, PROBLEM)


def test_repeated_wrong_passwords_are_a_429_with_retry_after(api: Api) -> None:
    wrong = {"email": "viewer@acme.example", "password": "not the password"}
    statuses = [api.post("/api/v1/sessions", None, json=wrong).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    right = {"email": "viewer@acme.example", "password": PASSWORD}
    refused = api.post("/api/v1/sessions", None, json=right)
    assert (refused.status_code, refused.headers["content-type"]) == (429, PROBLEM)
    assert refused.headers["retry-after"] == str(refused.json()["retry_after"]) == "1"
