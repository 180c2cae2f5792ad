"""Governance reviews: the review pack of an agreement for a period, as HTML or PDF."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from accord.reports.review import review_html, review_pdf
from accord.server.security import CurrentPrincipal, ServicesDep

__all__ = ["router"]

router = APIRouter(prefix="/agreements/{slug}", tags=["reviews"])


@router.get(
    "/reviews/{period}/pack",
    summary="The governance review pack for a month (2026-10) or quarter (2026-Q4)",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}},
)
def review_pack(
    slug: str,
    period: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    output: Annotated[Literal["html", "pdf"], Query(alias="format")] = "html",
) -> Response:
    pack = services.reviews.pack(principal, slug, period)
    name = f"{slug}-review-{period}.{output}"
    if output == "pdf":
        content, media = review_pdf(pack), "application/pdf"
    else:
        content, media = review_html(pack).encode(), "text/html; charset=utf-8"
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )
