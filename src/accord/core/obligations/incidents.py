"""An incident's clocks: what it owes and when, by the agreement's severity rules, and the
escalation ladder frozen onto it when it opens.

- **acknowledge**: due ``acknowledge`` after the incident was reported, on the severity's
  calendar;
- **update**: after the acknowledgement, each status update is due ``update_every`` after
  the previous one (or the acknowledgement), until the incident is resolved;
- **resolve**: due ``resolve`` after it was reported.

A change of severity recomputes the open clocks from their original triggers with the new
severity's durations and calendar (elapsed business time is kept, never restarted).

**Escalation.** When one of these obligations lapses undone, level 1 of the frozen ladder is
told at the due instant, level 2 when level 1's ``within`` has run on the same calendar after
that, and so on, until the duty is done. A later edit of the agreement does not change the
ladder of a running incident.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from accord.core.calendars.clock import BusinessCalendar
from accord.core.calendars.spec import ALWAYS
from accord.core.model import Agreement
from accord.core.model.incidents import Severity
from accord.core.obligations.model import Obligation, due_at
from accord.core.units import Duration

__all__ = [
    "FrozenLevel",
    "calendar_of",
    "escalation_instants",
    "freeze_ladder",
    "incident_obligations",
    "ladder_from_json",
    "ladder_to_json",
    "severity_of",
    "update_obligation",
]


@dataclass(frozen=True)
class FrozenLevel:
    """One rung of the ladder as it stood when the incident opened."""

    level: int
    party: str
    owner: str
    contact: str | None
    within: str  # a duration as written, e.g. "30m"
    #: The e-mail addresses the rung is reached at: its contact when that is an address,
    #: else the contacts of its party.
    emails: tuple[str, ...]


def calendar_of(agreement: Agreement, calendar_id: str) -> BusinessCalendar:
    """The clock of one of the agreement's calendars (``24x7`` is built in)."""
    if calendar_id == ALWAYS:
        return BusinessCalendar.always()
    spec = next(c for c in agreement.calendars if c.id == calendar_id)
    return BusinessCalendar.from_spec(spec)


def severity_of(agreement: Agreement, severity_id: str) -> Severity | None:
    policy = agreement.incidents
    if policy is None:
        return None
    return next((item for item in policy.severities if item.id == severity_id), None)


def freeze_ladder(agreement: Agreement) -> tuple[FrozenLevel, ...]:
    """The incident policy's escalation ladder, copied with the addresses of each rung."""
    policy = agreement.incidents
    if policy is None:
        return ()
    ladder = next((item for item in agreement.escalation if item.id == policy.escalation), None)
    if ladder is None:
        return ()
    frozen = []
    for level in ladder.levels:
        party = next((p for p in agreement.parties if p.id == level.party), None)
        contacts = [c.email for c in party.contacts if c.email] if party else []
        own = level.contact if level.contact and "@" in level.contact else None
        frozen.append(
            FrozenLevel(
                level=level.level,
                party=level.party,
                owner=level.owner,
                contact=level.contact,
                within=str(level.within),
                emails=(own,) if own else tuple(contacts),
            )
        )
    return tuple(frozen)


def ladder_to_json(ladder: tuple[FrozenLevel, ...]) -> str:
    return json.dumps([asdict(level) for level in ladder])


def ladder_from_json(text: str) -> tuple[FrozenLevel, ...]:
    return tuple(
        FrozenLevel(**{**item, "emails": tuple(item["emails"])}) for item in json.loads(text)
    )


def incident_obligations(
    incident_id: int, agreement: Agreement, severity: Severity, reported_at: dt.datetime
) -> list[Obligation]:
    """The acknowledge and resolve duties of an incident reported at ``reported_at``."""
    calendar = calendar_of(agreement, severity.calendar)
    provider = agreement.provider().id
    return [
        Obligation(
            kind=kind,
            key=f"incident:{incident_id}:{kind}",
            party=provider,
            subject=f"{verb} incident {incident_id} ({severity.id}) within {allowed}",
            trigger_at=reported_at,
            due_at=due_at(reported_at, allowed, calendar),
            calendar=severity.calendar,
        )
        for kind, verb, allowed in (
            ("acknowledge", "acknowledge", severity.acknowledge),
            ("resolve", "resolve", severity.resolve),
        )
    ]


def update_obligation(
    incident_id: int, number: int, agreement: Agreement, severity: Severity, after: dt.datetime
) -> Obligation:
    """Status update ``number`` (1, 2, …), due ``update_every`` after ``after``."""
    calendar = calendar_of(agreement, severity.calendar)
    return Obligation(
        kind="update",
        key=f"incident:{incident_id}:update:{number}",
        party=agreement.provider().id,
        subject=f"post status update {number} on incident {incident_id} "
        f"(every {severity.update_every})",
        trigger_at=after,
        due_at=due_at(after, severity.update_every, calendar),
        calendar=severity.calendar,
    )


def escalation_instants(
    lapsed_at: dt.datetime, ladder: tuple[FrozenLevel, ...], calendar: BusinessCalendar
) -> list[tuple[FrozenLevel, dt.datetime]]:
    """When each rung is told of a duty that lapsed at ``lapsed_at`` and stays undone."""
    found = []
    at = lapsed_at
    for level in ladder:
        found.append((level, at))
        at = due_at(at, Duration.parse(level.within), calendar)
    return found
