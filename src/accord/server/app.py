"""The FastAPI application factory: routes under ``/api/v1``, problem+json errors,
``GET /healthz``, the OpenAPI description at ``/openapi.json`` and the web app's pages
(``accord.server.web``)."""

from __future__ import annotations

import gc
import re
from importlib import resources
from typing import Any, Final

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from accord import __version__
from accord.server import web
from accord.server.api import router
from accord.server.guard import NDJSON, BodyRule, RequestGuard
from accord.server.headers import SecurityHeaders
from accord.server.problems import (
    PROBLEM_RESPONSES,
    WORK_TIMEOUT_RESPONSE,
    Problem,
    install_problem_handlers,
    problem,
    problem_response,
)
from accord.server.security import ServicesDep
from accord.server.timeouts import WorkTimeout
from accord.services.container import Services
from accord.services.uow import Limits

__all__ = ["create_app", "settle_heap"]

_PUSH: Final = re.compile(r"/api/v1/agreements/[^/]+/sources/[^/]+/batches/[^/]+")
_ASSETS: Final = {"docs.js": "text/javascript", "docs.css": "text/css"}
_UPLOAD: Final = re.compile(r"/api/v1/agreements(/[^/]+/versions)?")
_EVIDENCE: Final = re.compile(r"/api/v1/agreements/[^/]+/disputes/[^/]+/evidence")


def settle_heap() -> None:
    """Once the app is built, before it serves: collect, then move every object alive into
    the permanent generation, where full collections no longer walk it.

    What start-up leaves (modules, models, templates, compiled queries) lives as long as the
    process; a full collection over it took ~160 ms and landed on one request in twenty, the
    portfolio's p95 (``bench.web_pages``). Only a long-lived server calls this: a process that
    builds many apps (the tests) would keep each one forever.
    """
    gc.collect()
    gc.freeze()


def create_app(services: Services) -> FastAPI:
    """The API over ``services`` (built by ``accord.bootstrap.build``)."""
    app = FastAPI(
        title="Accord",
        version=__version__,
        description="Service level agreements with partners: agreements, measurements, "
        "verdicts, credits and the audit trail. Errors are application/problem+json.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    _install_guards(app, services.limits)
    install_problem_handlers(app)
    app.include_router(
        router, prefix="/api/v1", responses={**PROBLEM_RESPONSES, **WORK_TIMEOUT_RESPONSE}
    )
    web.install(app)

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

    _install_docs(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_problem_schema(FastAPI.openapi(app))
        return FastAPI.openapi(app)

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _install_docs(app: FastAPI) -> None:
    """``/docs``: the API reference from the package's own page and script (no CDN, so the
    content security policy holds)."""
    assets = resources.files("accord.server") / "assets"

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return Response((assets / "docs.html").read_bytes(), media_type="text/html")

    @app.get("/docs/{asset}", include_in_schema=False)
    def docs_asset(asset: str) -> Response:
        if asset not in _ASSETS:
            return problem(404, f"no document {asset!r}", "not-found")
        return Response((assets / asset).read_bytes(), media_type=_ASSETS[asset])


def _install_guards(app: FastAPI, limits: Limits) -> None:
    """The work time limit innermost, body limits around it (a body's arrival is timed by
    the guard), security headers outermost (so that refusals carry them too)."""
    rules = [
        BodyRule(
            frozenset({"PUT"}),
            _PUSH,
            limits.max_batch_bytes,
            ("application/json", *NDJSON),
            streamed=True,
        ),
        BodyRule(frozenset({"POST"}), _UPLOAD, limits.max_agreement_bytes),
        # Evidence files as multipart: counted as they stream, parsed (and spooled) by the route
        # (every method: one the route does not take is then a 405, not a 415).
        BodyRule(
            frozenset({"POST", "PUT", "PATCH", "DELETE"}),
            _EVIDENCE,
            limits.max_evidence_bytes,
            ("multipart/form-data",),
            streamed=True,
        ),
        *web.body_rules(limits),
    ]
    app.add_middleware(WorkTimeout, seconds=limits.work_timeout.total_seconds())
    app.add_middleware(
        RequestGuard,
        rules=rules,
        default_bytes=limits.max_json_bytes,
        read_seconds=limits.body_timeout.total_seconds(),
        max_json_depth=limits.max_json_depth,
    )
    app.add_middleware(SecurityHeaders)


def _add_problem_schema(description: dict[str, Any]) -> None:
    """The ``Problem`` schema every error response refers to (FastAPI knows only models)."""
    schemas = description.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
