"""The obligation: a dated duty one party owes under an agreement.

Each obligation has a registered **kind** (what the duty is and which indicator its outcome
feeds), the **party** that owes it, the **trigger** instant that started it, a **due** instant
computed on one of the agreement's calendars with the engine's business-hours clock
(``accord.core.calendars.BusinessCalendar``; there is no second clock), and a **state**:

- ``open`` until it is met, waived or its due instant passes;
- ``met`` when it was done, at or before the due instant;
- ``missed`` when the due instant passed first: it lapsed *at the due instant*, whenever the
  worker happened to notice, and a late fulfilment does not turn it into ``met``;
- ``waived`` with a reason, by someone allowed to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from accord.core.calendars.clock import BusinessCalendar
from accord.core.units import Duration, DurationUnit, add_duration

__all__ = [
    "KINDS",
    "Obligation",
    "ObligationKind",
    "ObligationState",
    "due_at",
    "kind_of",
    "lapsed",
]


class ObligationState(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    WAIVED = "waived"


@dataclass(frozen=True)
class ObligationKind:
    """A registered kind of duty: its name, what it means, and the rate it feeds."""

    name: str
    title: str
    #: The indicator the met/missed outcomes of this kind feed (``records: obligations``).
    feeds: str


KINDS: Final[dict[str, ObligationKind]] = {
    kind.name: kind
    for kind in (
        ObligationKind("acknowledge", "Acknowledge the incident", "acknowledged on time"),
        ObligationKind("update", "Post a status update", "updates on time"),
        ObligationKind("resolve", "Resolve or work around the incident", "resolved on time"),
        ObligationKind("review", "File the post-incident review", "reviews on time"),
        ObligationKind("action", "Complete a preventive action", "actions completed on time"),
        ObligationKind("breach_notice", "Notify a security breach", "breach notices on time"),
        ObligationKind("renewal_notice", "Last day to give renewal notice", "notices on time"),
        ObligationKind(
            "termination_notice", "Last day to give termination notice", "notices on time"
        ),
        ObligationKind(
            "review_action", "Carry out a governance review decision", "review actions on time"
        ),
        ObligationKind(
            "governance_review", "Hold the governance review", "governance reviews held on time"
        ),
        ObligationKind(
            "location_notice", "Give notice of a data-location change", "location notices on time"
        ),
        ObligationKind(
            "dispute_step", "Decide a dispute at its ladder step", "dispute steps on time"
        ),
    )
}


def kind_of(name: str) -> ObligationKind:
    """The registered kind called ``name``; ``KeyError`` names the known ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no obligation kind {name!r}; known: {', '.join(KINDS)}") from None


@dataclass(frozen=True)
class Obligation:
    """One dated duty, as computed from an agreement (before it is stored)."""

    kind: str
    #: Stable within the agreement: the same duty computed twice has the same key.
    key: str
    #: The party (its id in the agreement) that owes it.
    party: str
    subject: str
    trigger_at: dt.datetime
    due_at: dt.datetime
    #: The calendar the due instant was counted on (``24x7`` for wall-clock time).
    calendar: str


def due_at(start: dt.datetime, allowed: Duration, calendar: BusinessCalendar) -> dt.datetime:
    """The instant ``allowed`` runs out after ``start`` on ``calendar``.

    Months and years step calendar dates in the calendar's zone; every other duration is
    counted by the calendar's clock (on ``24x7`` that is wall-clock time).
    """
    if allowed.unit in (DurationUnit.MONTH, DurationUnit.YEAR) and not allowed.business:
        return add_duration(start, allowed, calendar.timezone)
    return calendar.deadline(start, allowed)


def lapsed(due: dt.datetime, now: dt.datetime) -> bool:
    """Whether an obligation due at ``due`` has lapsed by ``now`` (the due instant itself is
    still in time)."""
    return now > due
