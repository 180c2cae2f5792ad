"""Governance reviews (issue 12 §4): the review pack of an agreement for a period — its
verdicts and credits (the period report's), the compliance findings, the term with its
renewal decisions, the open obligations, and the qualitative commitments to rate — as values
that ``accord.reports.review`` renders in the rendered agreement's look; and what the review
records: each party's rating of each commitment (1–5, with a comment) and the decisions with
their owner and due date, a decision with a due date becoming a ``review_action`` obligation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.compliance.certifications import EXPIRY_WARNING
from accord.core.model import Agreement
from accord.core.obligations import Obligation, ObligationState
from accord.core.period_report import AgreementResults
from accord.core.renewals import initial_term_end
from accord.core.review_pack import (
    CommitmentToRate,
    DecisionLine,
    DutyLine,
    RatingLine,
    ReviewPack,
    TermFacts,
)
from accord.services.actors import shown_actor
from accord.services.compliance import processor_findings
from accord.services.errors import Conflict, Invalid
from accord.services.in_force import agreement_in_force
from accord.services.obligations import ObligationView, fulfil, record_obligation, view_of
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.renewals import Renewals, party_of
from accord.services.reports import ReportQuery, Reports, period_labels
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import ObligationFilter
from accord.store.tables import AgreementRow, ReviewEntryRow

__all__ = [
    "MinutesLine",
    "RateCommitment",
    "RecordDecision",
    "RecordMinutes",
    "ReviewRecord",
    "Reviews",
    "ScheduledReview",
]

_MAX_TEXT: Final = 4000
#: The key of a scheduled governance review's obligation, before its period.
_REVIEW: Final = "governance_review:"


@dataclass(frozen=True, kw_only=True)
class RateCommitment:
    agreement: str
    period: str
    commitment: str
    #: 1 (not met) … 5 (exemplary).
    rating: int
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class RecordDecision:
    agreement: str
    period: str
    text: str
    #: The party (its id in the agreement) that carries it out.
    owner: str | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class RecordMinutes:
    agreement: str
    period: str
    #: What the meeting covered and concluded; recording them says the review was held.
    text: str


@dataclass(frozen=True)
class ScheduledReview:
    """A governance review scheduled from the cadence: the period whose pack it reviews, and
    its obligation (owed by the consumer, who convenes it)."""

    period: str
    obligation: ObligationView


@dataclass(frozen=True)
class MinutesLine:
    text: str
    party: str
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class ReviewRecord:
    agreement: str
    period: str
    ratings: list[RatingLine]
    decisions: list[DecisionLine]
    minutes: list[MinutesLine] = field(default_factory=list)


def _record(
    uow: UnitOfWork, rows: list[ReviewEntryRow]
) -> tuple[list[RatingLine], list[DecisionLine]]:
    ratings = [
        RatingLine(
            r.commitment or "", r.party, r.rating or 0, r.text, shown_actor(uow, r.recorded_by)
        )
        for r in rows
        if r.kind == "rating"
    ]
    decisions = [
        DecisionLine(r.text, r.owner, r.due_on, shown_actor(uow, r.recorded_by))
        for r in rows
        if r.kind == "decision"
    ]
    return ratings, decisions


def _text(text: str, name: str, *, required: bool) -> str:
    cleaned = text.strip()
    if required and not cleaned:
        raise Invalid(f"{name}: must not be empty")
    if len(cleaned) > _MAX_TEXT:
        raise Invalid(f"{name}: more than {_MAX_TEXT} characters")
    return cleaned


def _party_names(agreement: Agreement, ids: list[str]) -> tuple[str, ...]:
    names = {party.id: party.name for party in agreement.parties}
    return tuple(names.get(party, party) for party in ids)


def _duties(uow: UnitOfWork, row: AgreementRow) -> tuple[DutyLine, ...]:
    open_ones = uow.obligations.matching(
        ObligationFilter(agreement_id=row.id, states=(ObligationState.OPEN.value,))
    )
    return tuple(
        DutyLine(duty.due_at, duty.kind, duty.party, duty.subject, duty.state)
        for duty, _ in sorted(open_ones, key=lambda item: item[0].due_at)
    )


def _commitments(agreement: Agreement) -> tuple[CommitmentToRate, ...]:
    names = {party.id: party.name for party in agreement.parties}
    return tuple(
        CommitmentToRate(c.id, names.get(c.party, c.party), c.behaviour, c.evidence)
        for c in agreement.commitments
    )


class Reviews:
    def __init__(self, context: ServiceContext, reports: Reports, renewals: Renewals) -> None:
        self._context = context
        self._reports = reports
        self._renewals = renewals

    def pack(self, principal: Principal, slug: str, period: str) -> ReviewPack:
        """The review pack of ``slug`` for a month (2026-10) or quarter (2026-Q4)."""
        principal.require(Permission.READ)
        now = self._context.clock.now()
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            agreement = agreement_in_force(uow, row, now)
            if agreement is None:
                raise Conflict(f"agreement {slug!r} has no version yet")
            day = now.astimezone(ZoneInfo(agreement.timezone)).date()
            _, _, findings = processor_findings(uow, row.id, agreement, day, EXPIRY_WARNING)
            duties = _duties(uow, row)
            ratings, decisions = _record(uow, list(uow.compliance.review_entries(row.id, period)))
        _, previous = period_labels(period)
        content = self._reports.content(principal, ReportQuery(period=period))
        results = next((item for item in content.agreements if item.id == slug), None)
        term = self._renewals.term(principal, slug)
        governance = agreement.governance
        return ReviewPack(
            agreement=slug,
            title=agreement.metadata.title,
            version=agreement.metadata.version,
            period=period,
            previous_period=previous,
            cadence=None if governance is None else governance.review_cadence,
            participants=_party_names(agreement, governance.participants if governance else []),
            results=results or AgreementResults(slug, agreement.metadata.title, []),
            findings=tuple(findings),
            term=TermFacts(
                effective=agreement.term.effective,
                renewal=agreement.term.renewal.mode.value,
                initial_term_end=initial_term_end(agreement),
                last_day=term.last_day,
                decisions=tuple(
                    f"{d.decided_at:%Y-%m-%d} {d.decision} by {d.party} (term ending {d.term_end})"
                    for d in term.decisions
                ),
            ),
            obligations=duties,
            commitments=_commitments(agreement),
            generated_at=now,
            ratings=tuple(ratings),
            decisions=tuple(decisions),
        )

    def record(self, principal: Principal, slug: str, period: str) -> ReviewRecord:
        """The ratings and decisions recorded for a period."""
        principal.require(Permission.READ)
        period_labels(period)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            entries = list(uow.compliance.review_entries(row.id, period))
            ratings, decisions = _record(uow, entries)
            minutes = [
                MinutesLine(e.text, e.party, shown_actor(uow, e.recorded_by), e.recorded_at)
                for e in entries
                if e.kind == "minutes"
            ]
        return ReviewRecord(slug, period, ratings, decisions, minutes)

    def schedule(self, principal: Principal, slug: str) -> list[ScheduledReview]:
        """The agreement's governance reviews as scheduled from its cadence, earliest first."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            where = ObligationFilter(agreement_id=row.id, kinds=("governance_review",))
            return [
                ScheduledReview(duty.key.removeprefix(_REVIEW), view_of(duty, found))
                for duty, found in uow.obligations.matching(where)
            ]

    def minutes(self, principal: Principal, command: RecordMinutes) -> ReviewRecord:
        """Record the minutes of the period's review: it was held (its obligation is met,
        or stays missed when held late). Decisions are recorded one by one (``decide``)."""
        text = _text(command.text, "text", required=True)
        period_labels(command.period)
        with self._context.uow(principal, write=True) as uow:
            row, agreement = self._governed(uow, command.agreement)
            party = party_of(uow, row, agreement)
            self._add(uow, row, command.period, kind="minutes", party=party, text=text)
            held = uow.obligations.find_by_key(row.id, f"{_REVIEW}{command.period}")
            if held is not None and held.done_at is None and held.state != "waived":
                fulfil(uow, held)
            uow.commit()
        return self.record(principal, command.agreement, command.period)

    def rate(self, principal: Principal, command: RateCommitment) -> ReviewRecord:
        """Record the principal's party's rating of a commitment for the period."""
        if not 1 <= command.rating <= 5:
            raise Invalid(f"rating: {command.rating} is not from 1 (not met) to 5 (exemplary)")
        comment = _text(command.comment, "comment", required=False)
        period_labels(command.period)
        with self._context.uow(principal, write=True) as uow:
            row, agreement = self._governed(uow, command.agreement)
            known = [c.id for c in agreement.commitments]
            if command.commitment not in known:
                raise Invalid(
                    f"commitment: no {command.commitment!r} in the agreement; "
                    f"its commitments are {', '.join(known) or 'none'}"
                )
            party = party_of(uow, row, agreement)
            self._add(
                uow,
                row,
                command.period,
                kind="rating",
                party=party,
                text=comment,
                commitment=command.commitment,
                rating=command.rating,
            )
            uow.commit()
        return self.record(principal, command.agreement, command.period)

    def decide(self, principal: Principal, command: RecordDecision) -> ReviewRecord:
        """Record a decision of the review; with a due date it is an obligation of its owner."""
        text = _text(command.text, "text", required=True)
        period_labels(command.period)
        with self._context.uow(principal, write=True) as uow:
            row, agreement = self._governed(uow, command.agreement)
            parties = [p.id for p in agreement.parties]
            if command.owner is not None and command.owner not in parties:
                raise Invalid(f"owner: no party {command.owner!r}; parties: {', '.join(parties)}")
            party = party_of(uow, row, agreement)
            entry = self._add(
                uow,
                row,
                command.period,
                kind="decision",
                party=party,
                text=text,
                owner=command.owner,
                due_on=command.due_on,
            )
            if command.due_on is not None:
                zone = ZoneInfo(agreement.timezone)
                due = dt.datetime.combine(command.due_on + dt.timedelta(days=1), dt.time(), zone)
                record_obligation(
                    uow,
                    row,
                    Obligation(
                        kind="review_action",
                        key=f"review_action:{command.period}:{entry.id}",
                        party=command.owner or party,
                        subject=f"{command.period} review: {text[:200]}",
                        trigger_at=uow.now(),
                        due_at=due.astimezone(dt.UTC),
                        calendar="24x7",
                    ),
                )
            uow.commit()
        return self.record(principal, command.agreement, command.period)

    def _governed(self, uow: UnitOfWork, slug: str) -> tuple[AgreementRow, Agreement]:
        row = get_agreement(uow, slug)
        uow.principal.require(Permission.GOVERN)
        agreement = agreement_in_force(uow, row, uow.now())
        if agreement is None:
            raise Conflict(f"agreement {slug!r} has no version yet")
        return row, agreement

    def _add(
        self, uow: UnitOfWork, row: AgreementRow, period: str, **fields: object
    ) -> ReviewEntryRow:
        entry = uow.compliance.add_review_entry(
            ReviewEntryRow(
                agreement_id=row.id,
                period=period,
                recorded_by=uow.principal.name,
                recorded_at=uow.now(),
                **fields,
            )
        )
        after = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()}
        uow.audit(
            f"review.{fields['kind']}", "agreement", row.slug, after={"period": period, **after}
        )
        return entry
