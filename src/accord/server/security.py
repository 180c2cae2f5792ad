"""Who is calling: ``Authorization: Bearer <token>`` or the ``accord_session`` cookie.

Endpoints depend on ``CurrentPrincipal``; the services decide what the principal may do.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from accord.services.container import Services
from accord.services.credentials import NewSession
from accord.services.errors import Unauthenticated
from accord.services.permissions import Principal

__all__ = [
    "SESSION_COOKIE",
    "CurrentPrincipal",
    "ServicesDep",
    "get_services",
    "set_session_cookie",
]

SESSION_COOKIE: Final = "accord_session"
_bearer = HTTPBearer(auto_error=False, description="An API token (`accord admin create-token`).")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="A session from POST /api/v1/sessions."
)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def _principal(
    request: Request,
    services: ServicesDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    session: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    client = request.client.host if request.client else None
    if bearer is not None and bearer.credentials:
        return services.credentials.authenticate_token(bearer.credentials, client)
    if session:
        return services.credentials.authenticate_session(session, client)
    raise Unauthenticated("sign in: send 'Authorization: Bearer <token>' or a session cookie")


CurrentPrincipal = Annotated[Principal, Depends(_principal)]


def set_session_cookie(
    response: Response,
    request: Request,
    session: NewSession,
    samesite: Literal["lax", "strict"],
) -> None:
    """The session cookie: ``HttpOnly``, ``Secure`` when the request came over TLS, living as
    long as the session."""
    services = get_services(request)
    lifetime = session.expires_at - services.context.clock.now()
    response.set_cookie(
        SESSION_COOKIE,
        session.secret,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite=samesite,
        secure=request.url.scheme == "https",
    )
