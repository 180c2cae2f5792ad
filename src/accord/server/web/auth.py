"""Signing in and out of the web app, and the checks every page and form goes through.

A page needs a signed-in user (``PagePrincipal``); without one the browser is sent to the
sign-in form, which brings it back. The session cookie is ``HttpOnly``, ``SameSite=Lax`` and
``Secure`` when the request came over TLS. Every form carries a CSRF token that must equal
the browser's ``accord_csrf`` cookie (double submit); a form without it is refused.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Final
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from accord.server.security import SESSION_COOKIE, ServicesDep, set_session_cookie
from accord.server.web.rendering import CSRF_COOKIE, CSRF_FIELD, page
from accord.services.errors import Forbidden, Throttled, Unauthenticated
from accord.services.permissions import Principal

__all__ = [
    "CsrfRefused",
    "PagePrincipal",
    "SignInRequired",
    "checked_form",
    "router",
    "sign_in_redirect",
]

router = APIRouter()
_HOME: Final = "/"


class SignInRequired(Exception):
    """A page was asked for without a valid session: the browser goes to the sign-in form."""


class CsrfRefused(Forbidden):
    """A form arrived without the token this browser was given."""


def _session_principal(request: Request, services: ServicesDep) -> Principal:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise SignInRequired
    try:
        return services.credentials.authenticate_session(secret)
    except Unauthenticated:
        raise SignInRequired from None


PagePrincipal = Annotated[Principal, Depends(_session_principal)]


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its CSRF token matches the browser's cookie."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.cookies.get(CSRF_COOKIE)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused(
            "the form was refused: it carries no valid security token. "
            "Reload the page and send it again."
        )
    return form


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//host`` or a URL) is a place to return to."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return _HOME
    return target


@router.get("/sign-in", include_in_schema=False)
def sign_in_form(request: Request, next: str | None = None) -> Response:
    return page(request, "sign_in.html", None, next=_safe_next(next), error=None)


@router.post("/sign-in", include_in_schema=False)
async def sign_in(request: Request, services: ServicesDep) -> Response:
    form = await checked_form(request)
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    client = request.client.host if request.client else None
    try:
        session = services.credentials.login(email.strip(), password, client)
    except Throttled as exc:
        # Throttled per account and per address, as the API's sign-in is.
        refused = page(
            request,
            "sign_in.html",
            None,
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            next=target,
            email=email,
            error=f"Too many attempts, try again in {exc.retry_after_seconds} s.",
        )
        refused.headers["Retry-After"] = str(exc.retry_after_seconds)
        return refused
    except Unauthenticated:
        return page(
            request,
            "sign_in.html",
            None,
            status_code=status.HTTP_401_UNAUTHORIZED,
            next=target,
            email=email,
            error="The e-mail address or the password is not right.",
        )
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    set_session_cookie(response, request, session, "lax")
    return response


@router.post("/sign-out", include_in_schema=False)
async def sign_out(request: Request, services: ServicesDep) -> Response:
    await checked_form(request)
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        services.credentials.logout(secret)
    response = RedirectResponse("/sign-in", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE)
    return response


def sign_in_redirect(request: Request) -> Response:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(
        f"/sign-in?next={quote(path, safe='')}", status_code=status.HTTP_303_SEE_OTHER
    )
