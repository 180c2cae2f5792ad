"""The public status page of an agreement that opted in: no sign-in, only what the agreement's
``status_page`` section allows (``accord.services.status``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.server.security import ServicesDep
from accord.server.web.rendering import page

__all__ = ["router"]

router = APIRouter()


@router.get("/status/{slug}", include_in_schema=False)
def status_page(slug: str, request: Request, services: ServicesDep) -> Response:
    return page(request, "status.html", None, view=services.status.page(slug))
