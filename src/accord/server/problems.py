"""Errors as ``application/problem+json`` (RFC 9457): a type, a title, the status and a
detail that says what to do; invalid agreements add every problem with line and column."""

from __future__ import annotations

import logging
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from accord.services.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    ServiceError,
    TooLarge,
    Unauthenticated,
)

__all__ = ["PROBLEM_JSON", "install_problem_handlers", "problem"]

PROBLEM_JSON: Final = "application/problem+json"
_LOG = logging.getLogger("accord.server")
_STATUS: Final[dict[type[ServiceError], tuple[int, str]]] = {
    NotFound: (404, "not-found"),
    Forbidden: (403, "forbidden"),
    Unauthenticated: (401, "unauthenticated"),
    Invalid: (422, "invalid"),
    Conflict: (409, "conflict"),
    TooLarge: (413, "too-large"),
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
    500: "Internal error",
    503: "Not ready",
}


def problem(status: int, detail: str, kind: str | None = None, **extra: Any) -> JSONResponse:
    body = {
        "type": f"urn:accord:problem:{kind or status}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    status, kind = next(
        (value for cls, value in _STATUS.items() if isinstance(exc, cls)), (400, "bad-request")
    )
    if isinstance(exc, Invalid) and exc.problems:
        return problem(status, exc.message, kind, problems=[p.to_dict() for p in exc.problems])
    return problem(status, exc.message, kind)


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


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, str(exc.detail))


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    _LOG.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "the service failed; the error is logged", "internal")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
