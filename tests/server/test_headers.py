"""Security headers on every response: refusals, errors, documents and API answers alike."""

from __future__ import annotations

import pytest

from tests.server.conftest import Api

ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/api/v1/agreements", 401),
        ("GET", "/api/v1/nothing", 404),
        ("POST", "/api/v1/sessions", 415),
    ],
)
def test_every_response_carries_the_security_headers(
    api: Api, method: str, path: str, status: int
) -> None:
    response = api.client.request(method, path, content=b"x", headers={"Content-Type": "text/x"})
    assert response.status_code == status
    for name, value in ALWAYS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "strict-transport-security" not in response.headers  # plain HTTP


def test_api_answers_are_never_cached(api: Api) -> None:
    response = api.get("/api/v1/agreements", "viewer@acme.example")
    assert (response.status_code, response.headers["cache-control"]) == (200, "no-store")


def test_hsts_is_sent_when_the_request_came_over_tls(api: Api) -> None:
    response = api.client.get("https://testserver/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_the_api_reference_is_served_from_the_package_not_a_cdn(api: Api) -> None:
    page = api.get("/docs", None)
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert "http" not in page.text.replace('href="/openapi.json"', "")
    assert 'src="/docs/docs.js"' in page.text
    script = api.get("/docs/docs.js", None)
    assert (script.status_code, script.headers["content-type"]) == (
        200,
        "text/javascript; charset=utf-8",
    )
    assert "/openapi.json" in script.text
    assert api.get("/docs/docs.css", None).status_code == 200
    assert api.get("/docs/app.py", None).status_code == 404
