"""What a period report says, as plain values: per agreement the verdicts of the period's
windows, outcome counts beside the previous period's, and credits owed. Built by the services
from stored verdicts, rendered by ``accord.reports.period``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

__all__ = ["OUTCOME_ORDER", "PORTFOLIO", "AgreementResults", "PeriodReport", "VerdictLine"]

#: Worst first: the status of a set of verdicts is the first of these any of them has.
OUTCOME_ORDER: Final = ("breach", "deviation", "no_data", "met")
#: The scope of the report on every agreement (rather than one partner's).
PORTFOLIO: Final = "portfolio"


@dataclass(frozen=True)
class VerdictLine:
    objective: str
    scope: str
    window: str
    outcome: str
    value: str
    target: str
    coverage_ratio: Decimal | None


@dataclass
class AgreementResults:
    id: str
    title: str
    partners: list[str]
    verdicts: list[VerdictLine] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    previous_outcomes: dict[str, int] = field(default_factory=dict)
    #: Currency → credits owed for the period's windows.
    credits: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodReport:
    #: ``portfolio`` or the partner's organisation id.
    scope: str
    #: Who the report is about: the partner's name, or the company's for the portfolio.
    subject: str
    period: str
    previous_period: str
    agreements: list[AgreementResults]

    def totals(self, *, previous: bool = False) -> dict[str, int]:
        counts = {outcome: 0 for outcome in OUTCOME_ORDER}
        for agreement in self.agreements:
            source = agreement.previous_outcomes if previous else agreement.outcomes
            for outcome, count in source.items():
                counts[outcome] = counts.get(outcome, 0) + count
        return counts

    def credits(self) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for agreement in self.agreements:
            for currency, amount in agreement.credits.items():
                found[currency] = found.get(currency, Decimal(0)) + amount
        return found
