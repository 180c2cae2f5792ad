"""Obligations (dated duties with their state) and the outbox of notifications with every
delivery attempt, across the caller's agreements or per agreement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StrictBool

from accord.core.units import Duration, UnitError
from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.errors import Invalid
from accord.services.escalation import LateEscalation
from accord.services.notifications import NotificationView, Preferences
from accord.services.obligations import ObligationQuery, ObligationView

__all__ = ["router"]

router = APIRouter(tags=["obligations"])

State = Literal["open", "met", "missed", "waived"]
DeliveryState = Literal["pending", "delivering", "delivered", "failed", "suppressed"]


class MetIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class PreferencesIn(BaseModel):
    email: StrictBool = Field(
        default=True, description="False: no email (webhooks still carry all)."
    )
    muted: list[Literal["reminder", "incident", "review", "obligation_missed", "report"]] = Field(
        default_factory=list, description="Events not wanted by email."
    )


class WaiverIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


def _within(text: str | None) -> dt.timedelta | None:
    if text is None:
        return None
    try:
        duration = Duration.parse(text)
    except UnitError as exc:
        raise Invalid(f"due_within: {exc.message}") from None
    if not duration.is_fixed:
        raise Invalid(f"due_within: {text!r} has no fixed length; write e.g. 7d or 48h")
    return duration.to_timedelta()


def _list(
    services: ServicesDep,
    principal: CurrentPrincipal,
    agreement: str | None,
    state: list[State] | None,
    due_within: str | None,
) -> list[ObligationView]:
    query = ObligationQuery(
        agreement=agreement, states=tuple(state or ()), due_within=_within(due_within)
    )
    return services.obligations.list(principal, query)


@router.get("/obligations", summary="Obligations of every agreement the caller sees")
def obligations(
    principal: CurrentPrincipal,
    services: ServicesDep,
    agreement: str | None = None,
    state: Annotated[list[State] | None, Query()] = None,
    due_within: Annotated[str | None, Query(max_length=32, description="e.g. 7d")] = None,
) -> list[ObligationView]:
    return _list(services, principal, agreement, state, due_within)


@router.get("/agreements/{slug}/obligations", summary="Obligations of one agreement")
def agreement_obligations(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    state: Annotated[list[State] | None, Query()] = None,
    due_within: Annotated[str | None, Query(max_length=32, description="e.g. 7d")] = None,
) -> list[ObligationView]:
    return _list(services, principal, slug, state, due_within)


@router.get(
    "/escalations/late",
    summary="Self-check: escalations running late (not sent, sent late, not delivered)",
)
def late_escalations(principal: CurrentPrincipal, services: ServicesDep) -> list[LateEscalation]:
    return services.obligations.late_escalations(principal)


@router.get("/obligations/{obligation_id}", summary="One obligation")
def obligation(
    obligation_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> ObligationView:
    return services.obligations.get(principal, obligation_id)


@router.post("/obligations/{obligation_id}/met", summary="Record an obligation as done now")
def met(
    obligation_id: IdPath, body: MetIn, principal: CurrentPrincipal, services: ServicesDep
) -> ObligationView:
    return services.obligations.meet(principal, obligation_id, body.note)


@router.post("/obligations/{obligation_id}/waiver", summary="Waive an obligation, with a reason")
def waive(
    obligation_id: IdPath, body: WaiverIn, principal: CurrentPrincipal, services: ServicesDep
) -> ObligationView:
    return services.obligations.waive(principal, obligation_id, body.reason)


@router.get("/notifications", summary="The outbox: notifications and their delivery state")
def notifications(
    principal: CurrentPrincipal,
    services: ServicesDep,
    agreement: str | None = None,
    state: Annotated[list[DeliveryState] | None, Query()] = None,
) -> list[NotificationView]:
    return services.notifications.matching(
        principal, agreement=agreement, states=tuple(state or ())
    )


@router.get("/agreements/{slug}/notifications", summary="Notifications of one agreement")
def agreement_notifications(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    state: Annotated[list[DeliveryState] | None, Query()] = None,
) -> list[NotificationView]:
    return services.notifications.matching(principal, agreement=slug, states=tuple(state or ()))


@router.get("/notifications/{notification_id}", summary="A notification with every attempt")
def notification(
    notification_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> NotificationView:
    return services.notifications.get(principal, notification_id)


@router.get("/me/notification-preferences", summary="The signed-in user's email preferences")
def preferences(principal: CurrentPrincipal, services: ServicesDep) -> Preferences:
    return services.notifications.preferences(principal)


@router.put("/me/notification-preferences", summary="Set the signed-in user's preferences")
def set_preferences(
    body: PreferencesIn, principal: CurrentPrincipal, services: ServicesDep
) -> Preferences:
    wanted = Preferences(email=body.email, muted=tuple(body.muted))
    return services.notifications.set_preferences(principal, wanted)
