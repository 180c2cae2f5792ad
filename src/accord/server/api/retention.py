"""Retention: legal holds on an agreement's data, and the purge that applies retention rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.retention import HoldView, PlaceHold, PurgeReport

__all__ = ["router"]

router = APIRouter(tags=["retention"])


class HoldIn(BaseModel):
    reason: str = Field(max_length=2000, description="Why the data must be kept.")
    held_from: dt.datetime | None = Field(default=None, description="Default: from the start.")
    held_until: dt.datetime | None = Field(default=None, description="Default: without end.")


@router.post(
    "/agreements/{slug}/legal-holds",
    status_code=status.HTTP_201_CREATED,
    summary="Place a legal hold: retention keeps the data it covers",
)
def place_hold(
    slug: str, body: HoldIn, principal: CurrentPrincipal, services: ServicesDep
) -> HoldView:
    command = PlaceHold(agreement=slug, **dict(body))
    return services.retention.place_hold(principal, command)


@router.get("/agreements/{slug}/legal-holds", summary="The agreement's legal holds")
def list_holds(slug: str, principal: CurrentPrincipal, services: ServicesDep) -> list[HoldView]:
    return services.retention.holds(principal, slug)


@router.post("/agreements/{slug}/legal-holds/{hold}/release", summary="Release a legal hold")
def release_hold(
    slug: str, hold: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> HoldView:
    return services.retention.release_hold(principal, slug, hold)


@router.post("/retention/purge", summary="Apply every agreement's retention rules now")
def purge(
    principal: CurrentPrincipal,
    services: ServicesDep,
    dry_run: Annotated[bool, Query(description="Only say what would be removed.")] = False,
) -> PurgeReport:
    return services.retention.purge(principal, dry_run=dry_run)
