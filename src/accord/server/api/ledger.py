"""The credit ledger: credits per agreement, partner, period and state with totals per
currency and state (JSON or CSV for finance), and each credit's lifecycle steps."""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from accord.server.security import CurrentPrincipal, ServicesDep
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
