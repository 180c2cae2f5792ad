"""Incidents: opened, acknowledged, updated, mitigated, resolved and closed by either side,
with their timeline and clocks; inbound sources (Alertmanager, generic JSON webhooks)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Query, status
from pydantic import BaseModel, Field

from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.errors import Unauthenticated
from accord.services.inbound import CreatedSource, CreateSource
from accord.services.incidents import IncidentDetail, IncidentView, OpenIncident

__all__ = ["router"]

router = APIRouter(tags=["incidents"])

State = Literal["open", "acknowledged", "mitigated", "resolved", "closed"]


class IncidentIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    severity: str = Field(min_length=1, max_length=64)
    security: bool = False
    impact_started_at: dt.datetime | None = None
    detected_at: dt.datetime | None = None


class UpdateIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class SeverityIn(BaseModel):
    severity: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)


class SourceIn(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    kind: Literal["alertmanager", "generic"]
    severity: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="When an alert names none; omitted: the policy's only severity.",
    )


@router.post(
    "/agreements/{slug}/incidents", status_code=status.HTTP_201_CREATED, summary="Open one"
)
def open_incident(
    slug: str, body: IncidentIn, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentView:
    return services.incidents.open(principal, OpenIncident(agreement=slug, **body.model_dump()))


@router.get("/agreements/{slug}/incidents", summary="Incidents of one agreement")
def agreement_incidents(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    state: Annotated[list[State] | None, Query()] = None,
) -> list[IncidentView]:
    return services.incidents.list(principal, agreement=slug, states=tuple(state or ()))


@router.get("/incidents", summary="Incidents of every agreement the caller sees")
def incidents(
    principal: CurrentPrincipal,
    services: ServicesDep,
    state: Annotated[list[State] | None, Query()] = None,
) -> list[IncidentView]:
    return services.incidents.list(principal, states=tuple(state or ()))


@router.get("/incidents/{incident_id}", summary="An incident with its timeline and clocks")
def incident(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentDetail:
    return services.incidents.get(principal, incident_id)


@router.post("/incidents/{incident_id}/acknowledgement", summary="Acknowledge")
def acknowledge(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentView:
    return services.incidents.acknowledge(principal, incident_id)


@router.post("/incidents/{incident_id}/updates", summary="Post a status update")
def update(
    incident_id: IdPath, body: UpdateIn, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentView:
    return services.incidents.post_update(principal, incident_id, body.text)


@router.post("/incidents/{incident_id}/mitigation", summary="Record mitigation")
def mitigate(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentView:
    return services.incidents.mitigate(principal, incident_id)


@router.post("/incidents/{incident_id}/resolution", summary="Resolve")
def resolve(
    incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentView:
    return services.incidents.resolve(principal, incident_id)


@router.post("/incidents/{incident_id}/closure", summary="Close a resolved incident")
def close(incident_id: IdPath, principal: CurrentPrincipal, services: ServicesDep) -> IncidentView:
    return services.incidents.close(principal, incident_id)


@router.post("/incidents/{incident_id}/severity", summary="Change severity, with a reason")
def severity(
    incident_id: IdPath, body: SeverityIn, principal: CurrentPrincipal, services: ServicesDep
) -> IncidentView:
    return services.incidents.change_severity(principal, incident_id, body.severity, body.reason)


@router.post(
    "/agreements/{slug}/incident-sources",
    status_code=status.HTTP_201_CREATED,
    summary="Create an inbound incident source; its secret is shown once",
)
def create_source(
    slug: str, body: SourceIn, principal: CurrentPrincipal, services: ServicesDep
) -> CreatedSource:
    return services.inbound.create_source(
        principal, CreateSource(agreement=slug, **body.model_dump())
    )


def _secret(authorization: str | None) -> str:
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        raise Unauthenticated("send the source's secret: 'Authorization: Bearer <secret>'")
    return secret.strip()


@router.post("/inbound/alertmanager", summary="Prometheus Alertmanager webhook (version 4)")
def alertmanager(
    services: ServicesDep,
    payload: Annotated[dict[str, Any], Body()],
    authorization: Annotated[str | None, Header()] = None,
) -> list[IncidentView]:
    return services.inbound.receive(_secret(authorization), "alertmanager", payload)


@router.post("/inbound/incidents", summary="Generic JSON incident webhook")
def generic(
    services: ServicesDep,
    payload: Annotated[dict[str, Any], Body()],
    authorization: Annotated[str | None, Header()] = None,
) -> list[IncidentView]:
    return services.inbound.receive(_secret(authorization), "generic", payload)
