"""Compliance records: certifications and data-handling declarations per organisation; the
findings and the DORA register of information per agreement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from accord.core.compliance.certifications import Certification
from accord.core.compliance.declarations import DataLocation, Declaration, SubProcessor
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.compliance import (
    CertificationView,
    ComplianceFindings,
    DeclarationView,
    DeclareDataHandling,
    RecordCertification,
)
from accord.services.portfolio import Document

__all__ = ["router"]

router = APIRouter(tags=["compliance"])


class CertificationIn(BaseModel):
    standard: str = Field(description="E.g. 'ISO/IEC 27001', 'SOC 2 Type II', 'PCI DSS v4.0'.")
    issuer: str = Field(description="Certification body or auditor.")
    scope: str = Field(description="What the certificate or report covers.")
    valid_from: dt.date = Field(description="First day it is valid.")
    valid_until: dt.date = Field(description="Last day it is valid.")
    document_sha256: str = Field(description="SHA-256 (hex) of the document as received.")


@router.post(
    "/organisations/{slug}/certifications",
    status_code=status.HTTP_201_CREATED,
    summary="Record a certification or attestation report the organisation holds",
)
def record_certification(
    slug: str, body: CertificationIn, principal: CurrentPrincipal, services: ServicesDep
) -> CertificationView:
    command = RecordCertification(organisation=slug, certificate=Certification(**dict(body)))
    return services.compliance.record_certification(principal, command)


@router.get(
    "/organisations/{slug}/certifications",
    summary="The organisation's certifications, with their status on a day",
)
def list_certifications(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    day: Annotated[dt.date | None, Query(description="Default: today (UTC).")] = None,
) -> list[CertificationView]:
    return services.compliance.certifications(principal, slug, day=day)


@router.get(
    "/agreements/{slug}/compliance/findings",
    summary="What the processor's compliance records break (findings) or soon will (warnings)",
)
def findings(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    at: Annotated[dt.datetime | None, Query(description="Default: now.")] = None,
    warn_days: Annotated[
        int, Query(ge=0, le=3650, description="Warn this many days before a certificate ends.")
    ] = 60,
) -> ComplianceFindings:
    return services.compliance.findings(
        principal, slug, at=at, warn_within=dt.timedelta(days=warn_days)
    )


class LocationIn(BaseModel):
    country: str = Field(description="ISO 3166-1 alpha-2 code, e.g. 'DE'.")
    description: str = Field(description="E.g. 'Frankfurt data centre (eu-central)'.")


class SubProcessorIn(BaseModel):
    name: str = Field(description="Legal name.")
    country: str = Field(description="ISO 3166-1 alpha-2 code it works from.")
    service: str = Field(description="What it does with the data.")


class DeclarationIn(BaseModel):
    locations: list[LocationIn] = Field(description="Where data is stored and processed.")
    subprocessors: list[SubProcessorIn] = Field(default_factory=list)
    encryption_at_rest: str
    encryption_in_transit: str
    access: str = Field(description="Who may access the data, and how.")

    def declaration(self) -> Declaration:
        return Declaration(
            locations=tuple(DataLocation(**dict(item)) for item in self.locations),
            subprocessors=tuple(SubProcessor(**dict(item)) for item in self.subprocessors),
            encryption_at_rest=self.encryption_at_rest,
            encryption_in_transit=self.encryption_in_transit,
            access=self.access,
        )


@router.post(
    "/organisations/{slug}/data-handling",
    status_code=status.HTTP_201_CREATED,
    summary="Declare where and how the organisation handles data (replaces the previous)",
)
def declare_data_handling(
    slug: str, body: DeclarationIn, principal: CurrentPrincipal, services: ServicesDep
) -> DeclarationView:
    command = DeclareDataHandling(organisation=slug, declaration=body.declaration())
    return services.compliance.declare_data_handling(principal, command)


@router.get(
    "/organisations/{slug}/data-handling", summary="The organisation's declaration in force"
)
def get_declaration(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> DeclarationView:
    return services.compliance.declaration(principal, slug)


_REGISTER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}, "application/json": {}}},
}
Format = Annotated[Literal["csv", "json"], Query(alias="format")]


def _sent(document: Document) -> Response:
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )


@router.get(
    "/agreements/{slug}/compliance/register",
    summary="The agreement's entry in the DORA register of information",
    response_class=Response,
    responses=_REGISTER,
)
def agreement_register(
    slug: str, principal: CurrentPrincipal, services: ServicesDep, output: Format = "json"
) -> Response:
    return _sent(services.register.export(principal, slug, output))


@router.get(
    "/compliance/register",
    summary="The DORA register of information: every agreement the caller sees",
    response_class=Response,
    responses=_REGISTER,
)
def register(
    principal: CurrentPrincipal, services: ServicesDep, output: Format = "csv"
) -> Response:
    return _sent(services.register.export(principal, None, output))
