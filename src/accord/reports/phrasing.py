"""Plain-language phrasing of agreement values: dates, measures, bands, parties, lists.

Everything here is deterministic: no locale, no clock. Percentages in one sentence share
their number of decimals, so a band reads '99.90% to below 99.95%'.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accord.core.calendars.spec import ALWAYS
from accord.core.model import Agreement
from accord.core.model.measurement import Direction, Indicator
from accord.core.model.objectives import Objective
from accord.core.obligations.notices import term_end
from accord.core.units import Duration, Percentage, format_decimal

__all__ = [
    "Band",
    "Measure",
    "band_of",
    "calendar_name",
    "decimals",
    "indicator_of",
    "join_words",
    "party_name",
    "party_names",
    "show_date",
    "show_measure",
    "term_end",
]

Measure = Percentage | Duration | Decimal


def show_date(day: dt.date) -> str:
    """``2026-01-01`` → ``1 January 2026``."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def join_words(words: Iterable[str], last: str = "and") -> str:
    """``[a, b, c]`` → ``a, b and c``."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def decimals(value: Measure) -> int:
    """How many decimals a percentage shows as written (99.95% → 2); 0 for other measures."""
    if not isinstance(value, Percentage):
        return 0
    text = format_decimal(value.percent)
    return len(text.partition(".")[2])


def show_measure(value: Measure, places: int = 0) -> str:
    """A measure in its normalised form; percentages padded to ``places`` decimals."""
    if isinstance(value, Percentage):
        shown = max(places, decimals(value))
        return f"{value.percent:.{shown}f}%"
    if isinstance(value, Duration):
        return str(value)
    return format_decimal(value)


def party_name(agreement: Agreement, party_id: str) -> str:
    """The legal name of a party, or its identifier if the agreement does not name it."""
    found = next((party for party in agreement.parties if party.id == party_id), None)
    return found.name if found else party_id


def party_names(agreement: Agreement, party_ids: Sequence[str]) -> str:
    return join_words(party_name(agreement, party_id) for party_id in party_ids)


def calendar_name(agreement: Agreement, calendar_id: str) -> str:
    """'around the clock' for the built-in calendar, else the calendar's name."""
    if calendar_id == ALWAYS:
        return "around the clock"
    found = next((item for item in agreement.calendars if item.id == calendar_id), None)
    return (found.name or found.id) if found else calendar_id


def indicator_of(agreement: Agreement, objective: Objective) -> Indicator:
    """The indicator an objective judges; the agreement must have passed validation."""
    for indicator in agreement.indicators:
        if indicator.id == objective.indicator:
            return indicator
    raise ValueError(f"objective {objective.id!r} names unknown indicator {objective.indicator!r}")


@dataclass(frozen=True)
class Band:
    """An objective's verdict rules in words: when it is met, a deviation, a breach."""

    promise: str
    met: str
    deviation: str | None
    breach: str

    def sentence(self) -> str:
        """'99.90% to below 99.95% is a deviation, below 99.90% a breach'."""
        if self.deviation is None:
            return f"{self.breach} is a breach (there is no tolerance band)"
        return f"{self.deviation} is a deviation, {self.breach} a breach"


def band_of(objective: Objective, direction: Direction) -> Band:
    """The tolerance band of an objective, phrased for its direction."""
    places = max(decimals(objective.target), decimals(objective.tolerance))
    target = show_measure(objective.target, places)
    tolerance = show_measure(objective.tolerance, places)
    narrow = objective.target == objective.tolerance
    if direction is Direction.HIGHER_IS_BETTER:
        return Band(
            promise=f"at least {target}",
            met=f"{target} or more",
            deviation=None if narrow else f"{tolerance} to below {target}",
            breach=f"below {tolerance}",
        )
    return Band(
        promise=f"at most {target}",
        met=f"{target} or less",
        deviation=None if narrow else f"above {target} up to {tolerance}",
        breach=f"above {tolerance}",
    )
