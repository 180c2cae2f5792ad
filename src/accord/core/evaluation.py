"""The result of evaluating an agreement over a period: verdicts and everything around them.

Plain records, filled by the engine and read by reports and services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from accord.core.declared import DowntimeComparison
from accord.core.exclusions.periods import ExcludedPeriod
from accord.core.model import Agreement
from accord.core.periods import Period
from accord.core.records import VerdictRecord, record_of
from accord.core.remedies.credits import ChronicFinding
from accord.core.verdicts import CreditOwed, Outcome, Verdict

__all__ = [
    "ConsistencyFinding",
    "Evaluation",
    "HourItem",
    "SliceItem",
    "SourceIssue",
    "SourceReport",
    "TicketItem",
    "WindowCredit",
]


@dataclass(frozen=True)
class SourceIssue:
    """A kind of problem found in a source, how often, and a few examples."""

    reason: str
    count: int
    samples: tuple[str, ...] = ()


@dataclass
class SourceReport:
    """What reading a source found: rows read and accepted, issues, quarantine file."""

    source: str
    files: list[str]
    rows_read: int = 0
    rows_accepted: int = 0
    issues: list[SourceIssue] = field(default_factory=list)
    quarantine_path: str | None = None
    first_at: str | None = None
    last_at: str | None = None

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_accepted

    #: Accepted rows that fall in no evaluated window (before the first or after the last).
    rows_outside_windows: int = 0


@dataclass(frozen=True)
class WindowCredit:
    """A credit owed for one window."""

    window: str
    credit: CreditOwed


@dataclass(frozen=True)
class ConsistencyFinding:
    """Spread between the best and worst scope of an objective in one window."""

    objective: str
    window: str
    across: str
    worst_scope: str
    best_scope: str
    spread: Decimal
    max_spread: Decimal
    outcome: Outcome


@dataclass(frozen=True)
class TicketItem:
    """One ticket behind a business-duration verdict (drill-down)."""

    objective: str
    window: str
    scope: str
    key: str
    start_at: dt.datetime
    end_at: dt.datetime | None
    #: When its clock reaches the threshold on the business calendar, pauses applied;
    #: ``None`` for a statistic without a threshold.
    due_at: dt.datetime | None
    #: Business time its clock ran (to its end, or to the evaluation instant if open).
    business_seconds: Decimal
    #: on time | late | open | overdue (open past the threshold) | done (no threshold).
    status: str


@dataclass(frozen=True)
class SliceItem:
    """One bad unit behind a verdict judged unit by unit (drill-down): a time slice that
    missed its slice target or, counted bad, had no traffic; a throughput period short of
    its minimum."""

    objective: str
    window: str
    scope: str
    start_at: dt.datetime
    end_at: dt.datetime
    #: The unit's counted events (0 for a unit without traffic).
    events: int
    #: Of them, the good ones (kinds that judge a unit by its good events; else None).
    good: int | None
    #: ``below target`` or ``no traffic``.
    reason: str


@dataclass(frozen=True)
class HourItem:
    """One of the worst hours behind an occurrence verdict (drill-down)."""

    objective: str
    window: str
    scope: str
    #: The start of the hour in the agreement's time zone (with its offset: the two 02:00
    #: hours of an autumn daylight-saving change are told apart).
    hour: dt.datetime
    good: int
    valid: int

    @property
    def bad(self) -> int:
        return self.valid - self.good


@dataclass
class Evaluation:
    """Everything one evaluation found; the verdicts carry their own evidence."""

    agreement: Agreement
    period: Period
    as_of: dt.datetime
    verdicts: list[Verdict] = field(default_factory=list)
    history: list[Verdict] = field(default_factory=list)
    credits: list[WindowCredit] = field(default_factory=list)
    chronic: list[ChronicFinding] = field(default_factory=list)
    consistency: list[ConsistencyFinding] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)
    excluded: list[ExcludedPeriod] = field(default_factory=list)
    #: Drill-down, when asked for: the tickets, bad slices and worst hours behind the verdicts.
    tickets: list[TicketItem] = field(default_factory=list)
    hours: list[HourItem] = field(default_factory=list)
    slices: list[SliceItem] = field(default_factory=list)
    #: Downtime a partner's status feed declares beside the downtime measured.
    downtime: list[DowntimeComparison] = field(default_factory=list)

    def credit_for(self, verdict: Verdict) -> CreditOwed | None:
        """The credit a verdict triggered, if it is the one that set its scheme's tier."""
        for owed in self.credits:
            credit = owed.credit
            if (
                owed.window == verdict.window.label
                and credit.objective == verdict.objective
                and credit.scope == verdict.scope_label
            ):
                return credit
        return None

    def record(self, verdict: Verdict) -> VerdictRecord:
        """The record of one of the evaluation's verdicts, with the credit it triggered."""
        return record_of(verdict, self.credit_for(verdict))
