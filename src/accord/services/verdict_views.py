"""What evaluations recorded, as read by the interfaces: runs, verdicts (with explanation
and history), error budgets and the credit ledger."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accord.services.actors import shown_actor
from accord.services.uow import UnitOfWork
from accord.store.tables import AgreementRow, EvaluationRunRow, VerdictRow

__all__ = [
    "BudgetView",
    "CreditBalance",
    "CreditEntryView",
    "CreditLedger",
    "RunView",
    "VerdictDetail",
    "VerdictPage",
    "VerdictView",
    "Views",
]


@dataclass(frozen=True)
class RunView:
    id: int
    agreement: str
    version: int
    period: str
    as_of: dt.datetime
    started_at: dt.datetime
    requested_by: str
    reason: str
    verdicts_recorded: int
    verdicts_unchanged: int


@dataclass(frozen=True)
class VerdictView:
    id: int
    agreement: str
    version: int
    objective: str
    scope: dict[str, str]
    window: str
    window_start: dt.datetime
    window_end: dt.datetime
    outcome: str
    value: Decimal | None
    value_display: str
    target_display: str
    recorded_at: dt.datetime
    supersedes: int | None
    reason: str | None


@dataclass(frozen=True)
class VerdictPage:
    items: list[VerdictView]
    total: int
    limit: int
    offset: int
    next_offset: int | None


@dataclass(frozen=True)
class VerdictDetail:
    verdict: VerdictView
    explanation: str
    evidence: dict[str, Any]
    #: Every recorded verdict for this objective, scope and window, oldest first.
    history: list[VerdictView]


@dataclass(frozen=True)
class BudgetView:
    objective: str
    scope: dict[str, str]
    window: str
    outcome: str
    budget: dict[str, Any]


@dataclass(frozen=True)
class CreditEntryView:
    scheme: str
    objective: str
    scope: str
    window: str
    tier: int
    amount: Decimal
    currency: str
    recorded_at: dt.datetime
    reason: str
    #: What the caps took off the credit owed when it was booked, and which caps.
    clipped: Decimal | None = None
    caps: str | None = None


@dataclass(frozen=True)
class CreditBalance:
    scheme: str
    window: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class CreditLedger:
    balances: list[CreditBalance]
    entries: list[CreditEntryView] = field(default_factory=list)


class Views:
    """Turns rows into views, knowing the agreement's version numbers."""

    def __init__(self, uow: UnitOfWork, row: AgreementRow) -> None:
        self._uow = uow
        self._slug = row.slug
        self._numbers = {v.id: v.number for v in uow.agreements.versions(row.id)}

    def verdict(self, row: VerdictRow) -> VerdictView:
        evidence = json.loads(row.evidence)
        return VerdictView(
            id=row.id,
            agreement=self._slug,
            version=self._numbers.get(row.version_id, 0),
            objective=row.objective,
            scope=json.loads(row.scope_key),
            window=row.window_label,
            window_start=row.window_start,
            window_end=row.window_end,
            outcome=row.outcome,
            value=row.value,
            value_display=str(evidence.get("value_display", "")),
            target_display=str(evidence.get("target_display", "")),
            recorded_at=row.recorded_at,
            supersedes=row.supersedes_id,
            reason=row.reason,
        )

    def run(self, row: EvaluationRunRow) -> RunView:
        return RunView(
            id=row.id,
            agreement=self._slug,
            version=self._numbers.get(row.version_id, 0),
            period=row.period,
            as_of=row.as_of,
            started_at=row.started_at,
            requested_by=shown_actor(self._uow, row.requested_by),
            reason=row.reason,
            verdicts_recorded=row.verdicts_recorded,
            verdicts_unchanged=row.verdicts_unchanged,
        )
