"""Renewals and termination: the decisions about an agreement's term, and the term they leave."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.core.renewals import DecisionKind
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.renewals import DecideRenewal, DecisionView, TermView

__all__ = ["router"]

router = APIRouter(prefix="/agreements/{slug}", tags=["renewals"])


class DecisionIn(BaseModel):
    decision: DecisionKind = Field(description="renew, renegotiate or terminate.")
    note: str | None = Field(default=None, max_length=2000, description="Why, for the record.")


@router.post(
    "/renewal-decisions",
    status_code=status.HTTP_201_CREATED,
    summary="Record a decision about the term (notice meets the notice obligations)",
)
def decide(
    slug: str, body: DecisionIn, principal: CurrentPrincipal, services: ServicesDep
) -> DecisionView:
    command = DecideRenewal(agreement=slug, decision=body.decision, note=body.note)
    return services.renewals.decide(principal, command)


@router.get("/term", summary="The term: its end given the decisions, and whether it has ended")
def term(slug: str, principal: CurrentPrincipal, services: ServicesDep) -> TermView:
    return services.renewals.term(principal, slug)
