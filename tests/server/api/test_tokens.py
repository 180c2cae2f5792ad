"""API tokens: created and shown once, revoked; an admin of the company cannot mint one for a
partner's user; revoking a partner's tokens ends what its session may push."""

from __future__ import annotations

from tests.server.conftest import Api
from tests.services.world import PASSWORD, events

BRAVO = "/api/v1/agreements/acme-bravo"
BATCHES = f"{BRAVO}/sources/requests/batches"
PROBLEM = "application/problem+json"


def test_a_token_is_created_shown_once_and_revoked(api: Api) -> None:
    made = api.post("/api/v1/tokens", "viewer@acme.example", json={"name": "laptop"})
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["token"]["id"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/v1/me", headers=headers).json()["email"] == "viewer@acme.example"
    listed = api.get("/api/v1/tokens", "viewer@acme.example").text
    assert secret not in listed
    assert api.delete(f"/api/v1/tokens/{token_id}", "viewer@acme.example").status_code == 200
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401


def test_after_its_tokens_are_revoked_a_partner_s_session_cannot_push(api: Api) -> None:
    partner = "partner@bravo.example"
    signed_in = api.post("/api/v1/sessions", None, json={"email": partner, "password": PASSWORD})
    assert signed_in.status_code == 201
    for token in api.get("/api/v1/tokens", partner).json():
        assert api.delete(f"/api/v1/tokens/{token['id']}", partner).status_code == 200
    pushed = api.client.put(f"{BATCHES}/after-revoke", json={"events": events(3)})
    assert pushed.status_code == 401


def test_the_company_admin_cannot_mint_a_token_for_a_partner_s_user(api: Api) -> None:
    response = api.post(
        "/api/v1/tokens", "admin@acme.example", json={"name": "x", "user": "partner@bravo.example"}
    )
    assert (response.status_code, response.headers["content-type"]) == (403, PROBLEM)
