"""Compliance records: certifications per organisation, and the findings per agreement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from accord.core.compliance.certifications import Certification
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.compliance import (
    CertificationView,
    ComplianceFindings,
    RecordCertification,
)

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
