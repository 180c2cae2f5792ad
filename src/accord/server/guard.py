"""Limits before work: every request body is held to its route's size, media types, read
time and (JSON) nesting depth before any of it reaches a route, and so before authentication.

A ``Content-Length`` over the limit is refused without reading a byte; a body that arrives
without one (chunked) is counted as it streams and refused as soon as it passes the limit.
Small JSON bodies are read here in full (they are bounded) and checked for depth; pushed
batches stream on to their route, which checks the depth of what it parses itself
(``json_depth``). Every refusal is a problem (413, 415, 408, 422) that names the limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.server.problems import problem

__all__ = ["NDJSON", "BodyRule", "RequestGuard", "json_depth", "lone_surrogate"]

_BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_JSON: Final = ("application/json",)
#: The media types of JSON lines.
NDJSON: Final = ("application/x-ndjson", "application/jsonl", "application/json-lines")
_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET: Final = re.compile(rb"[\[\]{}]")
_ESCAPE: Final = re.compile(rb"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


def json_depth(document: bytes, limit: int) -> int:
    """How deep ``document``'s arrays and objects nest, counted up to ``limit + 1`` (enough
    to refuse it): strings are cut out first, so only structural brackets count."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b"", document)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def lone_surrogate(document: bytes) -> bool:
    """Whether a JSON text escapes half a surrogate pair (``"\\ud800"``): valid JSON, but
    no text a database or file can hold."""
    high_ends = -1  # where the last unpaired high surrogate's escape ends
    for escape in _ESCAPE.finditer(document):
        code = int(escape[1][1:], 16) if len(escape[1]) == 5 else -1
        paired_low = 0xDC00 <= code <= 0xDFFF and high_ends == escape.start()
        if (high_ends >= 0 and not paired_low) or (0xDC00 <= code <= 0xDFFF and not paired_low):
            return True
        high_ends = escape.end() if 0xD800 <= code <= 0xDBFF else -1
    return high_ends >= 0


@dataclass(frozen=True)
class BodyRule:
    """The body a route takes: its size limit, media types and whether it streams on."""

    methods: frozenset[str]
    #: Matched against the whole path.
    path: re.Pattern[str]
    max_bytes: int
    media_types: tuple[str, ...] = _JSON
    #: Streamed on to the route (counted, not buffered); the route parses it itself.
    streamed: bool = False

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and self.path.fullmatch(path) is not None


class _Refused(Exception):
    def __init__(self, status: int, detail: str, kind: str, limit: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.kind, self.limit = status, detail, kind, limit


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    rule: BodyRule

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


class RequestGuard:
    """ASGI middleware holding request bodies to ``rules`` (the first that matches) or to
    ``default_bytes`` of JSON; ``read_seconds`` bounds how long a body may take to arrive."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        rules: Sequence[BodyRule],
        default_bytes: int,
        read_seconds: float,
        max_json_depth: int,
    ) -> None:
        self.app = app
        self.rules = tuple(rules)
        self.default = BodyRule(frozenset(_BODY_METHODS), re.compile(".*"), default_bytes)
        self.read_seconds = read_seconds
        self.max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        rule = next((r for r in self.rules if r.matches(method, path)), self.default)
        request = _Request(method, path, rule)
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            headers = _headers(scope)
            self._check_headers(request, headers)
            counted = _Counted(receive, request, self.read_seconds)
            if rule.streamed:
                await self.app(scope, counted.receive, watched)
                return
            body = await counted.read_all()
            if _media(headers) in ("", *_JSON) and body:
                self._check_json(request, body)
            await self.app(scope, _replay(body, receive), watched)
        except _Refused as refusal:
            if started:
                raise
            response = problem(refusal.status, refusal.detail, refusal.kind, limit=refusal.limit)
            await response(scope, receive, send)

    def _check_headers(self, request: _Request, headers: dict[str, str]) -> None:
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise _Refused(400, f"Content-Length {length!r} is not a number", "bad-request", "")
            if int(length) > request.rule.max_bytes:
                raise _too_large(request)
            if int(length) == 0:
                return
        media = _media(headers)
        if media and media not in request.rule.media_types:
            accepted = " or ".join(request.rule.media_types)
            raise _Refused(
                415,
                f"{request.name} takes {accepted}, not {media}",
                "unsupported-media-type",
                f"media types: {accepted}",
            )

    def _check_json(self, request: _Request, body: bytes) -> None:
        if lone_surrogate(body):
            raise _Refused(
                422,
                f"the JSON body of {request.name} escapes half a surrogate pair (e.g. \\ud800),"
                " which no text can hold; send whole characters",
                "invalid-text",
                "whole Unicode characters",
            )
        if json_depth(body, self.max_json_depth) > self.max_json_depth:
            raise _Refused(
                422,
                f"the JSON body of {request.name} nests deeper than {self.max_json_depth} levels",
                "too-deep",
                f"JSON depth {self.max_json_depth}",
            )


def _too_large(request: _Request) -> _Refused:
    limit = request.rule.max_bytes
    return _Refused(
        413,
        f"the body of {request.name} is larger than its limit of {limit:,} bytes",
        "too-large",
        f"{limit} bytes",
    )


class _Counted:
    """The body as it arrives, refused once it passes the route's limit or takes too long."""

    def __init__(self, receive: Receive, request: _Request, seconds: float) -> None:
        self._receive = receive
        self._request = request
        self._seconds = seconds
        self._deadline: float | None = None
        self._received = 0

    async def receive(self) -> Message:
        now = anyio.current_time()
        if self._deadline is None:
            self._deadline = now + self._seconds
        try:
            with anyio.fail_after(max(self._deadline - now, 0)):
                message = await self._receive()
        except TimeoutError:
            raise _Refused(
                408,
                f"the body of {self._request.name} did not arrive within {self._seconds:g} s",
                "request-timeout",
                f"{self._seconds:g} seconds",
            ) from None
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._request.rule.max_bytes:
                raise _too_large(self._request)
        return message

    async def read_all(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            message = await self.receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read here, handed on once; then whatever the server says (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


def _media(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()
