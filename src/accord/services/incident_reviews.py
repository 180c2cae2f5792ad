"""Post-incident reviews and preventive actions.

A review belongs to one incident. Either side with the incidents permission writes it (the
provider usually drafts it; the consumer adds to it) and files it; both sides comment. Each
edit, filing and comment is an entry of the incident's timeline, so also of the audit trail.
Filing meets the ``review`` obligation the resolution started when the severity requires a
review (``accord.core.obligations.review_obligation``).

Each preventive action has an owner, the party that owes it, a due date and a state (open,
done, cancelled); its duty is an ``action`` obligation of the incident, so an overdue one
lapses at the end of its due date and climbs the incident's frozen escalation ladder like
any other incident duty (``services.escalation``) until it is done.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Final

from accord.core.obligations import (
    DutyRate,
    action_due_at,
    action_obligation,
    duty_rates,
)
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.escalation import timeline
from accord.services.incidents import (
    IncidentView,
    TimelineEntry,
    get_incident,
    incident_view,
    incident_writing,
    stand_down,
    tell,
)
from accord.services.obligations import ObligationView, fulfil, record_obligation, view_of
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.incident_rows import IncidentRow
from accord.store.repositories import ObligationFilter
from accord.store.review_rows import IncidentReviewRow, PreventiveActionRow
from accord.store.tables import AgreementRow

__all__ = [
    "ActionView",
    "IncidentReviews",
    "NewAction",
    "ReviewDetail",
    "ReviewDraft",
    "ReviewView",
]

#: What a review must say before it can be filed.
_REQUIRED: Final = ("summary", "root_cause")
_TEXTS: Final = ("summary", "root_cause", "went_well", "went_wrong")


@dataclass(frozen=True, kw_only=True)
class ReviewDraft:
    """What to write into a review; ``None`` leaves a part as it is."""

    summary: str | None = None
    #: Customer impact in numbers, e.g. {"customers affected": 1200, "payments failed": 3400}.
    customer_impact: dict[str, int | float] | None = None
    root_cause: str | None = None
    contributing_factors: list[str] | None = None
    went_well: str | None = None
    went_wrong: str | None = None


@dataclass(frozen=True, kw_only=True)
class NewAction:
    title: str
    owner: str
    due_on: dt.date
    #: The party that owes it (its id in the agreement); ``None``: the provider.
    party: str | None = None


@dataclass(frozen=True)
class ReviewView:
    state: str
    summary: str
    customer_impact: dict[str, int | float]
    root_cause: str
    contributing_factors: list[str]
    went_well: str
    went_wrong: str
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    filed_at: dt.datetime | None
    filed_by: str | None


@dataclass(frozen=True)
class ActionView:
    id: int
    incident: int
    agreement: str
    title: str
    owner: str
    party: str
    due_on: dt.date
    #: The end of the due date in the agreement's time zone (its obligation's due instant).
    due_at: dt.datetime | None
    state: str
    created_at: dt.datetime
    created_by: str
    state_at: dt.datetime | None
    state_by: str | None
    note: str | None
    #: The action's obligation: open, met, missed (overdue) or waived (cancelled).
    obligation: ObligationView | None = None


@dataclass(frozen=True)
class ReviewDetail:
    incident: IncidentView
    #: ``None`` until someone writes it.
    review: ReviewView | None
    #: The review obligation (``None``: this severity needs no review, or not resolved yet).
    obligation: ObligationView | None
    #: The incident's timeline, including the review's edits and comments.
    timeline: list[TimelineEntry] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)


def _review_view(row: IncidentReviewRow) -> ReviewView:
    return ReviewView(
        state=row.state,
        summary=row.summary,
        customer_impact=json.loads(row.customer_impact),
        root_cause=row.root_cause,
        contributing_factors=json.loads(row.contributing_factors),
        went_well=row.went_well,
        went_wrong=row.went_wrong,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        filed_at=row.filed_at,
        filed_by=row.filed_by,
    )


def _action_view(row: PreventiveActionRow, slug: str, uow: UnitOfWork) -> ActionView:
    duty = uow.obligations.find_by_key(row.agreement_id, _action_key(row))
    return ActionView(
        id=row.id,
        incident=row.incident_id,
        agreement=slug,
        title=row.title,
        owner=row.owner,
        party=row.party,
        due_on=row.due_on,
        due_at=None if duty is None else duty.due_at,
        state=row.state,
        created_at=row.created_at,
        created_by=row.created_by,
        state_at=row.state_at,
        state_by=row.state_by,
        note=row.note,
        obligation=None if duty is None else view_of(duty, slug),
    )


def _action_key(row: PreventiveActionRow) -> str:
    return f"incident:{row.incident_id}:action:{row.id}"


def _checked_impact(impact: dict[str, int | float]) -> dict[str, int | float]:
    for name, value in impact.items():
        if not name.strip() or len(name) > 100:
            raise Invalid("customer_impact: each measure needs a name of at most 100 characters")
        if isinstance(value, bool) or not math.isfinite(value) or value < 0:
            raise Invalid(f"customer_impact: {name!r} must be a number of zero or more")
    return {name.strip(): value for name, value in impact.items()}


def _apply(review: IncidentReviewRow, draft: ReviewDraft) -> list[str]:
    """Write the draft's parts into the review; the names of the parts that changed."""
    changed = []
    for name in _TEXTS:
        value = getattr(draft, name)
        if value is not None and value.strip() != getattr(review, name):
            setattr(review, name, value.strip())
            changed.append(name)
    if draft.customer_impact is not None:
        text = json.dumps(_checked_impact(draft.customer_impact), sort_keys=True)
        if text != review.customer_impact:
            review.customer_impact = text
            changed.append("customer_impact")
    if draft.contributing_factors is not None:
        factors = [item.strip() for item in draft.contributing_factors if item.strip()]
        if json.dumps(factors) != review.contributing_factors:
            review.contributing_factors = json.dumps(factors)
            changed.append("contributing_factors")
    return changed


