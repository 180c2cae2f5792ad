"""Amendments: a party proposes a new version; the parties approve, reject, waive the notice
period or withdraw; every party reads the semantic diff."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.amendments import AmendmentAct, AmendmentView, ProposeAmendment

__all__ = ["router"]

router = APIRouter(prefix="/agreements/{slug}/amendments", tags=["amendments"])


class ProposalIn(BaseModel):
    summary: str = Field(max_length=4000, description="Why: shown to every party.")
    text: str | None = Field(default=None, description="The proposed agreement (YAML).")
    rollback_to: int | None = Field(
        default=None, ge=1, description="Propose an earlier version's text again (a rollback)."
    )
    change_type: str | None = Field(default=None, description="A change type the agreement names.")
    effective_at: dt.datetime | None = Field(
        default=None, description="When it takes effect (default: after the notice period)."
    )
    waive_notice: bool = Field(default=False, description="The proposing party waives notice.")


class ActIn(BaseModel):
    note: str = Field(default="", max_length=4000, description="Why (required to reject).")


@router.get("", summary="The agreement's amendments, oldest first")
def amendments(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[AmendmentView]:
    return services.amendments.list(principal, slug)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Propose a new version")
def propose(
    slug: str, body: ProposalIn, principal: CurrentPrincipal, services: ServicesDep
) -> AmendmentView:
    return services.amendments.propose(principal, ProposeAmendment(agreement=slug, **dict(body)))


@router.get("/{amendment_id}", summary="An amendment with its semantic diff and approvals")
def amendment(
    slug: str, amendment_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> AmendmentView:
    return services.amendments.show(principal, slug, amendment_id)


def _act(slug: str, amendment_id: int, body: ActIn) -> AmendmentAct:
    return AmendmentAct(agreement=slug, amendment=amendment_id, note=body.note)


@router.post("/{amendment_id}/approval", summary="Approve (as the caller's party)")
def approve(
    slug: str, amendment_id: IdPath, body: ActIn, principal: CurrentPrincipal, services: ServicesDep
) -> AmendmentView:
    return services.amendments.approve(principal, _act(slug, amendment_id, body))


@router.post("/{amendment_id}/rejection", summary="Reject (as the caller's party), with a reason")
def reject(
    slug: str, amendment_id: IdPath, body: ActIn, principal: CurrentPrincipal, services: ServicesDep
) -> AmendmentView:
    return services.amendments.reject(principal, _act(slug, amendment_id, body))


@router.post("/{amendment_id}/waiver", summary="Waive the notice period (as the caller's party)")
def waive(
    slug: str, amendment_id: IdPath, body: ActIn, principal: CurrentPrincipal, services: ServicesDep
) -> AmendmentView:
    return services.amendments.waive(principal, _act(slug, amendment_id, body))


@router.post("/{amendment_id}/withdrawal", summary="Withdraw (the proposing party)")
def withdraw(
    slug: str, amendment_id: IdPath, body: ActIn, principal: CurrentPrincipal, services: ServicesDep
) -> AmendmentView:
    return services.amendments.withdraw(principal, _act(slug, amendment_id, body))
