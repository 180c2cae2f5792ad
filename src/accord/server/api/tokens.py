"""API tokens: the secret is in the response that creates the token, and nowhere else."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.credentials import CreateToken, NewToken, TokenView
from accord.services.permissions import Permission

__all__ = ["router"]

router = APIRouter(prefix="/tokens", tags=["tokens"])


class TokenIn(BaseModel):
    name: str
    scopes: list[Permission] | None = Field(
        default=None, description="Default: everything the user's roles allow."
    )
    ttl_days: int | None = Field(default=None, ge=1, le=3650)
    user: str | None = Field(default=None, description="Another user's e-mail (admins).")


@router.get("", summary="The caller's tokens")
def list_tokens(principal: CurrentPrincipal, services: ServicesDep) -> list[TokenView]:
    return services.credentials.tokens(principal)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a token")
def create_token(body: TokenIn, principal: CurrentPrincipal, services: ServicesDep) -> NewToken:
    command = CreateToken(
        name=body.name,
        scopes=body.scopes,
        ttl=dt.timedelta(days=body.ttl_days) if body.ttl_days else None,
        user=body.user,
    )
    return services.credentials.create_token(principal, command)


@router.delete("/{token_id}", summary="Revoke a token")
def revoke_token(token_id: IdPath, principal: CurrentPrincipal, services: ServicesDep) -> TokenView:
    return services.credentials.revoke_token(principal, token_id)
