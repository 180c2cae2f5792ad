"""Amendments (issue 12 §1): a party proposes a new version of an agreement; every party sees
the semantic diff; the parties the agreement names approve (``accord.core.amendments``); the
notice period runs from the proposal unless every party waives it; and once the last approval
(or waiver) is in, the new version is stored taking effect at the amendment's instant, so the
version-in-force query (``accord.core.versions``) switches to it by itself then — no job has
to run. Rejections and withdrawals are recorded; a rollback is a new amendment whose text is
an earlier version's. Each act is an event of the amendment and an audit entry; the parties'
contacts are told of each.

One amendment is open per agreement at a time: each is proposed against the latest version,
and one approved under another's feet would have amended a text that is no longer current.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

from accord.core.amendments import (
    AmendmentState,
    ChangeRules,
    change_rules,
    earliest_effective,
    effective_problem,
    outstanding,
)
from accord.core.diff import diff_agreements
from accord.core.model import Agreement
from accord.services.actors import shown_actor
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.in_force import agreement_in_force
from accord.services.messages import Notice
from accord.services.notifications import contacts_of, enqueue
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import (
    NewVersion,
    add_version,
    get_agreement,
    get_version,
    loaded_text,
    parsed,
)
from accord.services.renewals import party_of
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.governance_rows import AmendmentEventRow, AmendmentRow
from accord.store.tables import AgreementRow

__all__ = [
    "AmendmentAct",
    "AmendmentEvent",
    "AmendmentView",
    "Amendments",
    "ProposeAmendment",
]

_MAX_TEXT: Final = 4000
_APPROVED: Final = "approved"
_WAIVED: Final = "waived"
#: Each act's kind (as recorded) and its verb (the use case's name).
_VERBS: Final = (
    (_APPROVED, "approve"),
    (_WAIVED, "waive"),
    (AmendmentState.REJECTED.value, "reject"),
    (AmendmentState.WITHDRAWN.value, "withdraw"),
)


@dataclass(frozen=True, kw_only=True)
class ProposeAmendment:
    agreement: str
    #: Why: shown to every party.
    summary: str
    #: The proposed agreement text (YAML); or ``rollback_to`` an earlier version's.
    text: str | None = None
    rollback_to: int | None = None
    #: One of the agreement's ``change_management.change_types``; ``None``: a general change.
    change_type: str | None = None
    #: When it takes effect; ``None``: the file's ``metadata.effective``, else the proposal
    #: plus the notice period.
    effective_at: dt.datetime | None = None
    #: The proposing party waives the notice period (every party must, for an earlier instant).
    waive_notice: bool = False


@dataclass(frozen=True, kw_only=True)
class AmendmentAct:
    """Approve, reject, waive the notice of, or withdraw an amendment."""

    agreement: str
    amendment: int
    note: str = ""


@dataclass(frozen=True)
class AmendmentEvent:
    kind: str
    party: str
    actor: str
    at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class AmendmentView:
    id: int
    agreement: str
    state: str
    summary: str
    change_type: str | None
    label: str
    base_version: int
    rollback_of: int | None
    party: str
    proposed_by: str
    proposed_at: dt.datetime
    effective_at: dt.datetime
    notice: str
    earliest_without_waiver: dt.datetime
    approvers: list[str]
    approved_by: list[str]
    awaiting_approval: list[str]
    #: Parties still to waive the notice; empty when the effective instant respects it.
    awaiting_waiver: list[str]
    version_number: int | None
    #: True once the approved version governs (its effective instant has come).
    in_force: bool
    events: list[AmendmentEvent]
    #: The semantic diff from the base version (``accord.diff/v1``).
    diff: dict[str, Any] = field(default_factory=dict)


def _note(text: str, name: str, *, required: bool) -> str:
    cleaned = text.strip()
    if required and not cleaned:
        raise Invalid(f"{name}: must not be empty")
    if len(cleaned) > _MAX_TEXT:
        raise Invalid(f"{name}: more than {_MAX_TEXT} characters")
    return cleaned


def _given(uow: UnitOfWork, amendment: AmendmentRow, kind: str) -> list[str]:
    return [e.party for e in uow.amendments.events(amendment.id) if e.kind == kind]


def _waivers_missing(rules: ChangeRules, amendment: AmendmentRow, waived: list[str]) -> list[str]:
    if amendment.effective_at >= earliest_effective(rules, amendment.proposed_at):
        return []
    return outstanding(rules.waivers_needed, waived)


class Amendments:
    """Use cases on amendments."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def propose(self, principal: Principal, command: ProposeAmendment) -> AmendmentView:
        summary = _note(command.summary, "summary", required=True)
        with self._context.uow(principal, write=True) as uow:
            row, current = self._governed(uow, command.agreement)
            uow.serialise("amendment", row.id)
            if uow.amendments.of(row.id, (AmendmentState.PROPOSED.value,)):
                raise Conflict(
                    f"agreement {row.slug!r} has an open amendment: it is approved, rejected or "
                    "withdrawn before the next is proposed"
                )
            base = get_version(uow, row, None)
            text = self._text(uow, row, command)
            proposed = loaded_text(text, "amendment")[0]
            self._check_text(row, base.version_hash, proposed)
            try:
                rules = change_rules(current, command.change_type)
            except KeyError as exc:
                raise Invalid(f"change_type: {exc.args[0]}") from None
            now = uow.now()
            effective = self._effective(command, proposed, rules, now)
            if effective < base.effective_at:
                raise Invalid(
                    f"version {base.number} takes effect at {base.effective_at.isoformat()}: an "
                    "amendment of it takes effect then or later"
                )
            # An earlier instant is proposed by waiving the notice; the others' waivers follow.
            assumed = rules.waivers_needed if command.waive_notice else ()
            problem = effective_problem(rules, now, effective, assumed)
            if problem is not None:
                raise Invalid(f"effective_at: {problem}")
            party = party_of(uow, row, current)
            amendment = uow.amendments.add(
                AmendmentRow(
                    agreement_id=row.id,
                    change_type=command.change_type,
                    summary=summary,
                    text=text,
                    version_hash=proposed.version_hash(),
                    label=proposed.metadata.version,
                    base_version=base.number,
                    rollback_of=command.rollback_to,
                    party=party,
                    proposed_by=principal.name,
                    proposed_at=now,
                    effective_at=effective,
                    at_earliest=command.effective_at is None and proposed.effective_at() is None,
                    state=AmendmentState.PROPOSED.value,
                )
            )
            self._event(uow, amendment, "proposed", party, summary)
            if party in rules.approvers:
                self._event(uow, amendment, _APPROVED, party, "as proposer")
            if command.waive_notice:
                self._event(uow, amendment, _WAIVED, party, "as proposer")
            self._settle(uow, row, amendment, rules)
            uow.commit()
            amendment_id = amendment.id
        return self.show(principal, command.agreement, amendment_id)

    def approve(self, principal: Principal, act: AmendmentAct) -> AmendmentView:
        """Record the caller's party's approval; the last one stores the new version."""
        return self._act(principal, act, _APPROVED)

    def waive(self, principal: Principal, act: AmendmentAct) -> AmendmentView:
        """Record that the caller's party waives the notice period."""
        return self._act(principal, act, _WAIVED)

    def reject(self, principal: Principal, act: AmendmentAct) -> AmendmentView:
        """A party whose approval is required rejects the amendment (with a reason)."""
        return self._act(principal, act, AmendmentState.REJECTED.value)

    def withdraw(self, principal: Principal, act: AmendmentAct) -> AmendmentView:
        """The proposing party withdraws its amendment."""
        return self._act(principal, act, AmendmentState.WITHDRAWN.value)

    def list(self, principal: Principal, slug: str) -> list[AmendmentView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            return [self._view(uow, row, a, diff=False) for a in uow.amendments.of(row.id)]

    def show(self, principal: Principal, slug: str, amendment_id: int) -> AmendmentView:
        """The amendment with its semantic diff, approvals, waivers and events."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            return self._view(uow, row, self._get(uow, row, amendment_id), diff=True)

    def permitted(self, principal: Principal, slug: str, amendment_id: int) -> frozenset[str]:
        """The acts (approve, waive, reject, withdraw) the caller's party may take on the
        amendment now, by the same rules the acts check: for pages that offer only those."""
        principal.require(Permission.READ)
        if not principal.can(Permission.GOVERN):
            return frozenset()
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            amendment = self._get(uow, row, amendment_id)
            current = agreement_in_force(uow, row, uow.now())
            if amendment.state != AmendmentState.PROPOSED or current is None:
                return frozenset()
            try:
                party = party_of(uow, row, current)
            except Forbidden:
                return frozenset()
            rules = self._rules(uow, row, amendment)
            verbs = {v for kind, v in _VERBS if self._allowed(uow, amendment, rules, party, kind)}
            if not _waivers_missing(rules, amendment, _given(uow, amendment, _WAIVED)):
                verbs.discard("waive")  # the effective instant respects the notice already
            return frozenset(verbs)

    def _allowed(
        self, uow: UnitOfWork, amendment: AmendmentRow, rules: ChangeRules, party: str, kind: str
    ) -> bool:
        try:
            self._may(uow, amendment, rules, party, kind)
        except Conflict:
            return False
        return True

    def _governed(self, uow: UnitOfWork, slug: str) -> tuple[AgreementRow, Agreement]:
        row = get_agreement(uow, slug)
        uow.principal.require(Permission.GOVERN)
        agreement = agreement_in_force(uow, row, uow.now())
        if agreement is None:
            raise Conflict(f"agreement {slug!r} has no version yet")
        return row, agreement

    def _get(self, uow: UnitOfWork, row: AgreementRow, amendment_id: int) -> AmendmentRow:
        found = uow.amendments.find(row.id, amendment_id)
        if found is None:
            raise NotFound(f"agreement {row.slug!r} has no amendment {amendment_id}")
        return found

    def _text(self, uow: UnitOfWork, row: AgreementRow, command: ProposeAmendment) -> str:
        if (command.text is None) == (command.rollback_to is None):
            raise Invalid("give the proposed text, or rollback_to an earlier version's number")
        if command.rollback_to is not None:
            return get_version(uow, row, command.rollback_to).text
        assert command.text is not None
        return command.text

    def _check_text(self, row: AgreementRow, base_hash: str, proposed: Agreement) -> None:
        if proposed.metadata.id != row.slug:
            raise Invalid(
                f"metadata.id: the text is of agreement {proposed.metadata.id!r}, not {row.slug!r}"
            )
        if proposed.version_hash() == base_hash:
            raise Invalid("the text means the same as the latest version: nothing to amend")

    def _effective(
        self,
        command: ProposeAmendment,
        proposed: Agreement,
        rules: ChangeRules,
        now: dt.datetime,
    ) -> dt.datetime:
        declared = proposed.effective_at()
        asked = command.effective_at
        if asked is not None and asked.tzinfo is None:
            raise Invalid("effective_at must carry a time zone")
        if asked is not None and declared is not None and asked != declared:
            raise Invalid(
                f"the text takes effect at {declared.isoformat()} (metadata.effective), the "
                f"amendment says {asked.isoformat()}: give one of them"
            )
        chosen = asked or declared
        return earliest_effective(rules, now) if chosen is None else chosen.astimezone(dt.UTC)

    def _act(self, principal: Principal, act: AmendmentAct, kind: str) -> AmendmentView:
        note = _note(act.note, "note", required=kind == AmendmentState.REJECTED.value)
        with self._context.uow(principal, write=True) as uow:
            row, current = self._governed(uow, act.agreement)
            uow.serialise("amendment", row.id)
            amendment = self._get(uow, row, act.amendment)
            if amendment.state != AmendmentState.PROPOSED:
                raise Conflict(f"amendment {amendment.id} is already {amendment.state}")
            party = party_of(uow, row, current)
            rules = self._rules(uow, row, amendment)
            self._may(uow, amendment, rules, party, kind)
            self._event(uow, amendment, kind, party, note or None)
            if kind in (AmendmentState.REJECTED.value, AmendmentState.WITHDRAWN.value):
                amendment.state, amendment.decided_at = kind, uow.now()
                uow.audit(f"amendment.{kind}", "amendment", amendment.id, after={"note": note})
            else:
                self._settle(uow, row, amendment, rules)
            uow.commit()
        return self.show(principal, act.agreement, act.amendment)

    def _rules(self, uow: UnitOfWork, row: AgreementRow, amendment: AmendmentRow) -> ChangeRules:
        """The rules of the agreement in force when the amendment was proposed."""
        agreement = agreement_in_force(uow, row, amendment.proposed_at)
        assert agreement is not None
        return change_rules(agreement, amendment.change_type)

    def _may(
        self, uow: UnitOfWork, amendment: AmendmentRow, rules: ChangeRules, party: str, kind: str
    ) -> None:
        if kind == AmendmentState.WITHDRAWN.value:
            if party != amendment.party:
                raise Conflict(f"only {amendment.party}, who proposed it, withdraws it")
            return
        allowed = rules.waivers_needed if kind == _WAIVED else rules.approvers
        if party not in allowed:
            what = "waive its notice" if kind == _WAIVED else "approve or reject it"
            raise Conflict(f"{party} does not {what}: {', '.join(allowed)} do")
        if kind in (_APPROVED, _WAIVED) and party in _given(uow, amendment, kind):
            raise Conflict(f"{party} has already {kind} amendment {amendment.id}")

    def _settle(
        self, uow: UnitOfWork, row: AgreementRow, amendment: AmendmentRow, rules: ChangeRules
    ) -> None:
        """Store the new version once every approval and every needed waiver is in."""
        if outstanding(rules.approvers, _given(uow, amendment, _APPROVED)):
            return
        if _waivers_missing(rules, amendment, _given(uow, amendment, _WAIVED)):
            return
        now = uow.now()
        if amendment.at_earliest and amendment.effective_at < now:
            amendment.effective_at = now  # as soon as allowed: the last approval is now
            problem = effective_problem(rules, amendment.proposed_at, now, rules.waivers_needed)
            if problem is not None:
                raise Conflict(f"amendment {amendment.id} cannot take effect now: {problem}")
        if amendment.effective_at < now:
            raise Conflict(
                f"amendment {amendment.id} was to take effect at "
                f"{amendment.effective_at.isoformat()}, which has passed: withdraw it and "
                "propose it again with a later instant"
            )
        latest = get_version(uow, row, None)
        if latest.number != amendment.base_version:
            raise Conflict(
                f"amendment {amendment.id} changes version {amendment.base_version}, but "
                f"version {latest.number} was stored since: withdraw it and propose again"
            )
        agreement = loaded_text(amendment.text, "amendment")[0]
        new = NewVersion(
            agreement=agreement,
            text=amendment.text,
            effective_at=amendment.effective_at,
            action="agreement_version.amended",
        )
        version = add_version(uow, row, new)
        amendment.state, amendment.decided_at = AmendmentState.APPROVED.value, now
        amendment.version_number = version.number
        uow.audit(
            "amendment.approved",
            "amendment",
            amendment.id,
            after={"version": version.number, "effective_at": amendment.effective_at.isoformat()},
        )

    def _event(
        self, uow: UnitOfWork, amendment: AmendmentRow, kind: str, party: str, note: str | None
    ) -> None:
        row = uow.agreements.find(amendment.agreement_id)
        assert row is not None
        uow.amendments.add_event(
            AmendmentEventRow(
                amendment_id=amendment.id,
                agreement_id=row.id,
                kind=kind,
                party=party,
                actor=uow.principal.name,
                at=uow.now(),
                note=note,
            )
        )
        uow.audit(
            f"amendment.{kind}" if kind != AmendmentState.APPROVED.value else "amendment.approval",
            "amendment",
            amendment.id,
            after={"agreement": row.slug, "party": party, "note": note},
        )
        agreement = agreement_in_force(uow, row, uow.now())
        assert agreement is not None
        notice = Notice(
            event="amendment",
            key=f"amendment:{amendment.id}:{kind}:{party}",
            agreement=row.slug,
            title=f"amendment {amendment.id} {kind} by {party}: {amendment.summary[:200]}",
            facts={
                "takes effect": amendment.effective_at.isoformat(),
                "version": amendment.label,
            },
        )
        emails = [
            e for p in agreement.parties if p.id != party for e in contacts_of(agreement, p.id)
        ]
        enqueue(uow, row, agreement, notice, emails)

    def _view(
        self, uow: UnitOfWork, row: AgreementRow, amendment: AmendmentRow, *, diff: bool
    ) -> AmendmentView:
        rules = self._rules(uow, row, amendment)
        events = uow.amendments.events(amendment.id)
        approved = [e.party for e in events if e.kind == _APPROVED]
        proposed = AmendmentState(amendment.state) is AmendmentState.PROPOSED
        base = get_version(uow, row, amendment.base_version)
        return AmendmentView(
            id=amendment.id,
            agreement=row.slug,
            state=amendment.state,
            summary=amendment.summary,
            change_type=amendment.change_type,
            label=amendment.label,
            base_version=amendment.base_version,
            rollback_of=amendment.rollback_of,
            party=amendment.party,
            proposed_by=shown_actor(uow, amendment.proposed_by),
            proposed_at=amendment.proposed_at,
            effective_at=amendment.effective_at,
            notice=str(rules.notice),
            earliest_without_waiver=earliest_effective(rules, amendment.proposed_at),
            approvers=list(rules.approvers),
            approved_by=approved,
            awaiting_approval=outstanding(rules.approvers, approved) if proposed else [],
            awaiting_waiver=_waivers_missing(
                rules, amendment, [e.party for e in events if e.kind == _WAIVED]
            )
            if proposed
            else [],
            version_number=amendment.version_number,
            in_force=amendment.version_number is not None and amendment.effective_at <= uow.now(),
            events=[
                AmendmentEvent(e.kind, e.party, shown_actor(uow, e.actor), e.at, e.note)
                for e in events
            ],
            diff=dict(
                diff_agreements(parsed(base), loaded_text(amendment.text, "amendment")[0]).to_json()
            )
            if diff
            else {},
        )
