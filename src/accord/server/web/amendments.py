"""Amendments of an agreement: the list, and each amendment's page with its semantic diff
from the version it changes, the approvals collected and still required, the notice period
and the effective instant, and its events. The forms (approve, waive the notice, reject with
a reason, withdraw) appear only for the acts the caller's party may take now, as the service
says (``Amendments.permitted``); each is CSRF-checked and the service decides again. Another
partner's agreement or amendment is the same 404 as one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import RedirectResponse, Response

from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal, checked_form
from accord.server.web.rendering import page
from accord.services.amendments import AmendmentAct
from accord.services.errors import NotFound

__all__ = ["router"]

router = APIRouter()
_VERBS: Final = ("approve", "waive", "reject", "withdraw")


def _amendment_id(slug: str, amendment_id: int) -> int:
    if not 1 <= amendment_id <= 2**31:
        raise NotFound(f"agreement {slug!r} has no amendment {amendment_id}")
    return amendment_id


@router.get("/agreements/{slug}/amendments", include_in_schema=False)
def amendments(
    slug: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    agreement = services.portfolio.agreement(principal, slug)
    found = services.amendments.list(principal, slug)
    return page(
        request,
        "amendments.html",
        principal,
        agreement=agreement,
        amendments=sorted(found, key=lambda a: a.proposed_at, reverse=True),
    )


@router.get("/agreements/{slug}/amendments/{amendment_id}", include_in_schema=False)
def amendment(
    slug: str,
    amendment_id: int,
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
) -> Response:
    shown = services.amendments.show(principal, slug, _amendment_id(slug, amendment_id))
    return page(
        request,
        "amendment.html",
        principal,
        amendment=shown,
        permitted=services.amendments.permitted(principal, slug, shown.id),
    )


@dataclass(frozen=True)
class ActPath:
    """Which act on which amendment: the path of an amendment's form."""

    slug: str
    amendment_id: int
    verb: str


@router.post("/agreements/{slug}/amendments/{amendment_id}/{verb}", include_in_schema=False)
async def act(
    where: Annotated[ActPath, Depends()],
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
) -> Response:
    if where.verb not in _VERBS:
        raise NotFound(f"no act {where.verb!r} on an amendment")
    form = await checked_form(request)
    command = AmendmentAct(
        agreement=where.slug,
        amendment=_amendment_id(where.slug, where.amendment_id),
        note=str(form.get("note", ""))[:4000],
    )
    acts = {
        "approve": services.amendments.approve,
        "waive": services.amendments.waive,
        "reject": services.amendments.reject,
        "withdraw": services.amendments.withdraw,
    }
    acts[where.verb](principal, command)
    return RedirectResponse(
        f"/agreements/{where.slug}/amendments/{where.amendment_id}",
        status_code=status.HTTP_303_SEE_OTHER,
    )
