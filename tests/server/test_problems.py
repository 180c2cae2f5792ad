"""Errors as problem+json: a malformed body names the field; numbers, names, periods and
instants beyond what the database stores are 422 problems, never a 500."""

from __future__ import annotations

from tests.server.conftest import Api

BRAVO = "/api/v1/agreements/acme-bravo"
PROBLEM = "application/problem+json"


def test_a_malformed_request_body_is_a_422_problem_naming_the_field(api: Api) -> None:
    response = api.post("/api/v1/agreements", "manager@acme.example", json={"txt": "x"})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert "body.text" in response.json()["detail"]


def test_numbers_beyond_what_the_database_stores_are_a_422_problem(api: Api) -> None:
    for path in (
        "/api/v1/audit?after=171383650895490088960",
        f"{BRAVO}/versions/99999999999",
        f"{BRAVO}/verdicts/99999999999",
        f"{BRAVO}/diff?from=1&to=99999999999",
    ):
        response = api.get(path, "admin@acme.example")
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), path


def test_names_longer_than_the_database_stores_are_a_422_problem(api: Api) -> None:
    response = api.post(
        "/api/v1/organisations", "admin@acme.example", json={"slug": "long", "name": "x" * 201}
    )
    assert response.status_code == 422
    assert "more than 200 characters" in response.json()["detail"]
    response = api.post(
        "/api/v1/users",
        "admin@acme.example",
        json={"organisation": "acme", "email": "a" * 400 + "@acme.example", "name": "A"},
    )
    assert response.status_code == 422


def test_periods_and_instants_outside_the_supported_years_are_422_problems(api: Api) -> None:
    manager = "manager@acme.example"
    for body in (
        {"period": "9999-12-31"},
        {"period": "0001-01"},
        {"period": "2026-10", "as_of": "9999-12-31T00:00:00Z"},
    ):
        response = api.post(f"{BRAVO}/evaluations", manager, json=body)
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), body
        assert "outside the supported years 1970–2999" in response.json()["detail"]
