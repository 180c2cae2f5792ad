"""Post-incident reviews (written and filed by either side, commented on by both) and their
preventive actions; how well each party files reviews and completes actions on time."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from accord.core.obligations import DutyRate
from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.incident_reviews import ActionView, NewAction, ReviewDetail, ReviewDraft

__all__ = ["router"]

router = APIRouter(tags=["incident reviews"])

ActionState = Literal["open", "done", "cancelled"]
Text = Annotated[str, Field(max_length=20_000)]


class ReviewIn(BaseModel):
    """The parts to write; a part left out stays as it is."""

    summary: Text | None = None
    customer_impact: dict[Annotated[str, Field(max_length=100)], int | float] | None = Field(
        default=None,
        max_length=50,
        description='Customer impact in numbers, e.g. {"customers affected": 1200}.',
    )
    root_cause: Text | None = None
    contributing_factors: list[Annotated[str, Field(max_length=2000)]] | None = Field(
        default=None, max_length=100
    )
    went_well: Text | None = None
    went_wrong: Text | None = None


class CommentIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class ActionIn(BaseModel):
    title: str = Field(min_length=1, max_length=2000)
    owner: str = Field(min_length=1, max_length=200)
    due_on: dt.date
    party: str | None = Field(default=None, max_length=64, description="Default: the provider.")


class DoneIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class CancelIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class RateOut(BaseModel):
    agreement: str
    party: str
    kind: str
    on_time: int
    late: int
    open: int
    on_time_ratio: float | None

    @classmethod
    def of(cls, rate: DutyRate) -> RateOut:
        return cls(
            agreement=rate.agreement,
            party=rate.party,
            kind=rate.kind,
            on_time=rate.on_time,
            late=rate.late,
            open=rate.open,
            on_time_ratio=rate.on_time_ratio,
        )


@router.get("/incidents/{incident_id}/review", summary="The post-incident review")
def review(incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep) -> ReviewDetail:
    return services.incident_reviews.get(principal, incident_id)


@router.put("/incidents/{incident_id}/review", summary="Write parts of the review")
def write_review(
    incident_id: IdPath, body: ReviewIn, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewDetail:
    draft = ReviewDraft(**body.model_dump())
    return services.incident_reviews.write(principal, incident_id, draft)


@router.post("/incidents/{incident_id}/review/filing", summary="File the review")
def file_review(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewDetail:
    return services.incident_reviews.file(principal, incident_id)


@router.post(
    "/incidents/{incident_id}/review/comments",
    status_code=status.HTTP_201_CREATED,
    summary="Comment on the review",
)
def comment(
    incident_id: IdPath, body: CommentIn, principal: CurrentPrincipal, services: ServicesDep
) -> ReviewDetail:
    return services.incident_reviews.comment(principal, incident_id, body.text)


@router.post(
    "/incidents/{incident_id}/actions",
    status_code=status.HTTP_201_CREATED,
    summary="Add a preventive action",
)
def add_action(
    incident_id: IdPath, body: ActionIn, principal: CurrentPrincipal, services: ServicesDep
) -> ActionView:
    return services.incident_reviews.add_action(
        principal, incident_id, NewAction(**body.model_dump())
    )


@router.get("/actions", summary="Preventive actions of every agreement the caller sees")
def actions(
    principal: CurrentPrincipal,
    services: ServicesDep,
    agreement: str | None = None,
    state: Annotated[list[ActionState] | None, Query()] = None,
) -> list[ActionView]:
    return services.incident_reviews.actions(
        principal, agreement=agreement, states=tuple(state or ())
    )


@router.get("/actions/{action_id}", summary="One preventive action")
def action(action_id: IdPath, principal: CurrentPrincipal, services: ServicesDep) -> ActionView:
    return services.incident_reviews.get_action(principal, action_id)


@router.post("/actions/{action_id}/completion", summary="Record a preventive action done")
def complete(
    action_id: IdPath, body: DoneIn, principal: CurrentPrincipal, services: ServicesDep
) -> ActionView:
    return services.incident_reviews.complete_action(principal, action_id, body.note)


@router.post("/actions/{action_id}/cancellation", summary="Cancel an action, with a reason")
def cancel(
    action_id: IdPath, body: CancelIn, principal: CurrentPrincipal, services: ServicesDep
) -> ActionView:
    return services.incident_reviews.cancel_action(principal, action_id, body.reason)


@router.get(
    "/incident-duties/rates",
    summary="Reviews filed and preventive actions completed on time, per party",
)
def rates(
    principal: CurrentPrincipal, services: ServicesDep, agreement: str | None = None
) -> list[RateOut]:
    return [
        RateOut.of(rate) for rate in services.incident_reviews.rates(principal, agreement=agreement)
    ]
