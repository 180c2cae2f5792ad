"""Files the API and the web app hand out for download."""

from __future__ import annotations

from fastapi.responses import Response

from accord.server.security import ServicesDep
from accord.services.permissions import Principal

__all__ = ["attachment", "verdict_items_csv"]


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
