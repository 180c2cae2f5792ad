"""Errors on pages are pages: a refusal or an unknown address renders the error page with
its status (404 alike for what does not exist and what belongs to another organisation), a
missing session sends the browser to sign in. The API keeps its problem+json."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.types import ExceptionHandler

from accord.server.problems import status_of
from accord.server.web.auth import SignInRequired, sign_in_redirect
from accord.server.web.rendering import page
from accord.services.errors import ServiceError

__all__ = ["install_page_errors", "is_page"]

_NOT_PAGES: Final = ("/api/", "/openapi.json", "/healthz", "/docs", "/static/")
_TITLES: Final = {
    400: "That request cannot be used",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    405: "Not possible here",
    409: "Conflict",
    413: "Too large",
    422: "That input cannot be used",
}


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(_NOT_PAGES)


def _error_page(request: Request, status_code: int, detail: str) -> Response:
    return page(
        request,
        "error.html",
        None,
        status_code=status_code,
        title=_TITLES.get(status_code, "Something went wrong"),
        detail=detail,
    )


def install_page_errors(app: FastAPI) -> None:
    """Wraps the API's handlers: pages get HTML, everything else what it got before."""
    api_service = app.exception_handlers[ServiceError]
    api_http = app.exception_handlers[HTTPException]
    api_invalid = app.exception_handlers[RequestValidationError]

    async def service_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceError)
        if not is_page(request):
            return await _call(api_service, request, exc)
        return _error_page(request, status_of(exc)[0], exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if not is_page(request):
            return await _call(api_http, request, exc)
        detail = "There is no such page." if exc.status_code == 404 else str(exc.detail)
        return _error_page(request, exc.status_code, detail)

    async def sign_in_required(request: Request, _exc: Exception) -> Response:
        return sign_in_redirect(request)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not is_page(request):
            return await _call(api_invalid, request, exc)
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            return _error_page(request, 404, "There is no such page.")
        return _error_page(request, 400, "The address asks for something this page cannot show.")

    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(SignInRequired, sign_in_required)


async def _call(handler: ExceptionHandler, request: Request, exc: Exception) -> Response:
    """The API's own handler (a plain function of the request and the error)."""
    plain = cast(Callable[[Request, Exception], Response | Awaitable[Response]], handler)
    result = plain(request, exc)
    if isinstance(result, Response):
        return result
    return await result
