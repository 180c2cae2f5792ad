"""Governance reviews of an agreement: those scheduled from its cadence (with their due
instants and states), and each period's review page: the review pack to read (HTML) or send
(PDF), the qualitative commitments with each party's ratings, the decisions with their owners
and due dates, and the minutes. Users whose role governs rate, decide and record the minutes
there (CSRF-checked; the service decides). Another partner's reviews are the same 404 as
those of an agreement that does not exist."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from accord.reports.review import review_html, review_pdf
from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal, checked_form
from accord.server.web.rendering import DOCUMENT_CSP, page
from accord.services.errors import Invalid, NotFound
from accord.services.permissions import Permission
from accord.services.reviews import RateCommitment, RecordDecision, RecordMinutes

__all__ = ["router"]

router = APIRouter()
#: A month (2026-10) or a quarter (2026-Q4): anything else is no page.
_PERIOD: Final = re.compile(r"\d{4}-(?:\d{2}|Q[1-4])")
_RATINGS: Final = (
    (5, "5, exemplary"),
    (4, "4, good"),
    (3, "3, adequate"),
    (2, "2, weak"),
    (1, "1, not met"),
)


def _period(slug: str, period: str) -> str:
    if not _PERIOD.fullmatch(period):
        raise NotFound(f"agreement {slug!r} has no review for {period!r}")
    return period


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, ""))[:4000]


def _back(slug: str, period: str) -> Response:
    return RedirectResponse(
        f"/agreements/{slug}/reviews/{period}", status_code=status.HTTP_303_SEE_OTHER
    )


@router.get("/agreements/{slug}/reviews", include_in_schema=False)
def reviews(
    slug: str,
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
    period: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    if period:
        return _back(slug, _period(slug, period))
    agreement = services.portfolio.agreement(principal, slug)
    scheduled = services.reviews.schedule(principal, slug)
    return page(
        request,
        "reviews.html",
        principal,
        agreement=agreement,
        scheduled=sorted(scheduled, key=lambda r: r.obligation.due_at),
    )


@router.get("/agreements/{slug}/reviews/{period}", include_in_schema=False)
def review(
    slug: str, period: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    pack = services.reviews.pack(principal, slug, _period(slug, period))
    record = services.reviews.record(principal, slug, period)
    return page(
        request,
        "review.html",
        principal,
        agreement=services.portfolio.agreement(principal, slug),
        pack=pack,
        record=record,
        may_record=principal.can(Permission.GOVERN),
        ratings=_RATINGS,
    )


@router.get("/agreements/{slug}/reviews/{period}/pack.{output}", include_in_schema=False)
def review_pack(
    slug: str, period: str, output: str, principal: PagePrincipal, services: ServicesDep
) -> Response:
    if output not in ("html", "pdf"):
        raise NotFound(f"no review pack format {output!r}")
    pack = services.reviews.pack(principal, slug, _period(slug, period))
    name = f"{slug}-review-{period}.{output}"
    if output == "pdf":
        content, media, disposition = review_pdf(pack), "application/pdf", "attachment"
    else:
        content, media = review_html(pack).encode(), "text/html; charset=utf-8"
        disposition = "inline"
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Content-Security-Policy": DOCUMENT_CSP,
        },
    )


@router.post("/agreements/{slug}/reviews/{period}/ratings", include_in_schema=False)
async def rate(
    slug: str, period: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    rating = _text(form, "rating")
    if not rating.isdigit():
        raise Invalid("rating: choose from 1 (not met) to 5 (exemplary)")
    command = RateCommitment(
        agreement=slug,
        period=_period(slug, period),
        commitment=_text(form, "commitment"),
        rating=int(rating),
        comment=_text(form, "comment"),
    )
    services.reviews.rate(principal, command)
    return _back(slug, period)


@router.post("/agreements/{slug}/reviews/{period}/decisions", include_in_schema=False)
async def decide(
    slug: str, period: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    due = _text(form, "due_on").strip()
    try:
        due_on = dt.date.fromisoformat(due) if due else None
    except ValueError:
        raise Invalid(f"due_on: {due!r} is not a date (YYYY-MM-DD)") from None
    command = RecordDecision(
        agreement=slug,
        period=_period(slug, period),
        text=_text(form, "text"),
        owner=_text(form, "owner") or None,
        due_on=due_on,
    )
    services.reviews.decide(principal, command)
    return _back(slug, period)


@router.post("/agreements/{slug}/reviews/{period}/minutes", include_in_schema=False)
async def minutes(
    slug: str, period: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    command = RecordMinutes(agreement=slug, period=_period(slug, period), text=_text(form, "text"))
    services.reviews.minutes(principal, command)
    return _back(slug, period)
