"""Renewal decisions and the term they leave: when an agreement's last term ends.

A party records a **decision** about the term that ends next:

- ``renew``: the agreement continues for another renewal period (``term.renewal.period``, or
  the initial term's length when none is given). Under manual renewal this is the only way
  to continue; under automatic renewal it confirms what would happen anyway.
- ``renegotiate``: notice that the term is not to renew as it stands; the agreement ends at
  the term's end unless a later ``renew`` for the same term follows (typically with a new
  version uploaded).
- ``terminate``: notice of termination; the agreement ends at the term's end.

Notice takes effect at the end of the first term whose notice deadline it meets
(``accord.core.obligations.notices``): a termination given after the last day for this term
ends the following one, as contracts word it. The latest decision about a term wins.
Without decisions an automatic agreement renews forever and a manual one ends after its
initial term.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.model import Agreement
from accord.core.model.parties import RenewalMode
from accord.core.obligations.notices import notice_deadlines, term_end

__all__ = [
    "Decision",
    "DecisionKind",
    "end_instant",
    "initial_term_end",
    "last_day",
    "next_term_end",
    "takes_effect_at",
]

#: Terms followed forward before an automatic agreement counts as continuing indefinitely.
_MAX_TERMS: Final = 200
_DAY: Final = dt.timedelta(days=1)


class DecisionKind(StrEnum):
    RENEW = "renew"
    RENEGOTIATE = "renegotiate"
    TERMINATE = "terminate"


@dataclass(frozen=True)
class Decision:
    kind: DecisionKind
    #: The last day of the term it is about.
    term_end: dt.date
    decided_at: dt.datetime


def initial_term_end(agreement: Agreement) -> dt.date | None:
    term = agreement.term
    if term.end is not None:
        return term.end
    assert term.duration is not None  # a term has a duration or an end
    return term_end(term.effective, term.duration)


def next_term_end(agreement: Agreement, last: dt.date) -> dt.date | None:
    """The last day of the term that follows one ending on ``last``."""
    length = agreement.term.renewal.period or agreement.term.duration
    return None if length is None else term_end(last + _DAY, length)


def end_instant(agreement: Agreement, last: dt.date) -> dt.datetime:
    """The local midnight after a term's last day, as UTC: when it is over."""
    zone = ZoneInfo(agreement.timezone)
    return dt.datetime.combine(last + _DAY, dt.time(), zone).astimezone(dt.UTC)


def _current_end(agreement: Agreement, day: dt.date) -> dt.date | None:
    """The last day of the term that holds ``day`` (or the next one to end after it)."""
    end = initial_term_end(agreement)
    for _ in range(_MAX_TERMS):
        if end is None or end >= day:
            return end
        end = next_term_end(agreement, end)
    return None


def takes_effect_at(agreement: Agreement, kind: DecisionKind, at: dt.datetime) -> dt.date | None:
    """The last day of the term a decision made at ``at`` is about: for notice, the first
    term whose notice deadline is still ahead; for a renewal, the term running now."""
    day = at.astimezone(ZoneInfo(agreement.timezone)).date()
    notice = {
        DecisionKind.TERMINATE: "termination_notice",
        DecisionKind.RENEGOTIATE: "renewal_notice",
    }.get(kind)
    if notice is None or agreement.term.renewal.mode is RenewalMode.MANUAL:
        return _current_end(agreement, day)
    for deadline in notice_deadlines(agreement, day):
        if deadline.kind == notice:
            return deadline.term_end
    return _current_end(agreement, day)


def last_day(agreement: Agreement, decisions: Sequence[Decision]) -> dt.date | None:
    """The last day of the agreement's last term; ``None`` while it continues indefinitely."""
    latest: dict[dt.date, Decision] = {}
    for decision in sorted(decisions, key=lambda d: d.decided_at):
        latest[decision.term_end] = decision
    automatic = agreement.term.renewal.mode is RenewalMode.AUTO
    end = initial_term_end(agreement)
    for _ in range(_MAX_TERMS):
        if end is None:
            return None
        decided = latest.get(end)
        renews = automatic if decided is None else decided.kind is DecisionKind.RENEW
        if not renews:
            return end
        end = next_term_end(agreement, end)
    return None
