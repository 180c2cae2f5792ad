"""What a resolved incident still owes: its post-incident review and the preventive actions
the review commits to, and how well a party keeps those duties.

- **review**: required when the incident's severity is in ``incidents.review.required_for``;
  due ``incidents.review.deadline`` after the incident was resolved, counted on the
  severity's calendar (the calendar its other clocks ran on; on ``24x7`` a business day is a
  whole day). Owed by the provider.
- **action**: each preventive action is due at the end of its due date, in the agreement's
  time zone (the local midnight after it); owed by the party that owns it.

A party's **rates** count the duties that are decided: met ones on time, missed ones late
(a missed duty done after its due instant stays missed); open duties are not counted yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from accord.core.model import Agreement
from accord.core.obligations.incidents import calendar_of, severity_of
from accord.core.obligations.model import Obligation, ObligationState, due_at

__all__ = ["DutyRate", "action_due_at", "action_obligation", "duty_rates", "review_obligation"]


def review_obligation(
    incident_id: int, agreement: Agreement, severity_id: str, resolved_at: dt.datetime
) -> Obligation | None:
    """The review an incident of this severity owes once resolved (``None``: not required)."""
    policy = agreement.incidents
    severity = severity_of(agreement, severity_id)
    if policy is None or severity is None or severity_id not in policy.review.required_for:
        return None
    deadline = policy.review.deadline
    return Obligation(
        kind="review",
        key=f"incident:{incident_id}:review",
        party=agreement.provider().id,
        subject=f"file the post-incident review of incident {incident_id} within {deadline}",
        trigger_at=resolved_at,
        due_at=due_at(resolved_at, deadline, calendar_of(agreement, severity.calendar)),
        calendar=severity.calendar,
    )


def action_due_at(agreement: Agreement, due_on: dt.date) -> dt.datetime:
    """The end of ``due_on`` in the agreement's time zone, as UTC."""
    following = dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time())
    return following.replace(tzinfo=ZoneInfo(agreement.timezone)).astimezone(dt.UTC)


def action_obligation(
    incident_id: int,
    action_id: int,
    agreement: Agreement,
    party: str,
    what: tuple[str, dt.date, dt.datetime],
) -> Obligation:
    """Preventive action ``action_id`` (``what``: its title, due date, and when it was
    agreed), owed by ``party``."""
    title, due_on, agreed_at = what
    return Obligation(
        kind="action",
        key=f"incident:{incident_id}:action:{action_id}",
        party=party,
        subject=f"complete preventive action {action_id} of incident {incident_id} by "
        f"{due_on.isoformat()}: {title}",
        trigger_at=agreed_at,
        due_at=action_due_at(agreement, due_on),
        calendar="24x7",
    )


@dataclass(frozen=True)
class DutyRate:
    """How one party kept one kind of duty: decided ones on time, late, and still open."""

    agreement: str
    party: str
    kind: str
    on_time: int
    late: int
    open: int

    @property
    def decided(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_ratio(self) -> float | None:
        """On time / decided, in [0, 1]; ``None`` before any is decided."""
        return None if self.decided == 0 else self.on_time / self.decided


def duty_rates(duties: Iterable[tuple[str, str, str, str]]) -> list[DutyRate]:
    """Rates per (agreement, party, kind) from ``(agreement, party, kind, state)``; waived
    duties are not counted."""
    counts: dict[tuple[str, str, str], list[int]] = {}
    column = {ObligationState.MET: 0, ObligationState.MISSED: 1, ObligationState.OPEN: 2}
    for agreement, party, kind, state in duties:
        slot = column.get(ObligationState(state))
        if slot is None:
            continue
        counts.setdefault((agreement, party, kind), [0, 0, 0])[slot] += 1
    return [
        DutyRate(agreement, party, kind, *numbers)
        for (agreement, party, kind), numbers in sorted(counts.items())
    ]
