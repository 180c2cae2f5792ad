"""Sign-in, sign-out and the checks on every form and page, through an in-process client:
session cookie attributes, CSRF refusal, security headers, HTML errors for pages."""

from __future__ import annotations

import re

from httpx import Response
from starlette.testclient import TestClient

from tests.server.conftest import Api
from tests.services.world import PASSWORD


def _csrf(client: TestClient, path: str = "/sign-in") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, email: str = "manager@acme.example") -> None:
    form = {"email": email, "password": PASSWORD, "csrf_token": _csrf(client), "next": "/"}
    response = client.post("/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_the_session_cookie_is_http_only_and_lax(client: TestClient) -> None:
    form = {"email": "manager@acme.example", "password": PASSWORD, "csrf_token": _csrf(client)}
    response = client.post("/sign-in", data=form, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "accord_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS it is Secure


def test_the_session_cookie_is_secure_behind_tls(client: TestClient) -> None:
    token = _csrf(client)
    form = {"email": "manager@acme.example", "password": PASSWORD, "csrf_token": token}
    secure = TestClient(client.app, base_url="https://testserver")
    secure.cookies.set("accord_csrf", token)
    response = secure.post("/sign-in", data=form, follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"]


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/sign-in")
    form = {"email": "manager@acme.example", "password": PASSWORD}
    response = client.post("/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "security token" in response.text
    assert "accord_session" not in response.headers.get("set-cookie", "")


def test_a_form_with_another_browsers_token_is_refused(client: TestClient) -> None:
    _sign_in(client)
    response = client.post("/sign-out", data={"csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_a_page_without_a_session_sends_the_browser_to_sign_in(client: TestClient) -> None:
    response = client.get("/?status=breach", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2F%3Fstatus%3Dbreach"


def test_sign_in_returns_only_to_a_path_on_this_site(client: TestClient) -> None:
    form = {
        "email": "manager@acme.example",
        "password": PASSWORD,
        "csrf_token": _csrf(client),
        "next": "//evil.example/",
    }
    response = client.post("/sign-in", data=form, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    _sign_in(client)
    for path in ("/", "/sign-in", "/api/v1/organisations", "/nowhere", "/healthz"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert "script-src 'self';" in policy, path
        assert "unsafe-inline" not in policy, path


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    _sign_in(client)
    html = client.get("/").text
    assert "<script" not in html
    assert "style=" not in html
    assert "<style" not in html


def test_an_unknown_page_is_an_html_404_and_the_api_keeps_problem_json(
    client: TestClient,
) -> None:
    _sign_in(client)
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/agreements/nope")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_api_tokens_work_as_before(api: Api) -> None:
    assert api.get("/api/v1/agreements", "manager@acme.example").status_code == 200


def _attempt(client: TestClient, email: str, password: str) -> Response:
    form = {"email": email, "password": password, "csrf_token": _csrf(client), "next": "/"}
    return client.post("/sign-in", data=form, follow_redirects=False)


def test_repeated_wrong_passwords_show_too_many_attempts_with_a_429(client: TestClient) -> None:
    statuses = [_attempt(client, "viewer@acme.example", "not it").status_code for _ in range(5)]

    refused = _attempt(client, "viewer@acme.example", PASSWORD)

    assert statuses == [401] * 5
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "Too many attempts, try again in 1 s." in refused.text
    assert "accord_session" not in refused.headers.get("set-cookie", "")


def test_sign_ins_are_throttled_per_client_address(client: TestClient) -> None:
    """Twenty failures from one address, each for another account (no account reaches its
    own limit), then the right password from that address waits; elsewhere it does not."""
    for number in range(20):
        assert _attempt(client, f"guess{number}@acme.example", "wrong").status_code == 401

    from_there = _attempt(client, "manager@acme.example", PASSWORD)
    elsewhere = TestClient(client.app, client=("192.0.2.7", 50000))
    from_elsewhere = _attempt(elsewhere, "manager@acme.example", PASSWORD)

    assert from_there.status_code == 429
    assert "Too many attempts" in from_there.text
    assert from_elsewhere.status_code == 303
