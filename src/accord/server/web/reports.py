"""The reports kept (``accord report``, the demo): listed with their hash, each file to open
or download; a partner's users see their organisation's reports only."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal
from accord.server.web.rendering import page

__all__ = ["router"]

router = APIRouter()
_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
}
#: A kept report's HTML carries its stylesheet inline and runs no script.
_REPORT_CSP: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@router.get("/reports", include_in_schema=False)
def reports(request: Request, principal: PagePrincipal, services: ServicesDep) -> Response:
    return page(
        request, "reports.html", principal, nav="reports", kept=services.reports.stored(principal)
    )


@router.get("/reports/{scope}/{period}/{name}", include_in_schema=False)
def report_file(
    scope: str, period: str, name: str, principal: PagePrincipal, services: ServicesDep
) -> Response:
    content = services.reports.file(principal, scope, period, name)
    suffix = name[name.rfind(".") :]
    disposition = "inline" if suffix == ".html" else "attachment"
    return Response(
        content,
        media_type=_TYPES.get(suffix, "application/octet-stream"),
        headers={
            "Content-Disposition": f'{disposition}; filename="{scope}-{period}-{name}"',
            "Content-Security-Policy": _REPORT_CSP,
        },
    )
