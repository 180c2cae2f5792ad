"""The audit trail: the company's admins and auditors read and verify it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from accord.server.api.params import MAX_ID
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.trail import MAX_PAGE, AuditCheck, SigningKey

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", summary="Audit entries in chain order, after a sequence number")
def entries(
    principal: CurrentPrincipal,
    services: ServicesDep,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> list[dict[str, Any]]:
    return services.audit.entries(principal, after_seq=after, limit=limit)


@router.get("/verification", summary="Verify the hash chain")
def verification(principal: CurrentPrincipal, services: ServicesDep) -> AuditCheck:
    return services.audit.verify(principal)


@router.get(
    "/signing-key",
    summary="The public key that checks audit entries, checkpoints and push receipts",
)
def signing_key(principal: CurrentPrincipal, services: ServicesDep) -> SigningKey:
    return services.audit.signing_key(principal)
