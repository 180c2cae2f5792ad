"""The FastAPI application factory: routes under ``/api/v1``, problem+json errors,
``GET /healthz`` and the OpenAPI description at ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from accord import __version__
from accord.server.api import router
from accord.server.problems import (
    PROBLEM_RESPONSES,
    Problem,
    install_problem_handlers,
    problem,
    problem_response,
)
from accord.server.security import ServicesDep
from accord.services.container import Services

__all__ = ["create_app"]


def create_app(services: Services) -> FastAPI:
    """The API over ``services`` (built by ``accord.bootstrap.build``)."""
    app = FastAPI(
        title="Accord",
        version=__version__,
        description="Service level agreements with partners: agreements, measurements, "
        "verdicts, credits and the audit trail. Errors are application/problem+json.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.services = services
    install_problem_handlers(app)
    app.include_router(router, prefix="/api/v1", responses=PROBLEM_RESPONSES)

    @app.get(
        "/healthz",
        tags=["health"],
        summary="Whether the service is ready",
        responses={503: problem_response("The database does not answer")},
    )
    def healthz(services: ServicesDep) -> Response:
        try:
            services.ready()
        except Exception:  # any failure of the database means not ready
            return problem(503, "the database does not answer", "not-ready")
        return JSONResponse({"status": "ok"})

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_problem_schema(FastAPI.openapi(app))
        return FastAPI.openapi(app)

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _add_problem_schema(description: dict[str, Any]) -> None:
    """The ``Problem`` schema every error response refers to (FastAPI knows only models)."""
    schemas = description.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
