"""Incidents: the list of those the user sees, and each incident's page with its state, its
lifecycle instants, its clocks (the dated duties it created, with their due instants and
states) and its timeline. Where an action is one click (acknowledge) or one line of text (a
status update), the page carries the form, CSRF-checked like every form; the service decides
who may take it. A partner asking for another partner's incident gets the same 404 as for one
that does not exist."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import RedirectResponse, Response

from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal, checked_form
from accord.server.web.rendering import page
from accord.services.errors import NotFound
from accord.services.permissions import Permission

__all__ = ["router"]

router = APIRouter()
#: The states an incident is still being worked in.
OPEN_STATES: Final = ("open", "acknowledged", "mitigated")
_STATES: Final = (*OPEN_STATES, "resolved", "closed")


def _incident_id(incident_id: int) -> int:
    if not 1 <= incident_id <= 2**31:
        raise NotFound(f"no incident {incident_id}")
    return incident_id


@router.get("/incidents", include_in_schema=False)
def incidents(
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
    state: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    states = (state,) if state in _STATES else ()
    found = services.incidents.list(principal, states=states)
    found.sort(key=lambda i: i.reported_at, reverse=True)
    return page(
        request,
        "incidents.html",
        principal,
        nav="incidents",
        incidents=found,
        states=_STATES,
        state=state if states else "",
    )


@router.get("/incidents/{incident_id}", include_in_schema=False)
def incident(
    incident_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    detail = services.incidents.get(principal, _incident_id(incident_id))
    return page(
        request,
        "incident.html",
        principal,
        nav="incidents",
        detail=detail,
        may_act=principal.can(Permission.INCIDENTS) and detail.incident.state in OPEN_STATES,
    )


def _back(incident_id: int) -> Response:
    return RedirectResponse(f"/incidents/{incident_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/incidents/{incident_id}/acknowledge", include_in_schema=False)
async def acknowledge(
    incident_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    await checked_form(request)
    services.incidents.acknowledge(principal, _incident_id(incident_id))
    return _back(incident_id)


@router.post("/incidents/{incident_id}/updates", include_in_schema=False)
async def post_update(
    incident_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    text = str(form.get("text", ""))[:4000]
    services.incidents.post_update(principal, _incident_id(incident_id), text)
    return _back(incident_id)
