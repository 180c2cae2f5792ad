"""Errors as ``application/problem+json`` (RFC 9457): a type, a title, the status and a
detail that says what to do; invalid agreements add every problem with line and column."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

from accord.services.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    Throttled,
    TooLarge,
    Unauthenticated,
    WorkTimedOut,
)

__all__ = [
    "PROBLEM_JSON",
    "PROBLEM_RESPONSES",
    "WORK_TIMEOUT_RESPONSE",
    "Problem",
    "install_problem_handlers",
    "problem",
    "problem_response",
    "status_of",
    "timed_out",
]

PROBLEM_JSON: Final = "application/problem+json"
_METHODS: Final = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
_LOG = logging.getLogger("accord.server")
_STATUS: Final[dict[type[ServiceError], tuple[int, str]]] = {
    Throttled: (429, "throttled"),
    NotFound: (404, "not-found"),
    Forbidden: (403, "forbidden"),
    Unauthenticated: (401, "unauthenticated"),
    Invalid: (422, "invalid"),
    Conflict: (409, "conflict"),
    TooLarge: (413, "too-large"),
    WorkTimedOut: (503, "work-timeout"),
}
_TITLES: Final = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Internal error",
    503: "Not ready",
}


class Problem(BaseModel):
    """An error as ``application/problem+json`` (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="urn:accord:problem:<kind>, e.g. urn:accord:problem:not-found.")
    title: str = Field(description="The kind of error in a few words.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong and what to do about it.")
    problems: list[dict[str, Any]] | None = Field(
        default=None, description="An invalid agreement: every finding with line and column."
    )
    errors: list[dict[str, str]] | None = Field(
        default=None, description="An invalid request: every field (location) and what is wrong."
    )


def problem_response(description: str) -> dict[str, Any]:
    """An OpenAPI response whose body is a ``Problem`` (schema added by ``create_app``)."""
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


#: Every route may refuse a request with a problem; the detail says which and why.
PROBLEM_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    "4XX": problem_response(
        "A problem (RFC 9457): not signed in (401), not allowed (403), not found (404), "
        "conflict (409), too large (413), unsupported media type (415), invalid input (422) "
        "or too many failed attempts (429, with Retry-After)"
    ),
}


#: A request whose work passed its time limit (``accord.services.deadline``).
WORK_TIMEOUT_RESPONSE: Final[dict[int | str, dict[str, Any]]] = {
    503: problem_response(
        "The work did not finish within its time limit and nothing was changed: "
        "try again after Retry-After seconds"
    ),
}


def problem(
    status: int,
    detail: str,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": f"urn:accord:problem:{kind or status}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    all_headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=all_headers)


def status_of(exc: ServiceError) -> tuple[int, str]:
    """The HTTP status of a refusal and the kind of problem it is."""
    return next(
        (value for cls, value in _STATUS.items() if isinstance(exc, cls)), (400, "bad-request")
    )


def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    status, kind = status_of(exc)
    if isinstance(exc, Throttled):
        retry = exc.retry_after_seconds
        return problem(status, exc.message, kind, {"Retry-After": str(retry)}, retry_after=retry)
    if isinstance(exc, WorkTimedOut):
        return timed_out(exc)
    if isinstance(exc, Invalid) and exc.problems:
        return problem(status, exc.message, kind, problems=[p.to_dict() for p in exc.problems])
    return problem(status, exc.message, kind)


def timed_out(exc: WorkTimedOut) -> JSONResponse:
    """503 with Retry-After, naming the limit."""
    retry = exc.retry_after_seconds
    return problem(
        503,
        exc.message,
        "work-timeout",
        {"Retry-After": str(retry)},
        title="Timed out",
        limit=f"{exc.seconds:g} seconds",
        retry_after=retry,
    )


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors()
    ]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors) or "invalid request"
    return problem(422, detail, "invalid-request", errors=errors)


def _allowed_methods(request: Request) -> str:
    """Every method the path takes: Starlette's ``Allow`` names only those of the first
    route on the path, so each method is tried against every route."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem(exc.status_code, str(exc.detail), headers=headers)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    _LOG.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "the service failed; the error is logged", "internal")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