class IncidentReviews:
    """Use cases on post-incident reviews and preventive actions."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def get(self, principal: Principal, incident_id: int) -> ReviewDetail:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            incident, row = get_incident(uow, incident_id)
            return self._detail(uow, incident, row)

    def write(self, principal: Principal, incident_id: int, draft: ReviewDraft) -> ReviewDetail:
        """Write parts of the review (starting it if there is none); each edit is in the
        timeline with the parts it changed. A filed review is a record both sides (and an
        auditor) rely on as filed: it is not rewritten; what comes later is a comment."""
        with incident_writing(self._context, principal, lambda _uow: incident_id) as (
            uow,
            incident,
            row,
            _agreement,
        ):
            review = uow.incidents.find_review(incident.id)
            if review is None:
                review = self._start(uow, incident)
            if review.state == "filed":
                filed_at = review.filed_at.isoformat() if review.filed_at else "?"
                raise Conflict(
                    f"the review of incident {incident_id} was filed at {filed_at} by "
                    f"{review.filed_by}; a filed review is not rewritten: add what you "
                    "learnt since as a comment on the review"
                )
            changed = _apply(review, draft)
            if changed:
                review.updated_at, review.updated_by = uow.now(), principal.name
                timeline(
                    uow,
                    incident,
                    "review_edited",
                    f"review: {', '.join(name.replace('_', ' ') for name in changed)} "
                    f"written by {principal.name}",
                    parts=changed,
                    state=review.state,
                )
            uow.commit()
            return self._detail(uow, incident, row)

    def file(self, principal: Principal, incident_id: int) -> ReviewDetail:
        """File the review: it meets the review obligation (late: it stays missed)."""
        with incident_writing(self._context, principal, lambda _uow: incident_id) as (
            uow,
            incident,
            row,
            agreement,
        ):
            review = uow.incidents.find_review(incident.id)
            if review is None:
                raise Conflict(f"incident {incident_id} has no review to file; write one first")
            if review.state == "filed":
                raise Conflict(f"the review of incident {incident_id} is already filed")
            if incident.resolved_at is None:
                raise Conflict(f"incident {incident_id} is {incident.state}; resolve it first")
            missing = [name.replace("_", " ") for name in _REQUIRED if not getattr(review, name)]
            if missing:
                raise Invalid(f"the review cannot be filed without: {', '.join(missing)}")
            review.state, review.filed_at, review.filed_by = "filed", uow.now(), principal.name
            duty = uow.obligations.find_by_key(row.id, f"incident:{incident.id}:review")
            if duty is not None:
                fulfil(uow, duty)
            timeline(uow, incident, "review_filed", f"review filed by {principal.name}")
            tell(uow, row, agreement, incident, "review filed")
            uow.commit()
            return self._detail(uow, incident, row)

    def comment(self, principal: Principal, incident_id: int, text: str) -> ReviewDetail:
        """A comment on the review by either side, in the timeline."""
        if not text.strip():
            raise Invalid("a comment needs text")
        with incident_writing(self._context, principal, lambda _uow: incident_id) as (
            uow,
            incident,
            row,
            agreement,
        ):
            entry = timeline(uow, incident, "review_comment", text.strip())
            tell(uow, row, agreement, incident, f"review comment {entry.id}")
            uow.commit()
            return self._detail(uow, incident, row)

    def add_action(self, principal: Principal, incident_id: int, action: NewAction) -> ActionView:
        """A preventive action, with its obligation due at the end of its due date."""
        if not action.title.strip() or not action.owner.strip():
            raise Invalid("a preventive action needs a title and an owner")
        with incident_writing(self._context, principal, lambda _uow: incident_id) as (
            uow,
            incident,
            row,
            agreement,
        ):
            party = action.party or agreement.provider().id
            known = [p.id for p in agreement.parties]
            if party not in known:
                raise Invalid(f"no party {party!r} in the agreement; parties: {', '.join(known)}")
            now = uow.now()
            if action_due_at(agreement, action.due_on) <= now:
                raise Invalid(f"the due date {action.due_on.isoformat()} has already passed")
            added = uow.incidents.add_action(
                PreventiveActionRow(
                    incident_id=incident.id,
                    agreement_id=row.id,
                    title=action.title.strip(),
                    owner=action.owner.strip(),
                    party=party,
                    due_on=action.due_on,
                    state="open",
                    created_at=now,
                    created_by=principal.name,
                )
            )
            what = (added.title, added.due_on, now)
            obligation = action_obligation(incident.id, added.id, agreement, party, what)
            record_obligation(uow, row, obligation, incident.id)
            timeline(
                uow,
                incident,
                "action_added",
                f"preventive action {added.id}: {added.title} (owner {added.owner}, {party}; "
                f"due {added.due_on.isoformat()})",
                action=added.id,
            )
            uow.commit()
            return _action_view(added, row.slug, uow)

    def complete_action(
        self, principal: Principal, action_id: int, note: str | None = None
    ) -> ActionView:
        """Done now: meets its obligation (after the due date it stays missed, done late)."""
        return self._close_action(principal, action_id, "done", note)

    def cancel_action(self, principal: Principal, action_id: int, reason: str) -> ActionView:
        """No longer needed, with a reason: its obligation is waived."""
        if not reason.strip():
            raise Invalid("cancelling a preventive action needs a reason")
        return self._close_action(principal, action_id, "cancelled", reason)

    def actions(
        self, principal: Principal, *, agreement: str | None = None, states: tuple[str, ...] = ()
    ) -> list[ActionView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            agreement_id = None if agreement is None else get_agreement(uow, agreement).id
            found = uow.incidents.matching_actions(agreement_id=agreement_id, states=states)
            return [_action_view(row, slug, uow) for row, slug in found]

    def get_action(self, principal: Principal, action_id: int) -> ActionView:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            action = self._find_action(uow, action_id)
            _incident, row = get_incident(uow, action.incident_id)
            return _action_view(action, row.slug, uow)

    def rates(self, principal: Principal, *, agreement: str | None = None) -> list[DutyRate]:
        """Reviews filed on time and preventive actions completed on time, per agreement and
        party that owes them."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            agreement_id = None if agreement is None else get_agreement(uow, agreement).id
            where = ObligationFilter(agreement_id=agreement_id, kinds=("review", "action"))
            return duty_rates(
                (slug, duty.party, duty.kind, duty.state)
                for duty, slug in uow.obligations.matching(where)
            )

    def _find_action(self, uow: UnitOfWork, action_id: int) -> PreventiveActionRow:
        action = uow.incidents.find_action(action_id)
        if action is None:
            raise NotFound(f"no preventive action {action_id}")
        return action

    def _close_action(
        self, principal: Principal, action_id: int, state: str, note: str | None
    ) -> ActionView:
        with incident_writing(
            self._context, principal, lambda uow: self._find_action(uow, action_id).incident_id
        ) as (uow, incident, row, _agreement):
            action = self._find_action(uow, action_id)
            if action.state != "open":
                raise Conflict(f"preventive action {action_id} is already {action.state}")
            action.state, action.state_at, action.state_by = state, uow.now(), principal.name
            action.note = note.strip() if note and note.strip() else None
            duty = uow.obligations.find_by_key(row.id, _action_key(action))
            if duty is not None and state == "done":
                fulfil(uow, duty)
            elif duty is not None:
                stand_down(uow, duty, f"preventive action cancelled: {note}")
            timeline(
                uow,
                incident,
                f"action_{state}",
                f"preventive action {action.id} {state} by {principal.name}"
                + (f": {action.note}" if action.note else ""),
                action=action.id,
            )
            uow.commit()
            return _action_view(action, row.slug, uow)

    def _start(self, uow: UnitOfWork, incident: IncidentRow) -> IncidentReviewRow:
        now, name = uow.now(), uow.principal.name
        return uow.incidents.add_review(
            IncidentReviewRow(
                incident_id=incident.id,
                agreement_id=incident.agreement_id,
                state="draft",
                summary="",
                customer_impact="{}",
                root_cause="",
                contributing_factors="[]",
                went_well="",
                went_wrong="",
                created_at=now,
                created_by=name,
                updated_at=now,
                updated_by=name,
            )
        )

    def _detail(self, uow: UnitOfWork, incident: IncidentRow, row: AgreementRow) -> ReviewDetail:
        review = uow.incidents.find_review(incident.id)
        duty = uow.obligations.find_by_key(row.id, f"incident:{incident.id}:review")
        return ReviewDetail(
            incident=incident_view(incident, row.slug),
            review=None if review is None else _review_view(review),
            obligation=None if duty is None else view_of(duty, row.slug),
            timeline=[
                TimelineEntry(e.at, e.actor, e.kind, e.text)
                for e in uow.incidents.events(incident.id)
            ],
            actions=[
                _action_view(action, row.slug, uow) for action in uow.incidents.actions(incident.id)
            ],
        )
