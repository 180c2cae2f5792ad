"""Errors on pages are pages: an unknown address, another organisation's agreement and a
path that cannot be a number all render the 404 page; a bad query is a 400 page; without a
session the browser is sent to sign in; the API under the same app keeps problem+json."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.services.world import PASSWORD

HTML = "text/html; charset=utf-8"


@pytest.fixture
def partner(client: TestClient) -> TestClient:
    """The client signed in as bravo's partner user (a session cookie)."""
    signed_in = client.post(
        "/api/v1/sessions", json={"email": "partner@bravo.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 201
    return client


def test_another_organisation_s_agreement_is_the_same_404_page_as_none(
    partner: TestClient,
) -> None:
    other = partner.get("/agreements/acme-charlie")
    missing = partner.get("/agreements/no-such-agreement")
    for response in (other, missing):
        assert (response.status_code, response.headers["content-type"]) == (404, HTML)
        assert "<title>Not found" in response.text
    own = partner.get("/agreements/acme-bravo")
    assert own.status_code == 200


def test_an_unknown_address_and_a_path_that_is_no_id_are_404_pages(partner: TestClient) -> None:
    for path in ("/no-such-page", "/agreements/acme-bravo/verdicts/x"):
        response = partner.get(path)
        assert (response.status_code, response.headers["content-type"]) == (404, HTML), path
        assert "<p>There is no such page.</p>" in response.text, path
    beyond = partner.get("/agreements/acme-bravo/verdicts/0")
    assert beyond.status_code == 404
    assert "has no verdict 0" in beyond.text


def test_without_a_session_a_page_sends_the_browser_to_sign_in(client: TestClient) -> None:
    response = client.get("/agreements/acme-bravo", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/sign-in")


def test_the_api_under_the_same_app_keeps_its_problems(partner: TestClient) -> None:
    response = partner.get("/api/v1/agreements/acme-charlie")
    assert (response.status_code, response.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
