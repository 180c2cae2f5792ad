"""Amendments: the rules a proposed new version of an agreement must meet before it takes
effect, decided from the agreement in force when it is proposed.

- **Approvals.** The parties named in ``change_management.approval`` (or the change type's
  own ``approval``) approve; without change management every consumer and provider party
  does. Proposing counts as the proposing party's approval.
- **Notice.** The version takes effect no earlier than the proposal plus the notice period
  (the change type's own, else ``change_management.notice``; none declared: no notice),
  unless every party that approves, and the consumer and provider, waive the notice: each
  waiver is recorded.
- **Freezes.** No change takes effect on a local date inside a freeze window that covers its
  change type (``change_management.freezes``).

Nothing here reads the clock: the instants are arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.model import Agreement
from accord.core.model.governance import ChangeFreeze
from accord.core.units import Duration, add_duration

__all__ = [
    "NO_NOTICE",
    "AmendmentState",
    "ChangeRules",
    "SignOff",
    "change_rules",
    "earliest_effective",
    "effective_problem",
    "freeze_at",
    "outstanding",
]

NO_NOTICE: Final = Duration.parse("0 days")


class AmendmentState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ChangeRules:
    """What a change of one type needs under an agreement."""

    #: ``None``: a change of no named type.
    change_type: str | None
    notice: Duration
    #: Party ids whose approval is required, in the agreement's order.
    approvers: tuple[str, ...]
    #: Party ids that must all waive the notice for an earlier effective instant.
    waivers_needed: tuple[str, ...]
    freezes: tuple[ChangeFreeze, ...]
    timezone: str


@dataclass(frozen=True)
class SignOff:
    """One approval of an approved version, as its rendered document shows it."""

    party: str
    party_name: str
    approved_by: str
    approved_at: dt.datetime


def change_rules(agreement: Agreement, change_type: str | None) -> ChangeRules:
    """The rules of a change of ``change_type`` under ``agreement``; ``KeyError`` names the
    declared change types when the agreement has no such type."""
    bound = tuple(p.id for p in agreement.parties if p.role.value in ("consumer", "provider"))
    changes = agreement.change_management
    if changes is None:
        if change_type is not None:
            raise KeyError(f"no change type {change_type!r}: the agreement declares none")
        return ChangeRules(None, NO_NOTICE, bound, bound, (), agreement.timezone)
    notice, approval = changes.notice, list(changes.approval)
    if change_type is not None:
        kind = next((k for k in changes.change_types if k.id == change_type), None)
        if kind is None:
            known = ", ".join(k.id for k in changes.change_types) or "none declared"
            raise KeyError(f"no change type {change_type!r}; change types: {known}")
        notice = kind.notice
        approval = list(kind.approval or approval)
    ordered = tuple(p.id for p in agreement.parties if p.id in approval)
    waivers = tuple(p.id for p in agreement.parties if p.id in {*approval, *bound})
    freezes = tuple(
        freeze
        for freeze in changes.freezes
        if not freeze.change_types
        or (change_type is not None and change_type in freeze.change_types)
    )
    return ChangeRules(change_type, notice, ordered, waivers, freezes, agreement.timezone)


def earliest_effective(rules: ChangeRules, proposed_at: dt.datetime) -> dt.datetime:
    """The earliest instant the change may take effect without waivers: the proposal plus
    the notice period (months step local calendar dates)."""
    if rules.notice.business:
        raise ValueError("a notice period counted in business time needs a calendar")
    return add_duration(proposed_at, rules.notice, rules.timezone)


def freeze_at(rules: ChangeRules, at: dt.datetime) -> ChangeFreeze | None:
    """The freeze window the instant falls in (a local date of one of its ranges)."""
    day = at.astimezone(ZoneInfo(rules.timezone)).date()
    for freeze in rules.freezes:
        if any(span.start <= day <= span.end for span in freeze.dates):
            return freeze
    return None


def effective_problem(
    rules: ChangeRules,
    proposed_at: dt.datetime,
    effective_at: dt.datetime,
    waived_by: Collection[str],
) -> str | None:
    """Why the change may not take effect at ``effective_at``; ``None``: it may."""
    if effective_at < proposed_at:
        return "an amendment takes effect after it is proposed (a rollback is a new amendment)"
    frozen = freeze_at(rules, effective_at)
    if frozen is not None:
        day = effective_at.astimezone(ZoneInfo(rules.timezone)).date()
        return (
            f"{day} is inside the freeze window {frozen.name!r}: no change may take effect "
            "then; choose an instant outside it"
        )
    earliest = earliest_effective(rules, proposed_at)
    missing = outstanding(rules.waivers_needed, waived_by)
    if effective_at < earliest and missing:
        return (
            f"the notice period ({rules.notice}) lets the change take effect at "
            f"{earliest.isoformat()} at the earliest; earlier only when every party waives "
            f"the notice (still to waive: {', '.join(missing)})"
        )
    return None


def outstanding(required: Collection[str], given: Collection[str]) -> list[str]:
    """The parties of ``required`` that have not yet given theirs, in order."""
    return [party for party in required if party not in given]
