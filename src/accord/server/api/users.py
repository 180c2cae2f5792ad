"""Users and their roles; ``/me`` for the caller."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.organisations import CreateUser, UserView
from accord.services.permissions import Role

__all__ = ["router"]

router = APIRouter(tags=["users"])


class UserIn(BaseModel):
    organisation: str
    email: str
    name: str
    roles: list[Role] = Field(default_factory=list)
    password: str | None = Field(default=None, description="At least 12 characters; optional.")


class RoleIn(BaseModel):
    role: Role


@router.get("/me", summary="The signed-in user")
def me(principal: CurrentPrincipal, services: ServicesDep) -> UserView:
    return services.organisations.me(principal)


@router.get("/users", summary="Users the caller administers")
def list_users(
    principal: CurrentPrincipal, services: ServicesDep, organisation: str | None = None
) -> list[UserView]:
    return services.organisations.users(principal, organisation)


@router.post("/users", status_code=status.HTTP_201_CREATED, summary="Create a user")
def create_user(body: UserIn, principal: CurrentPrincipal, services: ServicesDep) -> UserView:
    command = CreateUser(
        organisation=body.organisation,
        email=body.email,
        name=body.name,
        roles=body.roles,
        password=body.password,
    )
    return services.organisations.create_user(principal, command)


@router.post("/users/{email}/roles", summary="Grant a role")
def grant_role(
    email: str, body: RoleIn, principal: CurrentPrincipal, services: ServicesDep
) -> UserView:
    return services.organisations.grant_role(principal, email, body.role)
