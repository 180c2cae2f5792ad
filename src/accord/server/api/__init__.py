"""The ``/api/v1`` routes, one module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from accord.server.api import (
    agreements,
    amendments,
    audit,
    books,
    breach_notices,
    compliance,
    disputes,
    incident_reviews,
    incidents,
    ledger,
    measurements,
    obligations,
    organisations,
    renewals,
    reports,
    retention,
    reviews,
    sessions,
    tokens,
    users,
    verdicts,
)

__all__ = [
    "params",
    "router",
]

router = APIRouter()
for module in (
    sessions,
    organisations,
    users,
    tokens,
    agreements,
    measurements,
    verdicts,
    obligations,
    incidents,
    incident_reviews,
    breach_notices,
    books,
    ledger,
    audit,
    compliance,
    renewals,
    retention,
    reviews,
    amendments,
    reports,
    disputes,
):
    router.include_router(module.router)
