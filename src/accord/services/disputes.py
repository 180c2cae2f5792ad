"""Disputes (issue 12 §3): a party challenges a verdict or a credit within the agreement's
``raise_within``, with evidence (files stored with their SHA-256, links, incident references);
the agreement's dispute ladder runs as obligations — each step owed by the party answering
the dispute, due after the step's time limit — and a step that lapses escalates by itself to
the next at its due instant (``escalate_lapsed``, run by the worker after the obligations
check), up to mediation when declared. The outcome (upheld, rejected, adjusted with an amount)
of a credit dispute books the difference as a new ledger entry that names the dispute, and
the credit's ``disputed`` state is set when it is raised and cleared when it is decided; the
verdict is never edited (a verdict upheld as wrong is restated, ``accord.services.books``).
Both parties see the whole exchange; each act is an audit entry and a notification.

The rules are pure (``accord.core.disputes``); the decision reached at a step is recorded by
a company agreement manager, naming the step's decision authority.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

from accord.core.disputes import (
    DisputeOutcome,
    LadderStep,
    freeze_steps,
    owed_after,
    raise_deadline,
    step_due,
    steps_from_json,
    steps_to_json,
)
from accord.core.model import Agreement
from accord.core.obligations import Obligation
from accord.services.actors import shown_actor
from accord.services.adjustments import BookAdjustment, book_adjustment
from accord.services.dispute_data import DisputeComparison, check_data, compare, version_of
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.in_force import agreement_in_force
from accord.services.ledger import CreditState, Ledger
from accord.services.messages import Notice
from accord.services.notifications import contacts_of, enqueue
from accord.services.obligations import fulfil, record_obligation
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.renewals import party_of
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.governance_rows import DisputeEventRow, DisputeEvidenceRow, DisputeRow
from accord.store.tables import AgreementRow, CreditClaimRow

__all__ = [
    "DecideDispute",
    "DisputeEvent",
    "DisputeView",
    "Disputes",
    "EvidenceData",
    "EvidenceFile",
    "EvidenceItem",
    "RaiseDispute",
    "Submission",
    "evidence_path",
]

_MAX_TEXT: Final = 4000
_MAX_FILE: Final = 10 * 1024 * 1024
_OPEN: Final = "open"
_DECIDED: Final = "decided"
_SAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class EvidenceData:
    """A party's own measurements for one of the agreement's sources (a CSV, JSON-lines or
    Parquet file of rows under the source's column names), to be judged beside ours."""

    source: str
    file: EvidenceFile


@dataclass(frozen=True, kw_only=True)
class Submission:
    """What a party says and shows: text, files, its own data, links and incident
    references."""

    text: str
    files: tuple[EvidenceFile, ...] = ()
    links: tuple[str, ...] = ()
    incidents: tuple[int, ...] = ()
    data: tuple[EvidenceData, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RaiseDispute:
    agreement: str
    submission: Submission
    #: The verdict disputed (its id), or the credit: ``scheme`` and ``window``.
    verdict: int | None = None
    scheme: str | None = None
    window: str | None = None
    #: For a credit: the amount the raising party holds owed.
    amount: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class DecideDispute:
    agreement: str
    dispute: int
    outcome: DisputeOutcome
    reason: str
    #: For ``adjusted``: what the ledger owes for the credit.
    amount: Decimal | None = None


@dataclass(frozen=True)
class EvidenceItem:
    kind: str
    reference: str
    sha256: str | None
    size: int | None
    party: str
    added_by: str
    added_at: dt.datetime
    id: int = 0
    #: Data evidence: the source its rows stand for, and how many passed its checks.
    source: str | None = None
    rows_received: int | None = None
    rows_accepted: int | None = None
    rows_rejected: int | None = None
    #: When the retention purge removed the stored file (the record stays).
    purged_at: dt.datetime | None = None


@dataclass(frozen=True)
class DisputeEvent:
    kind: str
    party: str | None
    actor: str
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class DisputeView:
    id: int
    agreement: str
    subject: str
    verdict: int | None
    scheme: str | None
    window: str
    claim: str
    amount: Decimal | None
    currency: str | None
    party: str
    raised_by: str
    raised_at: dt.datetime
    state: str
    step: int
    step_name: str
    decided_by_authority: str
    #: When the current step lapses (``None``: no time limit, or decided).
    step_due_at: dt.datetime | None
    ladder: list[LadderStep]
    outcome: str | None
    outcome_amount: Decimal | None
    decided_by: str | None
    decided_at: dt.datetime | None
    events: list[DisputeEvent] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)


def _text(text: str, name: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise Invalid(f"{name}: must not be empty")
    if len(cleaned) > _MAX_TEXT:
        raise Invalid(f"{name}: more than {_MAX_TEXT} characters")
    return cleaned


def _amount(value: Decimal | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise Invalid(f"{name}: {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0 or abs(amount) >= Decimal(10) ** 15:
        raise Invalid(f"{name}: {value} is not an amount of money (zero or more)")
    return amount


def evidence_path(data_dir: Path, dispute: DisputeRow, stored_name: str) -> Path:
    """Where a dispute's evidence file is kept: named by its SHA-256 and its cleaned name."""
    return data_dir / "disputes" / str(dispute.agreement_id) / str(dispute.id) / stored_name


def _stored_name(upload: EvidenceFile) -> tuple[str, str]:
    """The file's cleaned name and its SHA-256 (hex)."""
    name = _SAFE_NAME.sub("_", upload.name).strip("._") or "evidence"
    return name, hashlib.sha256(upload.content).hexdigest()


def _duty_key(dispute: DisputeRow, step: int) -> str:
    return f"dispute:{dispute.id}:step:{step}"


def _respondent(agreement: Agreement, party: str) -> str:
    """Who answers a dispute raised by ``party``: the other of consumer and provider."""
    consumer, provider = agreement.consumer().id, agreement.provider().id
    return provider if party == consumer else consumer


class Disputes:
    """Use cases on disputes."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def raise_(self, principal: Principal, command: RaiseDispute) -> DisputeView:
        """Raise a dispute of a verdict or a credit, in time, with its evidence."""
        claim = _text(command.submission.text, "claim")
        asked = _amount(command.amount, "amount")
        with self._context.uow(principal, write=True) as uow:
            row, agreement = self._governed(uow, command.agreement)
            if agreement.disputes is None:
                raise Conflict(f"agreement {row.slug!r} declares no dispute procedure (disputes)")
            uow.serialise("ledger", row.id)
            party = party_of(uow, row, agreement)
            dispute = self._new(uow, row, agreement, command, party)
            dispute.claim, dispute.amount = claim, asked
            self._check_in_time(uow, row, agreement, dispute)
            uow.disputes.add(dispute)
            self._event(uow, dispute, "raised", claim)
            self._evidence(uow, row, dispute, command.submission, party)
            self._start_step(uow, row, dispute, 1, uow.now())
            if dispute.subject == "credit":
                self._mark_credit(uow, row, dispute, CreditState.DISPUTED, f"dispute {dispute.id}")
            uow.commit()
            dispute_id = dispute.id
        return self.show(principal, command.agreement, dispute_id)

    def respond(
        self, principal: Principal, slug: str, dispute_id: int, submission: Submission
    ) -> DisputeView:
        """Add a party's answer or further evidence to an open dispute."""
        text = _text(submission.text, "text")
        with self._context.uow(principal, write=True) as uow:
            row, agreement = self._governed(uow, slug)
            dispute = self._open(uow, row, dispute_id)
            party = party_of(uow, row, agreement)
            self._event(uow, dispute, "responded", text, party=party)
            self._evidence(uow, row, dispute, submission, party)
            uow.commit()
        return self.show(principal, slug, dispute_id)

    def escalate(
        self, principal: Principal, slug: str, dispute_id: int, reason: str
    ) -> DisputeView:
        """A party takes the dispute to the next step before the current one lapses."""
        text = _text(reason, "reason")
        with self._context.uow(principal, write=True) as uow:
            row, agreement = self._governed(uow, slug)
            dispute = self._open(uow, row, dispute_id)
            party = party_of(uow, row, agreement)
            self._next_step(uow, row, dispute, uow.now(), f"by {party}: {text}")
            uow.commit()
        return self.show(principal, slug, dispute_id)

    def decide(self, principal: Principal, command: DecideDispute) -> DisputeView:
        """Record the outcome reached at the current step; a credit's ledger follows it."""
        reason = _text(command.reason, "reason")
        decided = _amount(command.amount, "amount")
        with self._context.uow(principal, write=True) as uow:
            row, _ = self._governed(uow, command.agreement)
            principal.require(Permission.MANAGE_AGREEMENTS)
            uow.serialise("ledger", row.id)
            dispute = self._open(uow, row, command.dispute)
            self._check_outcome(dispute, command.outcome, decided)
            step = steps_from_json(dispute.ladder)[dispute.step - 1]
            dispute.state, dispute.outcome = _DECIDED, command.outcome.value
            dispute.outcome_amount = decided
            dispute.decided_by, dispute.decided_at = principal.name, uow.now()
            duty = uow.obligations.find_by_key(row.id, _duty_key(dispute, dispute.step))
            if duty is not None:
                fulfil(uow, duty)
            self._event(
                uow,
                dispute,
                "decided",
                f"{command.outcome.value} at step {step.number} ({step.name}, decided by "
                f"{step.decided_by}): {reason}",
            )
            if dispute.subject == "credit":
                self._settle_credit(uow, row, dispute, command.outcome, reason)
            uow.commit()
        return self.show(principal, command.agreement, command.dispute)

    def escalate_lapsed(self, principal: Principal) -> list[DisputeView]:
        """Escalate every open dispute whose current step lapsed, at the step's due instant
        (the worker calls this after the obligations check)."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        moved: list[tuple[str, int]] = []
        with self._context.uow(principal, write=True) as uow:
            now = uow.now()
            for dispute, slug in uow.disputes.matching(states=(_OPEN,)):
                row = uow.agreements.find(dispute.agreement_id)
                assert row is not None
                last = len(steps_from_json(dispute.ladder))
                while dispute.step < last:
                    duty = uow.obligations.find_by_key(row.id, _duty_key(dispute, dispute.step))
                    if duty is None or duty.done_at is not None or duty.due_at >= now:
                        break
                    step = steps_from_json(dispute.ladder)[dispute.step - 1]
                    self._next_step(uow, row, dispute, duty.due_at, f"step {step.name!r} lapsed")
                    moved.append((slug, dispute.id))
            uow.commit()
        return [self.show(principal, slug, dispute_id) for slug, dispute_id in moved]

    def list(self, principal: Principal, slug: str | None = None) -> list[DisputeView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            agreement_id = None if slug is None else get_agreement(uow, slug).id
            found = uow.disputes.matching(agreement_id=agreement_id)
            return [self._view(uow, dispute, found_slug) for dispute, found_slug in found]

    def compare(self, principal: Principal, slug: str, dispute_id: int) -> DisputeComparison:
        """The disputed window judged with our data and with each party's data evidence,
        side by side; nothing is recorded (``accord.services.dispute_data``)."""
        return compare(self._context, principal, slug, dispute_id)

    def show(self, principal: Principal, slug: str, dispute_id: int) -> DisputeView:
        """The dispute with its ladder, the whole exchange and the evidence."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            return self._view(uow, self._get(uow, row, dispute_id), row.slug)

    def _governed(self, uow: UnitOfWork, slug: str) -> tuple[AgreementRow, Agreement]:
        row = get_agreement(uow, slug)
        uow.principal.require(Permission.GOVERN)
        agreement = agreement_in_force(uow, row, uow.now())
        if agreement is None:
            raise Conflict(f"agreement {slug!r} has no version yet")
        return row, agreement

    def _get(self, uow: UnitOfWork, row: AgreementRow, dispute_id: int) -> DisputeRow:
        found = uow.disputes.find(row.id, dispute_id)
        if found is None:
            raise NotFound(f"agreement {row.slug!r} has no dispute {dispute_id}")
        return found

    def _open(self, uow: UnitOfWork, row: AgreementRow, dispute_id: int) -> DisputeRow:
        dispute = self._get(uow, row, dispute_id)
        if dispute.state != _OPEN:
            raise Conflict(f"dispute {dispute.id} is already {dispute.state}")
        return dispute

    def _new(
        self,
        uow: UnitOfWork,
        row: AgreementRow,
        agreement: Agreement,
        command: RaiseDispute,
        party: str,
    ) -> DisputeRow:
        credit = command.scheme is not None or command.window is not None
        if (command.verdict is None) == (not credit):
            raise Invalid("dispute a verdict (its id) or a credit (scheme and window)")
        common = {
            "agreement_id": row.id,
            "party": party,
            "raised_by": uow.principal.name,
            "raised_at": uow.now(),
            "ladder": steps_to_json(freeze_steps(agreement)),
            "step": 1,
            "state": _OPEN,
        }
        if command.verdict is not None:
            verdict = uow.verdicts.find(row.id, command.verdict)
            if verdict is None:
                raise NotFound(f"agreement {row.slug!r} has no verdict {command.verdict}")
            return DisputeRow(
                subject="verdict",
                verdict_id=verdict.id,
                window_label=verdict.window_label,
                **common,
            )
        if command.scheme is None or command.window is None:
            raise Invalid("a credit is named by its scheme and its window")
        line = Ledger.line_of(uow, row, command.scheme, command.window)
        return DisputeRow(
            subject="credit",
            scheme=line.scheme,
            window_label=line.window,
            currency=line.currency,
            **common,
        )

    def _check_in_time(
        self, uow: UnitOfWork, row: AgreementRow, agreement: Agreement, dispute: DisputeRow
    ) -> None:
        if dispute.verdict_id is not None:
            verdict = uow.verdicts.find(row.id, dispute.verdict_id)
            assert verdict is not None
            reported = verdict.recorded_at
        else:
            entries = [
                e.recorded_at
                for e in uow.credits.all(row.id)
                if (e.scheme, e.window_label) == (dispute.scheme, dispute.window_label)
            ]
            reported = max(entries)
        deadline = raise_deadline(reported, agreement)
        assert deadline is not None
        if uow.now() > deadline:
            assert agreement.disputes is not None
            raise Invalid(
                f"too late: a dispute is raised within {agreement.disputes.raise_within} of "
                f"the report ({reported.isoformat()}), by {deadline.isoformat()}"
            )

    def _check_outcome(
        self, dispute: DisputeRow, outcome: DisputeOutcome, decided: Decimal | None
    ) -> None:
        if outcome is DisputeOutcome.ADJUSTED:
            if dispute.subject != "credit":
                raise Invalid(
                    "a verdict dispute is upheld or rejected; an upheld one is corrected by a "
                    "restatement of its period"
                )
            if decided is None:
                raise Invalid("an adjusted outcome names the amount the ledger owes (amount)")
        elif decided is not None:
            raise Invalid(f"an amount goes with an adjusted outcome, not {outcome.value}")

    def _start_step(
        self, uow: UnitOfWork, row: AgreementRow, dispute: DisputeRow, number: int, at: dt.datetime
    ) -> None:
        steps = steps_from_json(dispute.ladder)
        dispute.step = number
        if number > len(steps):
            return
        step = steps[number - 1]
        agreement = agreement_in_force(uow, row, at)
        assert agreement is not None
        due = step_due(at, step, agreement.timezone)
        if due is None:
            return
        record_obligation(
            uow,
            row,
            Obligation(
                kind="dispute_step",
                key=_duty_key(dispute, number),
                party=_respondent(agreement, dispute.party),
                subject=f"dispute {dispute.id}, step {number}: {step.name} "
                f"(decided by {step.decided_by})",
                trigger_at=at,
                due_at=due,
                calendar="24x7",
            ),
        )

    def _next_step(
        self, uow: UnitOfWork, row: AgreementRow, dispute: DisputeRow, at: dt.datetime, why: str
    ) -> None:
        steps = steps_from_json(dispute.ladder)
        if dispute.step >= len(steps):
            raise Conflict(f"dispute {dispute.id} is at the last step of its ladder")
        duty = uow.obligations.find_by_key(row.id, _duty_key(dispute, dispute.step))
        if duty is not None and duty.due_at >= uow.now():
            fulfil(uow, duty)  # escalated in time: the step's duty is done
        following = steps[dispute.step]
        self._start_step(uow, row, dispute, dispute.step + 1, at)
        self._event(
            uow,
            dispute,
            "escalated",
            f"to step {following.number} ({following.name}, decided by {following.decided_by}) "
            f"at {at.isoformat()}: {why}",
            party=None,
        )

    def _mark_credit(
        self, uow: UnitOfWork, row: AgreementRow, dispute: DisputeRow, state: CreditState, note: str
    ) -> None:
        """Set or clear the ledger's ``disputed`` state of the credit (a new, sealed step)."""
        assert dispute.scheme is not None
        line = Ledger.line_of(uow, row, dispute.scheme, dispute.window_label)
        if line.state in (CreditState.SETTLED, CreditState.EXPIRED, CreditState.PROVISIONAL):
            return
        if state is CreditState.DISPUTED and line.state == CreditState.DISPUTED:
            return
        step = uow.books.add_claim(
            CreditClaimRow(
                agreement_id=row.id,
                scheme=line.scheme,
                window_label=line.window,
                state=state.value,
                amount=line.owed,
                currency=line.currency,
                reference=None,
                note=note,
                recorded_by=uow.principal.name,
                recorded_at=uow.now(),
            )
        )
        uow.seal(step, f"credit.{state.value}", agreement=row.slug, dispute=dispute.id)

    def _settle_credit(
        self,
        uow: UnitOfWork,
        row: AgreementRow,
        dispute: DisputeRow,
        outcome: DisputeOutcome,
        reason: str,
    ) -> None:
        assert dispute.scheme is not None
        line = Ledger.line_of(uow, row, dispute.scheme, dispute.window_label)
        target = owed_after(outcome, line.owed, dispute.amount, dispute.outcome_amount)
        if target != line.owed:
            book_adjustment(
                uow,
                row,
                BookAdjustment(
                    agreement=row.slug,
                    scheme=line.scheme,
                    window=line.window,
                    amount=target - line.owed,
                    currency=line.currency,
                    reason=f"dispute {dispute.id} {outcome.value}: {reason}",
                    link=f"dispute {dispute.id}",
                ),
            )
        if line.state == CreditState.DISPUTED:
            note = f"dispute {dispute.id} decided: {outcome.value}"
            self._mark_credit(uow, row, dispute, CreditState.ACCEPTED, note)

    def _evidence(
        self,
        uow: UnitOfWork,
        row: AgreementRow,
        dispute: DisputeRow,
        submission: Submission,
        party: str,
    ) -> None:
        items: list[tuple[str, str, str | None, int | None]] = []
        for link in submission.links:
            if not re.match(r"^https?://\S+$", link):
                raise Invalid(f"link {link!r}: give an http(s) address")
            items.append(("link", link, None, None))
        for incident_id in submission.incidents:
            incident = uow.incidents.find(incident_id)
            if incident is None or incident.agreement_id != row.id:
                raise Invalid(f"incident {incident_id}: no such incident of {row.slug!r}")
            items.append(("incident", str(incident_id), None, None))
        for upload in submission.files:
            items.append(self._store(row, dispute, upload))
        rows = [
            DisputeEvidenceRow(kind=kind, reference=reference, sha256=digest, size=size)
            for kind, reference, digest, size in items
        ]
        rows.extend(self._data(uow, row, dispute, item) for item in submission.data)
        for evidence in rows:
            evidence.dispute_id, evidence.agreement_id, evidence.party = dispute.id, row.id, party
            evidence.added_by, evidence.added_at = uow.principal.name, uow.now()
            uow.disputes.add_evidence(evidence)
            after: dict[str, str | None] = {"kind": evidence.kind}
            after["reference"], after["sha256"] = evidence.reference, evidence.sha256
            if evidence.source is not None:
                after["source"], after["checks"] = evidence.source, evidence.checks
            uow.audit("dispute.evidence", "dispute", dispute.id, after=after)

    def _data(
        self, uow: UnitOfWork, row: AgreementRow, dispute: DisputeRow, item: EvidenceData
    ) -> DisputeEvidenceRow:
        """Keep a party's data as evidence: the file as handed over, and its rows as the
        source's checks left them (never a measurement batch of the agreement)."""
        reference, digest = _stored_name(item.file)
        checked = check_data(
            self._context,
            agreement=version_of(uow, row, dispute),
            slug=row.slug,
            source_id=item.source,
            name=reference,
            content=item.file.content,
            folder=evidence_path(self._context.data_dir, dispute, f"{digest}-{reference}.checked"),
        )
        _, _, _, size = self._store(row, dispute, item.file)
        return DisputeEvidenceRow(
            kind="data",
            reference=reference,
            sha256=digest,
            size=size,
            source=checked.source,
            checks=checked.as_json(),
        )

    def _store(
        self, row: AgreementRow, dispute: DisputeRow, upload: EvidenceFile
    ) -> tuple[str, str, str | None, int | None]:
        """Keep a file under the data directory, named by its SHA-256."""
        if len(upload.content) > _MAX_FILE:
            raise Invalid(f"file {upload.name!r}: larger than {_MAX_FILE // (1024 * 1024)} MiB")
        name, digest = _stored_name(upload)
        target = evidence_path(self._context.data_dir, dispute, f"{digest}-{name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            temporary = target.with_suffix(target.suffix + ".part")
            temporary.write_bytes(upload.content)
            temporary.replace(target)
        return ("file", name, digest, len(upload.content))

    def _event(
        self, uow: UnitOfWork, dispute: DisputeRow, kind: str, text: str, *, party: str | None = ""
    ) -> None:
        row = uow.agreements.find(dispute.agreement_id)
        assert row is not None
        said_by = dispute.party if party == "" else party
        uow.disputes.add_event(
            DisputeEventRow(
                dispute_id=dispute.id,
                agreement_id=row.id,
                kind=kind,
                party=said_by,
                actor=uow.principal.name,
                at=uow.now(),
                text=text,
            )
        )
        uow.audit(
            f"dispute.{kind}",
            "dispute",
            dispute.id,
            after={"agreement": row.slug, "party": said_by, "step": dispute.step, "text": text},
        )
        agreement = agreement_in_force(uow, row, uow.now())
        assert agreement is not None
        notice = Notice(
            event="dispute",
            key=f"dispute:{dispute.id}:{kind}:{dispute.step}:{uow.now().isoformat()}",
            agreement=row.slug,
            title=f"dispute {dispute.id} {kind}: {text[:200]}",
            facts={"window": dispute.window_label, "step": str(dispute.step)},
        )
        emails = [e for p in agreement.parties for e in contacts_of(agreement, p.id)]
        enqueue(uow, row, agreement, notice, emails)

    def _view(self, uow: UnitOfWork, dispute: DisputeRow, slug: str) -> DisputeView:
        steps = steps_from_json(dispute.ladder)
        current = steps[dispute.step - 1]
        duty = uow.obligations.find_by_key(dispute.agreement_id, _duty_key(dispute, dispute.step))
        return DisputeView(
            id=dispute.id,
            agreement=slug,
            subject=dispute.subject,
            verdict=dispute.verdict_id,
            scheme=dispute.scheme,
            window=dispute.window_label,
            claim=dispute.claim,
            amount=dispute.amount,
            currency=dispute.currency,
            party=dispute.party,
            raised_by=shown_actor(uow, dispute.raised_by),
            raised_at=dispute.raised_at,
            state=dispute.state,
            step=dispute.step,
            step_name=current.name,
            decided_by_authority=current.decided_by,
            step_due_at=None if duty is None or dispute.state != _OPEN else duty.due_at,
            ladder=list(steps),
            outcome=dispute.outcome,
            outcome_amount=dispute.outcome_amount,
            decided_by=None if dispute.decided_by is None else shown_actor(uow, dispute.decided_by),
            decided_at=dispute.decided_at,
            events=[
                DisputeEvent(e.kind, e.party, shown_actor(uow, e.actor), e.at, e.text)
                for e in uow.disputes.events(dispute.id)
            ],
            evidence=[_evidence_item(uow, e) for e in uow.disputes.evidence(dispute.id)],
        )


def _evidence_item(uow: UnitOfWork, row: DisputeEvidenceRow) -> EvidenceItem:
    checks = json.loads(row.checks) if row.checks else {}
    return EvidenceItem(
        row.kind,
        row.reference,
        row.sha256,
        row.size,
        row.party,
        shown_actor(uow, row.added_by),
        row.added_at,
        id=row.id,
        source=row.source,
        rows_received=checks.get("received"),
        rows_accepted=checks.get("accepted"),
        rows_rejected=checks.get("rejected"),
        purged_at=row.purged_at,
    )
