"""The reports kept (``accord report``, the worker once a period closes, the demo): listed
with their hash, each file to open or download; a partner's users see their organisation's
reports only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.server.downloads import report_file
from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal
from accord.server.web.rendering import page

__all__ = ["router"]

router = APIRouter()


@router.get("/reports", include_in_schema=False)
def reports(request: Request, principal: PagePrincipal, services: ServicesDep) -> Response:
    return page(
        request, "reports.html", principal, nav="reports", kept=services.reports.stored(principal)
    )


@router.get("/reports/{scope}/{period}/{name}", include_in_schema=False)
def kept_file(
    scope: str, period: str, name: str, principal: PagePrincipal, services: ServicesDep
) -> Response:
    return report_file(services, principal, scope, period, name)
