"""The FastAPI application factory: routes under ``/api/v1``, problem+json errors,
``GET /healthz`` and the OpenAPI description at ``/openapi.json``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from accord import __version__
from accord.server.api import router
from accord.server.problems import install_problem_handlers, problem
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
    app.include_router(router, prefix="/api/v1")

    @app.get("/healthz", tags=["health"], summary="Whether the service is ready")
    def healthz(services: ServicesDep) -> Response:
        try:
            services.ready()
        except Exception:  # any failure of the database means not ready
            return problem(503, "the database does not answer", "not-ready")
        return JSONResponse({"status": "ok"})

    return app
