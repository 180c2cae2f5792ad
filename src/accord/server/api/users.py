"""Users and their roles; ``/me`` for the caller."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
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


@router.delete("/users/{email}/roles/{role}", summary="Take a role away")
def revoke_role(
    email: str, role: Role, principal: CurrentPrincipal, services: ServicesDep
) -> UserView:
    return services.organisations.revoke_role(principal, email, role)


@router.post("/users/{email}/disable", summary="Disable a user (its sessions end now)")
def disable_user(email: str, principal: CurrentPrincipal, services: ServicesDep) -> UserView:
    return services.organisations.disable_user(principal, email)


@router.post("/users/{email}/enable", summary="Enable a disabled user again")
def enable_user(email: str, principal: CurrentPrincipal, services: ServicesDep) -> UserView:
    return services.organisations.enable_user(principal, email)


class PasswordIn(BaseModel):
    password: str = Field(description="At least 12 characters, five of them different.")


class PasswordChangeIn(BaseModel):
    current: str
    new: str = Field(description="At least 12 characters, five of them different.")


@router.put("/users/{email}/password", summary="Reset a user's password (its sessions end)")
def reset_password(
    email: str, body: PasswordIn, principal: CurrentPrincipal, services: ServicesDep
) -> UserView:
    return services.organisations.reset_password(principal, email, body.password)


@router.put(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change the caller's password (every session ends)",
    response_model=None,
)
def change_password(
    body: PasswordChangeIn, principal: CurrentPrincipal, services: ServicesDep
) -> Response:
    services.credentials.change_password(principal, body.current, body.new)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
