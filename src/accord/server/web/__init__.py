"""The web app: server-rendered pages in the same process as the API, one module per screen.

``install`` adds the pages, their static files and the HTML error pages to an application.
"""

from __future__ import annotations

import re
from typing import Final

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from accord.server.guard import BodyRule
from accord.server.web import (
    agreements,
    amendments,
    auth,
    batches,
    disputes,
    drilldown,
    incidents,
    portfolio,
    reports,
    reviews,
    status,
)
from accord.server.web.errors import install_page_errors
from accord.services.uow import Limits

__all__ = [
    "agreements",
    "amendments",
    "auth",
    "batches",
    "body_rules",
    "disputes",
    "drilldown",
    "errors",
    "incidents",
    "install",
    "portfolio",
    "rendering",
    "reports",
    "reviews",
    "status",
]

_FORMS: Final = ("application/x-www-form-urlencoded", "multipart/form-data")
_PAGES: Final = re.compile(r"/(?!api/).*")


def body_rules(limits: Limits) -> list[BodyRule]:
    """The pages' forms: URL-encoded or multipart, as large as a pushed batch (uploads)."""
    return [BodyRule(frozenset({"POST"}), _PAGES, limits.max_batch_bytes, _FORMS)]


def install(app: FastAPI) -> None:
    router = APIRouter()
    screens = (
        auth,
        portfolio,
        agreements,
        drilldown,
        batches,
        incidents,
        amendments,
        disputes,
        reviews,
        reports,
        status,
    )
    for module in screens:
        router.include_router(module.router)
    app.include_router(router)
    app.mount(
        "/static",
        StaticFiles(packages=[("accord.server.web", "static")]),
        name="static",
    )
    install_page_errors(app)
