"""Organisations over the API: the company's admin creates a partner and its user; a
duplicate is a 409 problem."""

from __future__ import annotations

from tests.server.conftest import Api

PROBLEM = "application/problem+json"


def test_the_company_admin_creates_a_partner_and_its_user(api: Api) -> None:
    admin = "admin@acme.example"
    created = api.post("/api/v1/organisations", admin, json={"slug": "delta", "name": "Delta"})
    assert created.status_code == 201
    user = api.post(
        "/api/v1/users",
        admin,
        json={
            "organisation": "delta",
            "email": "ops@delta.example",
            "name": "Ops",
            "roles": ["partner"],
        },
    )
    assert (user.status_code, user.json()["roles"]) == (201, ["partner"])
    granted = api.post("/api/v1/users/ops@delta.example/roles", admin, json={"role": "viewer"})
    assert granted.json()["roles"] == ["partner", "viewer"]
    duplicate = api.post("/api/v1/organisations", admin, json={"slug": "delta", "name": "D"})
    assert (duplicate.status_code, duplicate.headers["content-type"]) == (409, PROBLEM)
