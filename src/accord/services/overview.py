"""The portfolio at a glance: for every agreement the principal sees, the current period's
status, breaches and deviations, credits owed, error budget left (with its recent trend) and
data coverage, read in a handful of queries whatever the number of agreements.

"Current period" is the latest window an agreement has verdicts for: the verdicts whose window
starts last (a month, and a quarter starting with it), and the longer windows still open then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from accord.core.period_report import OUTCOME_ORDER as _REPORTED
from accord.services.ledger import CreditState, Parties, ledger_sums
from accord.services.permissions import Permission, Principal
from accord.services.uow import ServiceContext
from accord.store.repositories import WindowOutcomesRow

__all__ = [
    "CREDIT_STATES",
    "OUTCOME_ORDER",
    "AgreementSummary",
    "BudgetPoint",
    "Money",
    "Overview",
    "worst",
]

#: Outcomes, the worst first (a window judged on too little data is never met).
OUTCOME_ORDER: Final = (_REPORTED[0], "insufficient_data", *_REPORTED[1:])
#: How far back the portfolio looks for verdicts (six months and the open one).
_LOOK_BACK: Final = dt.timedelta(days=200)
_TREND_POINTS: Final = 6
#: The ledger's states as the portfolio sums them up: owed (final or still provisional),
#: claimed (whether the partner answered yet or not) and settled.
CREDIT_STATES: Final = {
    "owed": (CreditState.PROVISIONAL, CreditState.OWED),
    "claimed": (CreditState.CLAIMED, CreditState.ACCEPTED, CreditState.DISPUTED),
    "settled": (CreditState.SETTLED,),
}


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
    #: Every window's credits by ``CREDIT_STATES`` column, per currency.
    credits: dict[str, list[Money]] = field(default_factory=dict)
    #: The least error budget left among the current period's verdicts, in [0, 1].
    budget_left_ratio: Decimal | None = None
    #: How many of the current period's verdicts have an error budget, and how many of
    #: those spent all of it (a deviation or a breach always has).
    budgets: int = 0
    budgets_exhausted: int = 0
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
    outcomes: dict[str, int] = field(default_factory=dict)
    budget_left: list[float] = field(default_factory=list)
    coverage: list[float] = field(default_factory=list)
    budgets: int = 0
    exhausted: int = 0


def _ratio(value: float) -> Decimal:
    """A figure kept as a float for grouping, shown as the ratio it stands for."""
    return max(Decimal(0), Decimal(repr(value)))


def _windows(rows: Sequence[WindowOutcomesRow]) -> list[_Window]:
    """The verdicts grouped by the instant their window starts, earliest first; each group is
    labelled by its shortest window (the month rather than the quarter starting with it).
    The latest group also holds the longer windows still open at its start (the quarter
    that began before it), so that the current period shows every verdict about it."""
    by_start: dict[dt.datetime, _Window] = {}
    for row in rows:
        window = by_start.get(row.window_start)
        if window is None:
            window = by_start[row.window_start] = _Window(
                row.window_label, row.window_start, row.window_end
            )
        elif row.window_end < window.end:
            window.label, window.end = row.window_label, row.window_end
        _note(window, row)
    if not by_start:
        return []
    ordered = [by_start[start] for start in sorted(by_start)]
    latest = ordered[-1]
    for row in rows:
        if row.window_start < latest.start < row.window_end:
            _note(latest, row)
    return ordered


def _note(window: _Window, row: WindowOutcomesRow) -> None:
    for outcome, count in zip(OUTCOME_ORDER, row.outcomes, strict=True):
        if count:
            window.outcomes[outcome] = window.outcomes.get(outcome, 0) + count
    if row.least_budget_left_ratio is not None:
        window.budget_left.append(row.least_budget_left_ratio)
    if row.least_coverage_ratio is not None:
        window.coverage.append(row.least_coverage_ratio)
    window.budgets += row.budgets
    window.exhausted += row.exhausted


def _credits(
    sums: dict[CreditState, dict[str, Decimal]],
) -> dict[str, list[Money]]:
    """The ledger's sums per state as the portfolio's ``CREDIT_STATES`` columns."""
    found: dict[str, list[Money]] = {}
    for name, states in CREDIT_STATES.items():
        total: dict[str, Decimal] = {}
        for state in states:
            for currency, amount in sums.get(state, {}).items():
                total[currency] = total.get(currency, Decimal(0)) + amount
        found[name] = [Money(total[c], c) for c in sorted(total) if total[c]]
    return found


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
            verdicts: dict[int, list[WindowOutcomesRow]] = {}
            for row in uow.verdicts.window_outcomes_since(since, OUTCOME_ORDER):
                verdicts.setdefault(row.agreement_id, []).append(row)
            credits = ledger_sums(uow, list(agreements), Parties(parties, organisations))
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
                        _credits(credits.get(agreement.slug, {})),
                    )
                )
        return summaries


def _summary(
    slug: str,
    title: str,
    partners: list[str],
    windows: list[_Window],
    credits: dict[str, list[Money]],
) -> AgreementSummary:
    if not windows:
        return AgreementSummary(slug, title, partners, None, None, credits=credits)
    current = windows[-1]
    counts = {o: current.outcomes[o] for o in OUTCOME_ORDER if current.outcomes.get(o)}
    trend = [
        BudgetPoint(w.label, _ratio(min(w.budget_left)))
        for w in windows[-_TREND_POINTS:]
        if w.budget_left
    ]
    return AgreementSummary(
        id=slug,
        title=title,
        partners=partners,
        window=current.label,
        status=worst(current.outcomes),
        outcomes=counts,
        credits=credits,
        budget_left_ratio=_ratio(min(current.budget_left)) if current.budget_left else None,
        budgets=current.budgets,
        budgets_exhausted=current.exhausted,
        budget_trend=trend,
        coverage_ratio=_ratio(min(current.coverage)) if current.coverage else None,
    )
