"""Password login: a session cookie (HttpOnly, SameSite=Strict) for the web app."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Cookie, Request, Response, status
from pydantic import BaseModel

from accord.server.api.params import IdPath
from accord.server.problems import problem_response
from accord.server.security import (
    SESSION_COOKIE,
    CurrentPrincipal,
    ServicesDep,
    set_session_cookie,
)
from accord.services.credentials import SessionView

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["sessions"])


class LoginIn(BaseModel):
    email: str
    password: str


class SessionOut(BaseModel):
    expires_at: dt.datetime


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Sign in with a password",
    responses={429: problem_response("Too many failed sign-ins: wait Retry-After seconds")},
)
def login(body: LoginIn, request: Request, response: Response, services: ServicesDep) -> SessionOut:
    client = request.client.host if request.client else None
    session = services.credentials.login(body.email, body.password, client)
    set_session_cookie(response, request, session, "strict")
    return SessionOut(expires_at=session.expires_at)


@router.delete(
    "/current", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out", response_model=None
)
def logout(
    services: ServicesDep,
    accord_session: Annotated[str | None, Cookie()] = None,
) -> Response:
    if accord_session:
        services.credentials.logout(accord_session)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("", summary="The caller's open sessions")
def list_sessions(principal: CurrentPrincipal, services: ServicesDep) -> list[SessionView]:
    return services.credentials.sessions(principal)


@router.delete(
    "/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End a session",
    response_model=None,
)
def end_session(session_id: IdPath, principal: CurrentPrincipal, services: ServicesDep) -> Response:
    services.credentials.end_session(principal, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
