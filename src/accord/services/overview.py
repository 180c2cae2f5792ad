"""The portfolio at a glance: for every agreement the principal sees, the current period's
status, breaches and deviations, credits owed, error budget left (with its recent trend) and
data coverage, read in a handful of queries whatever the number of agreements.

"Current period" is the latest window an agreement has verdicts for: the verdicts whose window
starts last (a month, and a quarter starting with it), and the longer windows still open then.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from accord.core.period_report import OUTCOME_ORDER
from accord.services.permissions import Permission, Principal
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import VerdictSummaryRow

__all__ = ["OUTCOME_ORDER", "AgreementSummary", "BudgetPoint", "Money", "Overview", "worst"]

#: How far back the portfolio looks for verdicts (six months and the open one).
_LOOK_BACK: Final = dt.timedelta(days=200)
_TREND_POINTS: Final = 6


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class BudgetPoint:
    window: str
    #: The least error budget left among the window's verdicts, in [0, 1].
    left_ratio: Decimal


@dataclass(frozen=True)
class AgreementSummary:
    id: str
    title: str
    #: The organisations of the agreement's parties other than the caller's own.
    partners: list[str]
    #: The current period's window label; ``None`` before the first evaluation.
    window: str | None
    #: The worst outcome of the current period (``OUTCOME_ORDER``), ``None`` before any.
    status: str | None
    outcomes: dict[str, int] = field(default_factory=dict)
    #: Credits owed for the current period, per currency.
    credits_owed: list[Money] = field(default_factory=list)
    budget_left_ratio: Decimal | None = None
    #: The budget left per window, oldest first (the sparkline).
    budget_trend: list[BudgetPoint] = field(default_factory=list)
    #: The lowest coverage among the current period's verdicts, in [0, 1].
    coverage_ratio: Decimal | None = None

    @property
    def breaches(self) -> int:
        return self.outcomes.get("breach", 0)

    @property
    def deviations(self) -> int:
        return self.outcomes.get("deviation", 0)


def worst(outcomes: Iterable[str]) -> str | None:
    present = set(outcomes)
    return next((outcome for outcome in OUTCOME_ORDER if outcome in present), None)


@dataclass
class _Window:
    label: str
    start: dt.datetime
    end: dt.datetime
    outcomes: list[str] = field(default_factory=list)
    budget_left: list[Decimal] = field(default_factory=list)
    coverage: list[Decimal] = field(default_factory=list)
    #: Every window label among the group's verdicts (credits are owed per label).
    labels: set[str] = field(default_factory=set)


def _ratio(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _windows(rows: Sequence[VerdictSummaryRow]) -> list[_Window]:
    """The verdicts grouped by the instant their window starts, earliest first; each group is
    labelled by its shortest window (the month rather than the quarter starting with it).
    The latest group also holds the longer windows still open at its start (the quarter
    that began before it), so that the current period shows every verdict about it."""
    by_start: dict[dt.datetime, _Window] = {}
    for row in rows:
        window = by_start.get(row.window_start)
        if window is None or row.window_end < window.end:
            shorter = _Window(row.window_label, row.window_start, row.window_end)
            if window is not None:
                shorter.outcomes, shorter.budget_left = window.outcomes, window.budget_left
                shorter.coverage, shorter.labels = window.coverage, window.labels
            window = by_start[row.window_start] = shorter
        _note(window, row)
    if not by_start:
        return []
    ordered = [by_start[start] for start in sorted(by_start)]
    latest = ordered[-1]
    for row in rows:
        if row.window_start < latest.start < row.window_end:
            _note(latest, row)
    return ordered


#: Verdict id → (budget left, coverage) read from its evidence. Recorded verdicts never
#: change (a change is a new verdict), so what was read once stays true.
_FACTS: dict[int, tuple[Decimal | None, Decimal | None]] = {}
_MAX_FACTS: Final = 200_000


def _read_facts(evidence_text: str) -> tuple[Decimal | None, Decimal | None]:
    evidence = json.loads(evidence_text)
    consumed = _ratio((evidence.get("budget") or {}).get("consumed_ratio"))
    left = None if consumed is None else max(Decimal(0), Decimal(1) - consumed)
    return left, _ratio((evidence.get("coverage") or {}).get("ratio"))


def _learn_facts(uow: UnitOfWork, rows: Sequence[VerdictSummaryRow]) -> None:
    """Read the evidence of the verdicts not seen before (all of them, the first time)."""
    unseen = [row.id for row in rows if row.id not in _FACTS]
    if len(_FACTS) + len(unseen) > _MAX_FACTS:
        _FACTS.clear()
        unseen = [row.id for row in rows]
    for verdict_id, text in uow.verdicts.evidence_of(unseen).items():
        _FACTS[verdict_id] = _read_facts(text)


def _note(window: _Window, row: VerdictSummaryRow) -> None:
    window.labels.add(row.window_label)
    window.outcomes.append(row.outcome)
    left, coverage = _FACTS.get(row.id, (None, None))
    if left is not None:
        window.budget_left.append(left)
    if coverage is not None:
        window.coverage.append(coverage)


class Overview:
    """The portfolio page's data."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def portfolio(self, principal: Principal) -> list[AgreementSummary]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            agreements = uow.agreements.all()
            parties = uow.agreements.all_parties()
            organisations = uow.organisations.by_ids(
                {o for links in parties.values() for o in links.values()}
            )
            since = self._context.clock.now() - _LOOK_BACK
            verdicts: dict[int, list[VerdictSummaryRow]] = {}
            recent = uow.verdicts.current_ending_since(since)
            _learn_facts(uow, recent)
            for row in recent:
                verdicts.setdefault(row.agreement_id, []).append(row)
            owed = uow.credits.owed_by_agreement()
            summaries = []
            for agreement in agreements:
                names = sorted(
                    organisations[o].name
                    for o in set(parties.get(agreement.id, {}).values())
                    if o in organisations and o != principal.organisation_id
                )
                summaries.append(
                    _summary(
                        agreement.slug,
                        agreement.title,
                        names,
                        _windows(verdicts.get(agreement.id, [])),
                        owed.get(agreement.id, {}),
                    )
                )
        return summaries


def _summary(
    slug: str,
    title: str,
    partners: list[str],
    windows: list[_Window],
    owed: dict[tuple[str, str], Decimal],
) -> AgreementSummary:
    if not windows:
        return AgreementSummary(slug, title, partners, None, None)
    current = windows[-1]
    counts: dict[str, int] = {
        o: current.outcomes.count(o) for o in OUTCOME_ORDER if o in current.outcomes
    }
    trend = [
        BudgetPoint(w.label, min(w.budget_left)) for w in windows[-_TREND_POINTS:] if w.budget_left
    ]
    totals: dict[str, Decimal] = {}
    for (window, currency), amount in owed.items():
        if window in current.labels:
            totals[currency] = totals.get(currency, Decimal(0)) + amount
    credits = [Money(amount, currency) for currency, amount in sorted(totals.items()) if amount]
    return AgreementSummary(
        id=slug,
        title=title,
        partners=partners,
        window=current.label,
        status=worst(current.outcomes),
        outcomes=counts,
        credits_owed=credits,
        budget_left_ratio=min(current.budget_left) if current.budget_left else None,
        budget_trend=trend,
        coverage_ratio=min(current.coverage) if current.coverage else None,
    )
