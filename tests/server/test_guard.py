"""Limits before work: body size, media type, read time and JSON depth are held before a
route (and so authentication) sees the request; each refusal is a problem naming its limit."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from accord.server.guard import BodyRule, RequestGuard, json_depth, lone_surrogate
from tests.server.conftest import Api

SESSIONS = "/api/v1/sessions"
BATCHES = "/api/v1/agreements/acme-bravo/sources/requests/batches"
PROBLEM = "application/problem+json"


def _nested(depth: int) -> bytes:
    return b'{"events": ' + b"[" * depth + b"]" * depth + b"}"


def test_a_json_body_over_its_limit_is_refused_before_signing_in(api: Api) -> None:
    limit = api.world.services.limits.max_json_bytes
    body = json.dumps({"email": "x@y.example", "password": "p" * limit}).encode()
    response = api.client.post(SESSIONS, content=body, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.headers["content-type"]) == (413, PROBLEM)
    problem = response.json()
    assert problem["limit"] == f"{limit} bytes"
    assert f"POST {SESSIONS}" in problem["detail"]


def test_a_chunked_body_is_counted_as_it_arrives(api: Api) -> None:
    limit = api.world.services.limits.max_json_bytes

    def chunks() -> Iterator[bytes]:
        yield b'{"email": "x@y.example", "password": "'
        for _ in range(limit // 1024 + 1):
            yield b"p" * 1024
        yield b'"}'

    response = api.client.post(
        "/api/v1/tokens", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert (response.status_code, response.json()["type"]) == (413, "urn:accord:problem:too-large")


def test_an_agreement_upload_has_its_own_larger_limit(api: Api) -> None:
    limits = api.world.services.limits
    text = "# " + "x" * (limits.max_json_bytes * 2)
    fits = api.post("/api/v1/agreements", "manager@acme.example", json={"text": text})
    assert fits.status_code == 422  # read and judged: a comment is not an agreement
    huge = "# " + "x" * limits.max_agreement_bytes
    refused = api.post("/api/v1/agreements", "manager@acme.example", json={"text": huge})
    assert refused.status_code == 413
    assert refused.json()["limit"] == f"{limits.max_agreement_bytes} bytes"


def test_json_nested_too_deep_is_a_422_not_a_server_error(api: Api) -> None:
    response = api.client.post(
        SESSIONS, content=_nested(1000), headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["type"]) == (422, "urn:accord:problem:too-deep")
    assert response.json()["limit"] == "JSON depth 32"


def test_a_push_nested_too_deep_is_a_422_not_a_server_error(api: Api) -> None:
    response = api.put(
        f"{BATCHES}/deep",
        "partner@bravo.example",
        content=_nested(1000),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "deeper than 32 levels" in response.json()["detail"]


def test_a_wrong_media_type_is_a_415_naming_what_the_route_takes(api: Api) -> None:
    response = api.client.post(
        SESSIONS, content=b"email=a&password=b", headers={"Content-Type": "text/plain"}
    )
    assert (response.status_code, response.headers["content-type"]) == (415, PROBLEM)
    assert response.json()["detail"] == f"POST {SESSIONS} takes application/json, not text/plain"


def test_strings_that_hold_brackets_do_not_count_as_depth() -> None:
    assert json_depth(b'{"a": "[[[[[[[[\\"[[["}', 3) == 1
    assert json_depth(b"[[[[[]]]]]", 3) == 4  # counted up to one past the limit


def test_a_body_that_does_not_arrive_in_time_is_a_408() -> None:
    sent: list[Message] = []
    reached: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope)

    guard = RequestGuard(
        app,
        rules=[BodyRule(frozenset({"POST"}), re.compile("/slow"), 100)],
        default_bytes=100,
        read_seconds=0.05,
        max_json_depth=4,
    )
    never = anyio.Event()

    async def receive() -> Message:
        await never.wait()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/slow", "headers": []}
    anyio.run(guard, scope, receive, send)
    assert sent[0]["status"] == 408
    assert reached == []


@pytest.mark.parametrize("length", ["abc", "-1"])
def test_a_content_length_that_is_not_a_number_is_a_400(api: Api, length: str) -> None:
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the route must not be reached")

    guard = RequestGuard(app, rules=[], default_bytes=10, read_seconds=1, max_json_depth=4)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"content-length", length.encode())]
    scope: Scope = {"type": "http", "method": "POST", "path": "/x", "headers": headers}
    anyio.run(guard, scope, receive, send)
    assert sent[0]["status"] == 400


def test_a_lone_surrogate_in_a_sign_in_is_a_422_not_a_server_error(api: Api) -> None:
    body = b'{"email": "a\\ud800@acme.example", "password": "x"}'
    response = api.client.post(SESSIONS, content=body, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["type"]) == (
        422,
        "urn:accord:problem:invalid-text",
    )


def test_a_lone_surrogate_in_a_push_is_a_422(api: Api) -> None:
    response = api.put(
        f"{BATCHES}/surrogate",
        "partner@bravo.example",
        content=b'{"events": [{"id": "\\udc00"}]}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "surrogate" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "lone"),
    [
        (b'"\\ud83d\\ude00"', False),  # a pair: one emoji
        (b'"\\\\ud800"', False),  # an escaped backslash, then the text ud800
        (b'"\\ud800"', True),
        (b'"\\ude00"', True),
        (b'"\\ud83d\\n\\ude00"', True),
        (b'"\\ud83d"', True),
    ],
)
def test_lone_surrogates_are_told_from_pairs(body: bytes, lone: bool) -> None:
    assert lone_surrogate(body) is lone
