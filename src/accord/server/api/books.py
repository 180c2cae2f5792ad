"""Closing the books per agreement: closed periods, late data after close, restatements."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.core.closing import LedgerReason
from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.books import ClosedWindowView, LateData, RequestRestatement, RestatementView

__all__ = ["router"]

router = APIRouter(prefix="/agreements/{slug}", tags=["books"])


class RestatementIn(BaseModel):
    period: str = Field(max_length=32, description="The closed period, e.g. 2026-10.")
    reason_code: LedgerReason = Field(description="Why, from the fixed list.")
    reason: str = Field(min_length=1, max_length=2000, description="Why, in words.")


class DecisionIn(BaseModel):
    note: str = Field(default="", max_length=2000, description="Required to reject.")


@router.get("/periods", summary="Closed periods: final verdicts and credits, and their data")
def periods(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[ClosedWindowView]:
    return services.books.periods(principal, slug)


@router.get(
    "/late-data", summary="Data that arrived after a period closed, and what it would change"
)
def late_data(slug: str, principal: CurrentPrincipal, services: ServicesDep) -> LateData:
    return services.books.late_data(principal, slug)


@router.get("/restatements", summary="Restatements asked for, applied or rejected")
def restatements(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[RestatementView]:
    return services.books.restatements(principal, slug)


@router.post(
    "/restatements",
    status_code=status.HTTP_201_CREATED,
    summary="Ask for a closed period to be restated (applied at once only without four eyes)",
)
def request_restatement(
    slug: str, body: RestatementIn, principal: CurrentPrincipal, services: ServicesDep
) -> RestatementView:
    command = RequestRestatement(
        agreement=slug, period=body.period, reason_code=body.reason_code.value, reason=body.reason
    )
    return services.books.request_restatement(principal, command)


@router.post("/restatements/{restatement_id}/approve", summary="Approve and apply a restatement")
def approve(
    slug: str,
    restatement_id: IdPath,
    body: DecisionIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> RestatementView:
    return services.books.approve(principal, slug, restatement_id, body.note)


@router.post("/restatements/{restatement_id}/reject", summary="Reject a restatement")
def reject(
    slug: str,
    restatement_id: IdPath,
    body: DecisionIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> RestatementView:
    return services.books.reject(principal, slug, restatement_id, body.note)
