"""Evaluations and what they found: verdicts (with history and explanation), error budgets,
credits, chronic-failure and consistency findings, and runs, per agreement, filtered by
objective, scope, window and outcome."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, Field

from accord.server.api.params import MAX_ID, IdPath
from accord.server.downloads import verdict_items_csv
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.drilldown import MAX_ITEMS, ItemsPage
from accord.services.findings import FindingView
from accord.services.verdict_views import (
    BudgetView,
    CreditLedger,
    RunView,
    VerdictDetail,
    VerdictPage,
)
from accord.services.verdicts import MAX_PAGE, RunEvaluation, VerdictQuery

__all__ = ["router"]

router = APIRouter(prefix="/agreements/{slug}", tags=["verdicts"])


class EvaluationIn(BaseModel):
    period: str = Field(description="2026-10, 2026-Q4, 2026-W44, 2026 or 2026-10-15.")
    version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="Previews only: judge the whole period by this version. Recorded "
        "evaluations judge each window by the version in force at its start.",
    )
    as_of: dt.datetime | None = Field(default=None, description="Default: now or period end.")
    reason: str = Field(default="requested", max_length=500)

    def command(self, slug: str) -> RunEvaluation:
        return RunEvaluation(
            agreement=slug,
            period=self.period,
            version=self.version,
            as_of=self.as_of,
            reason=self.reason,
        )


class VerdictFilters(BaseModel):
    """Which verdicts: every field narrows the list; none means all current verdicts."""

    model_config = {"extra": "forbid"}

    objective: str | None = None
    scope: str | None = Field(
        default=None, description="name=value pairs, e.g. region=eu; 'all' for unscoped."
    )
    window: str | None = Field(default=None, description="Window label, e.g. 2026-10.")
    outcome: Literal["met", "deviation", "breach", "no_data", "insufficient_data"] | None = None
    include_superseded: bool = False
    limit: int = Field(default=100, ge=1, le=MAX_PAGE)
    offset: int = Field(default=0, ge=0, le=MAX_ID)


def _query(filters: Annotated[VerdictFilters, Query()]) -> VerdictQuery:
    return VerdictQuery(**filters.model_dump())


Filters = Annotated[VerdictQuery, Depends(_query)]


@router.post("/evaluations", status_code=status.HTTP_201_CREATED, summary="Evaluate a period")
def evaluate(
    slug: str, body: EvaluationIn, principal: CurrentPrincipal, services: ServicesDep
) -> RunView:
    return services.verdicts.evaluate(principal, body.command(slug))


@router.post(
    "/previews",
    summary="Evaluate a period without recording anything (partners may; nothing is kept)",
)
def preview(
    slug: str, body: EvaluationIn, principal: CurrentPrincipal, services: ServicesDep
) -> dict[str, Any]:
    return services.verdicts.preview(principal, body.command(slug))


@router.get("/evaluations", summary="Recent evaluation runs")
def runs(slug: str, principal: CurrentPrincipal, services: ServicesDep) -> list[RunView]:
    return services.verdicts.runs(principal, slug)


@router.get("/verdicts", summary="Verdicts, newest judgement of each unless asked for history")
def verdicts(
    slug: str, filters: Filters, principal: CurrentPrincipal, services: ServicesDep
) -> VerdictPage:
    return services.verdicts.verdicts(principal, slug, filters)


@router.get("/verdicts/{verdict_id}", summary="One verdict: explanation, evidence, history")
def verdict(
    slug: str, verdict_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> VerdictDetail:
    return services.verdicts.verdict(principal, slug, verdict_id)


class ItemsQuery(BaseModel):
    """Which page of a verdict's items, or all of them as CSV."""

    model_config = {"extra": "forbid"}

    limit: int = Field(default=100, ge=1, le=MAX_ITEMS)
    offset: int = Field(default=0, ge=0, le=MAX_ID)
    format: Literal["json", "csv"] = "json"


@router.get(
    "/verdicts/{verdict_id}/items",
    summary="The items behind a verdict: tickets with due instants, bad slices, worst hours",
    response_model=ItemsPage,
    responses={200: {"content": {"text/csv": {}}}},
)
def verdict_items(
    slug: str,
    verdict_id: IdPath,
    page: Annotated[ItemsQuery, Query()],
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> Any:
    """Recomputed from what the verdict was judged on (its version, run, data files and
    pushed batches, fetched sources read again). ``format=csv`` gives every item at once."""
    if page.format == "csv":
        return verdict_items_csv(services, principal, slug, verdict_id)
    drill = services.drilldowns
    return drill.items(principal, slug, verdict_id, limit=page.limit, offset=page.offset)


@router.get("/budgets", summary="Error budgets of the matching verdicts")
def budgets(
    slug: str, filters: Filters, principal: CurrentPrincipal, services: ServicesDep
) -> list[BudgetView]:
    return services.verdicts.budgets(principal, slug, filters)


@router.get("/credits", summary="The credit ledger and what is owed per scheme and window")
def credits(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    window: str | None = None,
) -> CreditLedger:
    return services.verdicts.credits(principal, slug, window)


@router.get("/findings", summary="Chronic-failure and consistency findings, the current ones")
def findings(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    kind: Literal["chronic", "consistency"] | None = None,
) -> list[FindingView]:
    return services.findings.current(principal, slug, kind)
