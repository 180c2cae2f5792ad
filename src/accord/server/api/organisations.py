"""Organisations: the company and its partners."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.organisations import CreateOrganisation, OrganisationView

__all__ = ["router"]

router = APIRouter(prefix="/organisations", tags=["organisations"])


class OrganisationIn(BaseModel):
    slug: str = Field(description="Identifier: lowercase letters, digits and '-'.")
    name: str = Field(description="Legal name.")


@router.get("", summary="Organisations the caller sees")
def list_organisations(
    principal: CurrentPrincipal, services: ServicesDep
) -> list[OrganisationView]:
    return services.organisations.organisations(principal)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a partner organisation")
def create_organisation(
    body: OrganisationIn, principal: CurrentPrincipal, services: ServicesDep
) -> OrganisationView:
    command = CreateOrganisation(slug=body.slug, name=body.name)
    return services.organisations.create_organisation(principal, command)


@router.get("/{slug}", summary="One organisation")
def get_organisation(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> OrganisationView:
    return services.organisations.organisation(principal, slug)
