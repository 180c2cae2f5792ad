"""The notices a security incident owes under the regimes its agreement names
(``incidents.regimes``; the regimes themselves are data: ``accord.core.model.regimes``).

Each notice is an obligation of kind ``breach_notice`` due ``within`` after its triggering
instant on the wall clock, capped by its ``not_later_than`` clock when it has one. A notice
whose trigger has not happened (an incident not classified as major) owes nothing yet; one
that runs after an earlier notice runs from when that notice was sent, or, while it is
unsent, from its due instant. Computed again whenever an instant becomes known, the open
obligations follow (``record_obligation`` moves an open one's due instant).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from accord.core.calendars.clock import BusinessCalendar
from accord.core.calendars.spec import ALWAYS
from accord.core.model import Agreement
from accord.core.model.regimes import NoticeRegime, NoticeStep, built_in_regimes
from accord.core.obligations.model import Obligation, due_at
from accord.core.units import Duration

__all__ = ["NoticeInstants", "notice_key", "notice_obligations", "regimes_of"]


@dataclass(frozen=True)
class NoticeInstants:
    """What is known of an incident's notice triggers."""

    #: When someone became aware of it (detected, else reported).
    aware_at: dt.datetime
    #: When it was classified as major (``None``: not, or not yet).
    classified_at: dt.datetime | None = None
    #: When each notice was sent, by ``"<regime>/<notice>"``.
    sent: Mapping[str, dt.datetime] = field(default_factory=dict)


def regimes_of(agreement: Agreement) -> list[NoticeRegime]:
    """The regimes the agreement names, each once, in its order."""
    policy = agreement.incidents
    if policy is None:
        return []
    known = {**built_in_regimes(), **{r.id: r for r in policy.notice_regimes}}
    return [known[regime_id] for regime_id in dict.fromkeys(policy.regimes) if regime_id in known]


def notice_key(incident_id: int, regime: str, notice: str) -> str:
    return f"incident:{incident_id}:breach_notice:{regime}:{notice}"


def _instant(
    after: str, instants: NoticeInstants, regime: str, due: Mapping[str, dt.datetime]
) -> dt.datetime | None:
    if after == "aware":
        return instants.aware_at
    if after == "classified":
        return instants.classified_at
    return instants.sent.get(f"{regime}/{after}", due.get(after))


def _allowed(agreement: Agreement, step: NoticeStep) -> Duration:
    if step.within is not None:
        return step.within
    assert agreement.incidents is not None  # regimes come from the incident policy
    return agreement.incidents.security_breach_notification


def notice_obligations(
    incident_id: int, agreement: Agreement, instants: NoticeInstants
) -> list[Obligation]:
    """Every notice whose trigger is known, with its due instant."""
    wall = BusinessCalendar.always()
    parties = {"provider": agreement.provider(), "consumer": agreement.consumer()}
    found = []
    for regime in regimes_of(agreement):
        due: dict[str, dt.datetime] = {}
        for step in regime.notices:
            start = _instant(step.after, instants, regime.id, due)
            if start is None:
                continue
            allowed = _allowed(agreement, step)
            deadline = due_at(start, allowed, wall)
            bound = step.not_later_than
            bound_start = None if bound is None else _instant(bound.after, instants, regime.id, due)
            if bound is not None and bound_start is not None:
                deadline = min(deadline, due_at(bound_start, bound.within, wall))
            due[step.id] = deadline
            recipient = (
                parties[step.recipient].name if step.recipient in parties else step.recipient
            )
            found.append(
                Obligation(
                    kind="breach_notice",
                    key=notice_key(incident_id, regime.id, step.id),
                    party=parties[step.owed_by].id,
                    subject=f"{step.name} ({regime.name}) on incident {incident_id} to "
                    f"{recipient}, within {allowed} after {step.after}"
                    + (
                        ""
                        if bound is None
                        else f", no later than {bound.within} after {bound.after}"
                    ),
                    trigger_at=start,
                    due_at=deadline,
                    calendar=ALWAYS,
                )
            )
    return found
