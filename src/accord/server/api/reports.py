"""Period reports kept (by ``accord report`` or by the worker once a period closed): the list
a caller may read, with links, and each file. A partner sees its own organisation's reports
only; another's file is the same 404 as one that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from accord.server.downloads import report_file
from accord.server.security import CurrentPrincipal, ServicesDep

__all__ = ["router"]

router = APIRouter(tags=["reports"])

Scope = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Period = Annotated[str, Path(pattern=r"^\d{4}-(\d{2}|Q[1-4])$")]
FileName = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9_-]+\.(html|pdf|json|csv)$")]


class ReportOut(BaseModel):
    scope: str = Field(description="'portfolio' or the partner organisation's id.")
    period: str = Field(description="A month (2026-10) or a quarter (2026-Q4).")
    report_hash: str = Field(description="SHA-256 of report.json: the same verdicts, the same.")
    generated_at: dt.datetime
    generated_by: str = Field(description="'worker' when generated once the period closed.")
    files: dict[str, str] = Field(description="File name → SHA-256.")
    links: dict[str, str] = Field(description="File name → where to fetch it.")


@router.get("/reports", response_model=list[ReportOut])
def list_reports(services: ServicesDep, principal: CurrentPrincipal) -> list[ReportOut]:
    """The reports kept that the caller may read, newest period first."""
    return [
        ReportOut(
            scope=kept.scope,
            period=kept.period,
            report_hash=kept.report_hash,
            generated_at=kept.generated_at,
            generated_by=kept.generated_by,
            files=kept.files,
            links={
                name: f"/api/v1/reports/{kept.scope}/{kept.period}/{name}" for name in kept.files
            },
        )
        for kept in services.reports.stored(principal)
    ]


@router.get(
    "/reports/{scope}/{period}/{name}",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/html": {},
                "application/pdf": {},
                "application/json": {},
                "text/csv": {},
            }
        }
    },
)
def get_report_file(
    scope: Scope, period: Period, name: FileName, services: ServicesDep, principal: CurrentPrincipal
) -> Response:
    """One file of a kept report."""
    return report_file(services, principal, scope, period, name)
