"""Retention: how long the agreement lets Accord keep what it holds, and what a legal hold
keeps beyond that.

A rule (``data_handling.retention`` with ``applies_to``) keeps data for its period after the
data's latest instant: a measurement batch goes once its latest event is older than
``now − period``, an audit entry once it was written before that, a dispute's evidence file
once the dispute was decided before that (months and years step calendar dates in the
agreement's time zone). When several rules apply to the same data, the longest wins. A legal
hold keeps everything of its agreement, or only data with an instant inside its span
``[held_from, held_until)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from accord.core.model import Agreement
from accord.core.units import Duration, add_duration

__all__ = ["AUDIT_LOGS", "EVIDENCE", "PERFORMANCE_DATA", "Hold", "cutoff", "held"]

#: What Accord keeps, as ``applies_to`` names it.
PERFORMANCE_DATA: Final = "performance_data"
AUDIT_LOGS: Final = "audit_logs"
EVIDENCE: Final = "evidence"


@dataclass(frozen=True)
class Hold:
    held_from: dt.datetime | None
    held_until: dt.datetime | None

    def covers(self, first_at: dt.datetime, last_at: dt.datetime) -> bool:
        """Whether data spanning ``[first_at, last_at]`` has an instant inside the hold."""
        after_start = self.held_from is None or last_at >= self.held_from
        before_end = self.held_until is None or first_at < self.held_until
        return after_start and before_end


def cutoff(agreement: Agreement, applies_to: str, now: dt.datetime) -> dt.datetime | None:
    """Data of the kind whose latest instant is before this may go; ``None``: no rule."""
    rules = [
        rule
        for rule in (agreement.data_handling.retention if agreement.data_handling else [])
        if rule.applies_to == applies_to
    ]
    if not rules:
        return None
    instants = [
        add_duration(now, Duration(-rule.period.amount, rule.period.unit), agreement.timezone)
        for rule in rules
    ]
    return min(instants)


def held(holds: Sequence[Hold], first_at: dt.datetime, last_at: dt.datetime) -> bool:
    return any(hold.covers(first_at, last_at) for hold in holds)
