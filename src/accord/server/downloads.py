"""Files the API and the web app hand out for download."""

from __future__ import annotations

from typing import Final

from fastapi.responses import Response

from accord.server.security import ServicesDep
from accord.services.permissions import Principal

__all__ = ["attachment", "report_file", "verdict_items_csv"]

_REPORT_TYPES: Final = {
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


def attachment(content: str | bytes, media_type: str, name: str) -> Response:
    """``content`` as a file called ``name`` (the browser saves it)."""
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def verdict_items_csv(
    services: ServicesDep, principal: Principal, slug: str, verdict_id: int
) -> Response:
    """Every item behind a verdict as a CSV file named after the verdict and the list."""
    kind, text = services.drilldowns.csv(principal, slug, verdict_id)
    name = f"{slug}-verdict-{verdict_id}-{kind or 'items'}.csv"
    return attachment(text, "text/csv; charset=utf-8", name)


def report_file(
    services: ServicesDep, principal: Principal, scope: str, period: str, name: str
) -> Response:
    """One file of a kept report (HTML shown, the others saved); what the principal may not
    read is the same 404 as what does not exist."""
    content = services.reports.file(principal, scope, period, name)
    suffix = name[name.rfind(".") :]
    disposition = "inline" if suffix == ".html" else "attachment"
    return Response(
        content,
        media_type=_REPORT_TYPES.get(suffix, "application/octet-stream"),
        headers={
            "Content-Disposition": f'{disposition}; filename="{scope}-{period}-{name}"',
            "Content-Security-Policy": _REPORT_CSP,
        },
    )
