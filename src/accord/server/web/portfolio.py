"""The portfolio: every agreement the user sees with the current period's status, breaches
and deviations, credits owed, claimed and settled, error budget left (and its trend) and data
coverage; filtered by partner and status, sorted by any column; the upcoming dated duties."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal
from accord.server.web.rendering import page
from accord.services.obligations import ObligationQuery
from accord.services.overview import CREDIT_STATES, OUTCOME_ORDER, AgreementSummary

__all__ = ["router"]

router = APIRouter()

_BIG: Final = Decimal(10) ** 9
#: The upcoming dated duties listed under the portfolio, soonest first.
_DUTIES: Final = 15
#: Sort keys; the worst first where a column has a "worse".
_SORTS: Final[dict[str, Callable[[AgreementSummary], Any]]] = {
    "agreement": lambda s: s.id,
    "status": lambda s: OUTCOME_ORDER.index(s.status) if s.status else len(OUTCOME_ORDER),
    "breaches": lambda s: (-s.breaches, -s.deviations),
    "deviations": lambda s: (-s.deviations, -s.breaches),
    "credits": lambda s: -sum((m.amount for m in s.credits.get("owed", [])), Decimal(0)),
    "budget": lambda s: _BIG if s.budget_left_ratio is None else s.budget_left_ratio,
    "coverage": lambda s: _BIG if s.coverage_ratio is None else s.coverage_ratio,
}


class PortfolioFilter(BaseModel):
    """Which agreements, in which order; empty means all."""

    partner: str = Field(default="", max_length=200)
    status: str = Field(default="", max_length=16)
    sort: str = Field(default="status", max_length=16)


@router.get("/", include_in_schema=False)
def portfolio(
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
    chosen: Annotated[PortfolioFilter, Query()],
) -> Response:
    partner, status = chosen.partner, chosen.status
    sort = chosen.sort if chosen.sort in _SORTS else "status"
    summaries = services.overview.portfolio(principal)
    partners = sorted({name for s in summaries for name in s.partners})
    shown = [
        s
        for s in summaries
        if (not partner or partner in s.partners) and (not status or s.status == status)
    ]
    shown.sort(key=lambda s: (_SORTS[sort](s), s.id))
    totals: dict[str, dict[str, Decimal]] = {name: {} for name in CREDIT_STATES}
    for summary in shown:
        for name, sums in summary.credits.items():
            for money in sums:
                found = totals[name]
                found[money.currency] = found.get(money.currency, Decimal(0)) + money.amount
    duties = services.obligations.list(principal, ObligationQuery(states=("open",)))
    return page(
        request,
        "portfolio.html",
        principal,
        me=services.organisations.me(principal),
        summaries=shown,
        partners=partners,
        # A partner's portfolio is its own: a column (and a filter) of its agreements'
        # other partners would stay empty, as it sees no other organisation.
        by_partner=principal.company,
        outcomes=OUTCOME_ORDER,
        chosen={"partner": partner, "status": status, "sort": sort},
        sorts=list(_SORTS),
        breaches=sum(s.breaches for s in shown),
        deviations=sum(s.deviations for s in shown),
        credit_totals={name: sorted(found.items()) for name, found in totals.items()},
        credit_columns=list(CREDIT_STATES),
        duties=sorted(duties, key=lambda d: d.due_at)[:_DUTIES],
        duties_total=len(duties),
    )
