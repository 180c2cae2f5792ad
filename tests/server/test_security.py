"""Who is calling: a bearer token or a session cookie; without either, or with a wrong or
guessed token, the caller is refused with a 401 problem (429 when guessing goes on)."""

from __future__ import annotations

from tests.server.conftest import Api

PROBLEM = "application/problem+json"


def test_a_request_without_credentials_is_a_401_problem(api: Api) -> None:
    response = api.get("/api/v1/agreements", None)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_wrong_token_is_a_401_problem(api: Api) -> None:
    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer acc_wrong"})
    assert response.status_code == 401


def test_guessed_tokens_are_throttled_with_a_429(api: Api) -> None:
    guesses = [
        api.client.get("/api/v1/me", headers={"Authorization": f"Bearer acc_{n}"}).status_code
        for n in range(21)
    ]
    assert guesses == [401] * 20 + [429]
