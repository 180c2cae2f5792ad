"""Renewals and termination (issue 12 §2): decisions recorded with who and when, notice
recorded against the notice obligations it meets, and the term they leave.

A decision is about the term it takes effect at (``accord.core.renewals``). A ``terminate``
or ``renegotiate`` decision is notice: it meets the open ``termination_notice`` and
``renewal_notice`` obligations of that term (a manual ``renew`` meets ``renewal_notice``, the
request to renew). Once the last term has ended the agreement is no longer evaluated on
schedule (``accord.services.scheduling``), and everything about it stays readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from accord.core.model import Agreement
from accord.core.model.parties import RenewalMode
from accord.core.obligations import ObligationState
from accord.core.renewals import (
    Decision,
    DecisionKind,
    end_instant,
    initial_term_end,
    last_day,
    takes_effect_at,
)
from accord.services.actors import shown_actor
from accord.services.errors import Conflict, Forbidden, Invalid
from accord.services.in_force import agreement_in_force
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import AgreementRow, RenewalDecisionRow

__all__ = ["DecideRenewal", "DecisionView", "Renewals", "TermView", "ended_at", "party_of"]

_MAX_NOTE: Final = 2000


@dataclass(frozen=True, kw_only=True)
class DecideRenewal:
    agreement: str
    decision: DecisionKind
    note: str | None = None


@dataclass(frozen=True)
class DecisionView:
    id: int
    agreement: str
    decision: str
    #: The last day of the term the decision is about.
    term_end: dt.date
    party: str
    decided_by: str
    decided_at: dt.datetime
    note: str | None
    #: The notice obligations it met (their keys), in time.
    notices_met: list[str]


@dataclass(frozen=True)
class TermView:
    agreement: str
    effective: dt.date
    renewal: str
    initial_term_end: dt.date | None
    #: The last day of the agreement's last term; ``None`` while it renews indefinitely.
    last_day: dt.date | None
    #: The instant the last term is over (the local midnight after ``last_day``).
    ends_at: dt.datetime | None
    #: True once ``ends_at`` has passed: no longer evaluated on schedule, still readable.
    ended: bool
    decisions: list[DecisionView] = field(default_factory=list)


def _decision(row: RenewalDecisionRow) -> Decision:
    return Decision(DecisionKind(row.decision), row.term_end, row.decided_at)


def _view(uow: UnitOfWork, row: RenewalDecisionRow, slug: str) -> DecisionView:
    return DecisionView(
        id=row.id,
        agreement=slug,
        decision=row.decision,
        term_end=row.term_end,
        party=row.party,
        decided_by=shown_actor(uow, row.decided_by),
        decided_at=row.decided_at,
        note=row.note,
        notices_met=row.notices_met.split(),
    )


def ended_at(uow: UnitOfWork, row: AgreementRow, agreement: Agreement) -> dt.datetime | None:
    """When the agreement's last term is over, given the decisions recorded; ``None`` while
    it renews indefinitely."""
    decisions = [_decision(d) for d in uow.compliance.decisions(row.id)]
    last = last_day(agreement, decisions)
    return None if last is None else end_instant(agreement, last)


def party_of(uow: UnitOfWork, row: AgreementRow, agreement: Agreement) -> str:
    """The party the principal decides for: the consumer for the company, else the party its
    organisation is linked to."""
    principal = uow.principal
    if principal.company:
        return agreement.consumer().id
    linked = uow.agreements.parties(row.id)
    mine = [party for party, org in linked.items() if org == principal.organisation_id]
    if not mine:
        raise Forbidden(f"{principal.name} is not a party to {row.slug!r}")
    return sorted(mine)[0]


def _notice_keys(agreement: Agreement, kind: DecisionKind, term_end: dt.date) -> list[str]:
    automatic = agreement.term.renewal.mode is RenewalMode.AUTO
    kinds = {
        DecisionKind.TERMINATE: ["termination_notice", "renewal_notice"],
        DecisionKind.RENEGOTIATE: ["renewal_notice"],
        DecisionKind.RENEW: [] if automatic else ["renewal_notice"],
    }[kind]
    return [f"{name}:{term_end.isoformat()}" for name in kinds]


def _meet_notices(uow: UnitOfWork, agreement_id: int, keys: list[str], note: str) -> list[str]:
    """Meet each open notice obligation by its key whose due instant is still ahead."""
    met = []
    now = uow.now()
    for key in keys:
        duty = uow.obligations.find_by_key(agreement_id, key)
        if duty is None or duty.state != ObligationState.OPEN or duty.due_at < now:
            continue
        duty.state, duty.state_at, duty.state_by = (
            ObligationState.MET.value,
            now,
            uow.principal.name,
        )
        duty.reason = note
        uow.audit("obligation.met", "obligation", duty.id, after={"key": key, "by": note})
        met.append(key)
    return met


class Renewals:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def decide(self, principal: Principal, command: DecideRenewal) -> DecisionView:
        note = (command.note or "").strip() or None
        if note is not None and len(note) > _MAX_NOTE:
            raise Invalid(f"note: more than {_MAX_NOTE} characters")
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.GOVERN)
            uow.serialise("agreement", row.slug)
            now = uow.now()
            agreement = agreement_in_force(uow, row, now)
            if agreement is None:
                raise Conflict(f"agreement {row.slug!r} has no version yet")
            over = ended_at(uow, row, agreement)
            if over is not None and over <= now:
                raise Conflict(
                    f"agreement {row.slug!r} ended at {over.isoformat()}; "
                    "upload a new version with a new term instead"
                )
            term_end = takes_effect_at(agreement, command.decision, now)
            if term_end is None:
                raise Conflict(f"agreement {row.slug!r} has no term end to decide about")
            party = party_of(uow, row, agreement)
            keys = _notice_keys(agreement, command.decision, term_end)
            met = _meet_notices(uow, row.id, keys, f"{command.decision.value} by {party}")
            stored = uow.compliance.add_decision(
                RenewalDecisionRow(
                    agreement_id=row.id,
                    decision=command.decision.value,
                    term_end=term_end,
                    party=party,
                    decided_by=principal.name,
                    decided_at=now,
                    note=note,
                    notices_met=" ".join(met),
                )
            )
            view = _view(uow, stored, row.slug)
            uow.audit(
                f"renewal.{command.decision.value}",
                "agreement",
                row.slug,
                after={
                    "term_end": term_end.isoformat(),
                    "party": party,
                    "note": note,
                    "notices_met": met,
                },
            )
            uow.commit()
        return view

    def term(self, principal: Principal, slug: str) -> TermView:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            now = uow.now()
            agreement = agreement_in_force(uow, row, now)
            if agreement is None:
                raise Conflict(f"agreement {row.slug!r} has no version yet")
            rows = uow.compliance.decisions(row.id)
            last = last_day(agreement, [_decision(d) for d in rows])
            ends = None if last is None else end_instant(agreement, last)
            return TermView(
                agreement=row.slug,
                effective=agreement.term.effective,
                renewal=agreement.term.renewal.mode.value,
                initial_term_end=initial_term_end(agreement),
                last_day=last,
                ends_at=ends,
                ended=ends is not None and ends <= now,
                decisions=[_view(uow, d, row.slug) for d in rows],
            )
