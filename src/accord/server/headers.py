"""Security headers on every response, in one ASGI middleware that every app of the service
(the API, the web app) wraps itself in.

- ``Content-Security-Policy``: only the service's own scripts, styles and images; no
  framing (``frame-ancestors 'none'``), no plug-ins, forms post only to the service;
- ``X-Content-Type-Options: nosniff`` and ``X-Frame-Options: DENY`` (older browsers);
- ``Referrer-Policy: no-referrer``; ``Cross-Origin-Opener-Policy: same-origin``;
- ``Strict-Transport-Security`` when the request came over TLS (behind a proxy: run uvicorn
  with ``--proxy-headers`` so that ``X-Forwarded-Proto: https`` counts);
- ``Cache-Control: no-store`` on API answers and on any answer to a request that carries
  credentials, unless the route chose its own caching.
"""

from __future__ import annotations

from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_CSP", "SecurityHeaders"]

DEFAULT_CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HSTS: Final = "max-age=63072000; includeSubDomains"
_ALWAYS: Final = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the headers above to every HTTP response of ``app``; ``no_store_prefixes`` are
    the paths whose answers are never cached (the API's)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        csp: str = DEFAULT_CSP,
        no_store_prefixes: tuple[str, ...] = ("/api/",),
    ) -> None:
        self.app = app
        self.csp = csp
        self.no_store_prefixes = no_store_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = scope["path"].startswith(self.no_store_prefixes) or _has_credentials(scope)
        tls = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", self.csp)
                if tls:
                    headers.setdefault("Strict-Transport-Security", _HSTS)
                if no_store:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def _has_credentials(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and b"accord_session=" in value):
            return True
    return False
