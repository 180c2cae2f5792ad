"""Disputes: the rules of a party's challenge of a verdict or a credit.

- **In time.** A dispute is raised within ``disputes.raise_within`` of the report it
  challenges (the verdict's recording, or the latest ledger entry of the credit).
- **The ladder.** The agreement's ``disputes.steps`` are copied onto the dispute when it is
  raised (a later version does not change a running dispute). Each step has a decision
  authority and a time limit counted from the start of the step; a step that lapses without a
  decision escalates by itself to the next, at its due instant (not when someone notices),
  and past the last step to mediation (when declared) or arbitration.
- **The outcome.** Upheld, rejected, or adjusted with an amount. For a credit dispute the
  ledger then owes: the amount the raising party asked for (upheld), what it owed (rejected),
  or the decided amount (adjusted). The difference is booked as a new ledger entry; the
  original verdict is never edited.

Business days are whole weekdays (Monday to Friday) in the agreement's time zone, counted
from the day after the step starts, as the data cutoff counts them (``accord.core.closing``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum

from accord.core.closing import close_at
from accord.core.model import Agreement
from accord.core.units import Duration, DurationUnit, add_duration

__all__ = [
    "DisputeOutcome",
    "LadderStep",
    "freeze_steps",
    "owed_after",
    "raise_deadline",
    "step_due",
    "steps_from_json",
    "steps_to_json",
]


class DisputeOutcome(StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"
    ADJUSTED = "adjusted"


@dataclass(frozen=True)
class LadderStep:
    """One rung of a dispute's ladder as frozen when it was raised."""

    number: int
    name: str
    #: The written time limit (e.g. ``10 business days``); empty: none (mediation).
    within: str
    decided_by: str


def freeze_steps(agreement: Agreement) -> tuple[LadderStep, ...]:
    """The agreement's dispute steps, then mediation (no time limit) when declared."""
    procedure = agreement.disputes
    if procedure is None:
        return ()
    steps = [
        LadderStep(index, step.name, str(step.within), step.decided_by)
        for index, step in enumerate(procedure.steps, start=1)
    ]
    if procedure.mediation is not None:
        mediation = procedure.mediation
        steps.append(
            LadderStep(
                len(steps) + 1,
                "Mediation",
                "",
                f"{mediation.provider} (costs: {mediation.costs})",
            )
        )
    return tuple(steps)


def steps_to_json(steps: tuple[LadderStep, ...]) -> str:
    return json.dumps([asdict(step) for step in steps], sort_keys=True)


def steps_from_json(text: str) -> tuple[LadderStep, ...]:
    return tuple(LadderStep(**item) for item in json.loads(text))


def _after(start: dt.datetime, allowed: Duration, timezone: str) -> dt.datetime:
    if allowed.business:
        if allowed.unit is DurationUnit.DAY:
            return close_at(start, allowed, timezone)
        # Business hours or minutes without a calendar: counted as wall-clock time, which
        # never ends a step earlier than the business clock would.
        return start + Duration(allowed.amount, allowed.unit).to_timedelta()
    return add_duration(start, allowed, timezone)


def step_due(start: dt.datetime, step: LadderStep, timezone: str) -> dt.datetime | None:
    """When ``step``, started at ``start``, lapses; ``None``: it has no time limit."""
    if not step.within:
        return None
    return _after(start, Duration.parse(step.within), timezone)


def raise_deadline(reported_at: dt.datetime, agreement: Agreement) -> dt.datetime | None:
    """The last instant to dispute what was reported at ``reported_at``; ``None``: the
    agreement declares no dispute procedure."""
    procedure = agreement.disputes
    if procedure is None:
        return None
    return _after(reported_at, procedure.raise_within, agreement.timezone)


def owed_after(
    outcome: DisputeOutcome, owed: Decimal, asked: Decimal | None, decided: Decimal | None
) -> Decimal:
    """What the ledger owes for a disputed credit once the dispute is decided."""
    if outcome is DisputeOutcome.REJECTED:
        return owed
    if outcome is DisputeOutcome.UPHELD:
        return owed if asked is None else asked
    if decided is None:
        raise ValueError("an adjusted outcome names the amount")
    return decided
