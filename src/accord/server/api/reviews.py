"""Governance reviews: those scheduled from the cadence, the review pack of an agreement for a
period (HTML or PDF), and what each review recorded: ratings, decisions and minutes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from accord.reports.review import review_html, review_pdf
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.reviews import (
    RateCommitment,
    RecordDecision,
    RecordMinutes,
    ReviewRecord,
    ScheduledReview,
)

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


class RatingIn(BaseModel):
    commitment: str = Field(description="The commitment's id in the agreement.")
    rating: int = Field(ge=1, le=5, description="1 (not met) … 5 (exemplary).")
    comment: str = Field(default="", max_length=4000)


class DecisionIn(BaseModel):
    text: str = Field(max_length=4000, description="The decision or action.")
    owner: str | None = Field(default=None, description="Party id that carries it out.")
    due_on: dt.date | None = Field(default=None, description="Last day; makes it an obligation.")


class MinutesIn(BaseModel):
    text: str = Field(max_length=4000, description="What the review covered and concluded.")


@router.get(
    "/reviews",
    summary="The governance reviews scheduled from the agreement's cadence (obligations)",
)
def review_schedule(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[ScheduledReview]:
    return services.reviews.schedule(principal, slug)


@router.post(
    "/reviews/{period}/minutes",
    status_code=status.HTTP_201_CREATED,
    summary="Record the minutes of the period's review: it was held",
)
def minutes(
    slug: str, period: str, body: MinutesIn, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewRecord:
    return services.reviews.minutes(
        principal, RecordMinutes(agreement=slug, period=period, text=body.text)
    )


@router.get("/reviews/{period}", summary="What the review recorded: ratings and decisions")
def review_record(
    slug: str, period: str, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewRecord:
    return services.reviews.record(principal, slug, period)


@router.post(
    "/reviews/{period}/ratings",
    status_code=status.HTTP_201_CREATED,
    summary="Rate a qualitative commitment for the period (as the caller's party)",
)
def rate(
    slug: str, period: str, body: RatingIn, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewRecord:
    command = RateCommitment(agreement=slug, period=period, **dict(body))
    return services.reviews.rate(principal, command)


@router.post(
    "/reviews/{period}/decisions",
    status_code=status.HTTP_201_CREATED,
    summary="Record a decision of the review (with a due date: an obligation of its owner)",
)
def decide(
    slug: str, period: str, body: DecisionIn, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewRecord:
    command = RecordDecision(agreement=slug, period=period, **dict(body))
    return services.reviews.decide(principal, command)
