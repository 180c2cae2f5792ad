"""The credit ledger: credits per agreement, partner, period and state with totals per
currency and state (JSON or CSV for finance), each credit's lifecycle steps, and manual
adjustments (requested, approved under four eyes, or rejected)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.adjustments import AdjustmentView, BookAdjustment
from accord.services.ledger import CreditState, LedgerLine, LedgerQuery, LedgerStep

__all__ = ["router"]

router = APIRouter(tags=["ledger"])


class StepIn(BaseModel):
    scheme: str = Field(max_length=64, description="Credit scheme id.")
    window: str = Field(max_length=32, description="Window label, e.g. 2026-10.")
    note: str = Field(default="", max_length=2000, description="Required to dispute.")
    reference: str = Field(default="", max_length=200, description="Required to settle.")


class LedgerFilters(BaseModel):
    model_config = {"extra": "forbid"}

    partner: str | None = Field(default=None, max_length=64, description="Partner id.")
    period: str | None = Field(
        default=None, max_length=32, description="Window label or its start, e.g. 2026."
    )
    state: CreditState | None = None
    format: Literal["json", "csv"] = "json"


Filters = Annotated[LedgerFilters, Query()]
_CONTENT: Final[dict[int | str, dict[str, Any]]] = {
    200: {"content": {"application/json": {}, "text/csv": {}}}
}


def _report(
    services: ServicesDep, principal: CurrentPrincipal, filters: LedgerFilters, slug: str | None
) -> Any:
    query = LedgerQuery(
        agreement=slug,
        partner=filters.partner,
        period=filters.period,
        state=filters.state.value if filters.state else None,
    )
    report = services.ledger.report(principal, query)
    if filters.format == "csv":
        return Response(
            report.as_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="ledger.csv"'},
        )
    return report.as_json()


@router.get("/ledger", summary="Credits the caller sees, with totals", responses=_CONTENT)
def ledger(principal: CurrentPrincipal, services: ServicesDep, filters: Filters) -> Any:
    return _report(services, principal, filters, None)


@router.get(
    "/agreements/{slug}/ledger", summary="One agreement's credits, with totals", responses=_CONTENT
)
def agreement_ledger(
    slug: str, principal: CurrentPrincipal, services: ServicesDep, filters: Filters
) -> Any:
    return _report(services, principal, filters, slug)


_STEPS: Final = {
    "claim": CreditState.CLAIMED,
    "accept": CreditState.ACCEPTED,
    "dispute": CreditState.DISPUTED,
    "settle": CreditState.SETTLED,
}


@router.post(
    "/agreements/{slug}/ledger/{step}",
    summary="Claim (company), accept or dispute (partner), settle (company) a credit",
)
def step(
    slug: str,
    step: Literal["claim", "accept", "dispute", "settle"],
    body: StepIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> LedgerLine:
    command = LedgerStep(
        agreement=slug,
        scheme=body.scheme,
        window=body.window,
        state=_STEPS[step],
        note=body.note,
        reference=body.reference,
    )
    return services.ledger.step(principal, command)


class AdjustmentIn(BaseModel):
    scheme: str = Field(max_length=64, description="Credit scheme id.")
    window: str = Field(max_length=32, description="Window label, e.g. 2026-10.")
    amount: Decimal = Field(
        description="Added to what is owed (negative to lower it), e.g. '-40.00'.",
        max_digits=18,
        decimal_places=4,
    )
    currency: str = Field(min_length=3, max_length=3, description="The scheme's currency.")
    reason: str = Field(min_length=1, max_length=2000, description="Why, in words.")
    link: str = Field(default="", max_length=500, description="e.g. 'dispute 12'.")


class AdjustmentDecisionIn(BaseModel):
    note: str = Field(default="", max_length=2000, description="Required to reject.")


@router.get("/agreements/{slug}/adjustments", summary="Manual adjustments of the ledger")
def adjustments(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[AdjustmentView]:
    return services.adjustments.list(principal, slug)


@router.post(
    "/agreements/{slug}/adjustments",
    status_code=status.HTTP_201_CREATED,
    summary="Adjust what is owed (a new entry; under four eyes it waits for approval)",
)
def adjust(
    slug: str, body: AdjustmentIn, principal: CurrentPrincipal, services: ServicesDep
) -> AdjustmentView:
    command = BookAdjustment(
        agreement=slug,
        scheme=body.scheme,
        window=body.window,
        amount=body.amount,
        currency=body.currency,
        reason=body.reason,
        link=body.link,
    )
    return services.adjustments.request(principal, command)


@router.post(
    "/agreements/{slug}/adjustments/{adjustment_id}/approve",
    summary="Approve an adjustment (another user than the one who asked, under four eyes)",
)
def approve_adjustment(
    slug: str,
    adjustment_id: IdPath,
    body: AdjustmentDecisionIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> AdjustmentView:
    return services.adjustments.approve(principal, slug, adjustment_id, body.note)


@router.post(
    "/agreements/{slug}/adjustments/{adjustment_id}/reject", summary="Reject an adjustment"
)
def reject_adjustment(
    slug: str,
    adjustment_id: IdPath,
    body: AdjustmentDecisionIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> AdjustmentView:
    return services.adjustments.reject(principal, slug, adjustment_id, body.note)
