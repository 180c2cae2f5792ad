"""A security incident's breach notices: its classification as major (DORA's trigger), and
each notice as sent (when, to whom, with what content) against the obligation it meets."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.breach_notices import NoticeView, RecordNotice
from accord.services.obligations import ObligationView

__all__ = ["router"]

router = APIRouter(tags=["breach notices"])


class NoticeIn(BaseModel):
    regime: str = Field(min_length=1, max_length=64, description="e.g. gdpr-art-33.")
    notice: str = Field(min_length=1, max_length=64, description="e.g. notification.")
    recipient: str = Field(min_length=1, max_length=500)
    content: str = Field(min_length=1, max_length=50_000)
    sent_at: dt.datetime | None = Field(default=None, description="Default: now.")


@router.post(
    "/incidents/{incident_id}/classification",
    summary="Classify a security incident as major (starts DORA's clocks)",
)
def classify(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> list[ObligationView]:
    return services.breach_notices.classify_major(principal, incident_id)


@router.post(
    "/incidents/{incident_id}/notices",
    status_code=status.HTTP_201_CREATED,
    summary="Record a breach notice as sent",
)
def record(
    incident_id: IdPath, body: NoticeIn, principal: CurrentPrincipal, services: ServicesDep
) -> NoticeView:
    return services.breach_notices.record(principal, incident_id, RecordNotice(**body.model_dump()))


@router.get("/incidents/{incident_id}/notices", summary="Breach notices sent")
def notices(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> list[NoticeView]:
    return services.breach_notices.sent(principal, incident_id)
