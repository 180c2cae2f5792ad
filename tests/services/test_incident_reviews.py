"""Post-incident reviews and preventive actions as use cases: a review written in parts (an
edit that changes nothing leaves no trace), checked impact figures, filing (only once, only
after resolution, only with a summary and a root cause) that meets the review's clock or
stays missed when late; preventive actions due at the end of their date in the agreement's
time zone, done or cancelled once; the rates of duties kept; and who may see and write."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.incident_reviews import ActionView, NewAction, ReviewDetail, ReviewDraft
from accord.services.obligations import ObligationView
from accord.services.permissions import Principal
from tests.services.payco import AGREEMENT, FRIDAY_EVENING, NOC, WORKER, add_payco, open_at
from tests.services.world import World

MANAGER = "manager@acme.example"
RESOLVED = dt.datetime(2026, 11, 9, 9, 0, tzinfo=dt.UTC)  # Monday, 09:00 in London
#: Five business days of ten hours after RESOLVED (see tests/services/test_incidents.py).
REVIEW_DUE = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
WRITTEN = ReviewDraft(summary="A release broke token refresh.", root_cause="Cache flushed.")


@pytest.fixture
def desk(world: World) -> World:
    add_payco(world)
    return world


@pytest.fixture
def resolved(desk: World) -> int:
    """A sev2 incident opened on Friday evening and resolved on Monday morning."""
    incident = open_at(desk, FRIDAY_EVENING)
    desk.clock.at = RESOLVED
    desk.services.incidents.resolve(desk.principal(NOC), incident.id)
    return incident.id


def _noc(world: World) -> Principal:
    return world.principal(NOC)


def _review(world: World, incident_id: int) -> ReviewDetail:
    return world.services.incident_reviews.get(world.principal(MANAGER), incident_id)


def _duty(owner: ActionView | ReviewDetail) -> ObligationView:
    """The obligation of an action or a review, which must have one."""
    assert owner.obligation is not None
    return owner.obligation


def _action(world: World, incident_id: int, due_on: dt.date, party: str | None = None) -> int:
    action = NewAction(title="Add a canary stage", owner="Release eng", due_on=due_on, party=party)
    return world.services.incident_reviews.add_action(_noc(world), incident_id, action).id


def test_a_review_is_written_in_parts_and_an_unchanged_edit_leaves_no_trace(
    desk: World, resolved: int
) -> None:
    reviews = desk.services.incident_reviews
    assert _review(desk, resolved).review is None
    assert _duty(_review(desk, resolved)).due_at == REVIEW_DUE

    reviews.write(_noc(desk), resolved, ReviewDraft(summary=" Token refresh broke. "))
    detail = reviews.write(
        desk.principal(MANAGER),
        resolved,
        ReviewDraft(
            summary="Token refresh broke.",
            customer_impact={"customers affected": 1200},
            contributing_factors=["no canary", "  ", "alert on latency only"],
        ),
    )
    reviews.write(_noc(desk), resolved, ReviewDraft(summary="Token refresh broke."))

    review = detail.review
    assert review is not None
    assert (review.state, review.summary, review.root_cause) == (
        "draft",
        "Token refresh broke.",
        "",
    )
    assert review.customer_impact == {"customers affected": 1200}
    assert review.contributing_factors == ["no canary", "alert on latency only"]
    assert (review.created_by, review.updated_by) == (NOC, MANAGER)
    edits = [e.text for e in _review(desk, resolved).timeline if e.kind == "review_edited"]
    assert edits == [
        f"review: summary written by {NOC}",
        f"review: customer impact, contributing factors written by {MANAGER}",
    ]


@pytest.mark.parametrize(
    ("impact", "words"),
    [
        ({"customers": -1}, "'customers' must be a number of zero or more"),
        ({"customers": float("nan")}, "'customers' must be a number of zero or more"),
        ({"customers": True}, "'customers' must be a number of zero or more"),
        ({" ": 3}, "each measure needs a name"),
        ({"x" * 101: 3}, "at most 100 characters"),
    ],
)
def test_impact_figures_must_be_named_numbers_of_zero_or_more(
    desk: World, resolved: int, impact: dict[str, int | float], words: str
) -> None:
    with pytest.raises(Invalid, match=f"customer_impact: .*{words}"):
        desk.services.incident_reviews.write(
            _noc(desk), resolved, ReviewDraft(customer_impact=impact)
        )
    assert _review(desk, resolved).review is None


def test_filing_in_time_meets_the_review_clock_once(desk: World, resolved: int) -> None:
    reviews = desk.services.incident_reviews
    with pytest.raises(Conflict, match="has no review to file; write one first"):
        reviews.file(_noc(desk), resolved)
    reviews.write(_noc(desk), resolved, ReviewDraft(summary="Token refresh broke."))
    with pytest.raises(Invalid, match="cannot be filed without: root cause"):
        reviews.file(_noc(desk), resolved)
    reviews.write(_noc(desk), resolved, WRITTEN)
    desk.clock.at = REVIEW_DUE  # the due instant itself is in time

    filed = reviews.file(_noc(desk), resolved)

    assert filed.review is not None
    assert (filed.review.state, filed.review.filed_at, filed.review.filed_by) == (
        "filed",
        REVIEW_DUE,
        NOC,
    )
    assert _duty(filed).state == "met"
    with pytest.raises(Conflict, match="is already filed"):
        reviews.file(_noc(desk), resolved)


def test_a_filed_review_is_not_rewritten_what_comes_later_is_a_comment(
    desk: World, resolved: int
) -> None:
    reviews = desk.services.incident_reviews
    reviews.write(_noc(desk), resolved, WRITTEN)
    desk.clock.at = REVIEW_DUE
    reviews.file(_noc(desk), resolved)
    desk.clock.at = REVIEW_DUE + dt.timedelta(days=1)

    with pytest.raises(Conflict) as refused:
        reviews.write(_noc(desk), resolved, ReviewDraft(root_cause="DNS, after all."))
    reviews.comment(_noc(desk), resolved, "Root cause revised: DNS, after all.")

    assert f"filed at {REVIEW_DUE.isoformat()} by {NOC}" in str(refused.value)
    assert "add what you learnt since as a comment" in str(refused.value)
    after = _review(desk, resolved)
    assert after.review is not None
    assert (after.review.state, after.review.root_cause) == ("filed", "Cache flushed.")
    assert [e.kind for e in after.timeline][-2:] == ["review_filed", "review_comment"]


def test_a_review_filed_late_stays_missed(desk: World, resolved: int) -> None:
    reviews = desk.services.incident_reviews
    reviews.write(_noc(desk), resolved, WRITTEN)
    desk.clock.at = REVIEW_DUE + dt.timedelta(hours=2)
    desk.services.obligations.check(WORKER)

    filed = reviews.file(_noc(desk), resolved)

    assert (_duty(filed).state, _duty(filed).state_at) == ("missed", REVIEW_DUE)
    assert filed.review is not None
    assert filed.review.state == "filed"


def test_a_review_is_filed_only_after_the_incident_is_resolved(desk: World) -> None:
    incident = open_at(desk, FRIDAY_EVENING)
    reviews = desk.services.incident_reviews
    reviews.write(_noc(desk), incident.id, WRITTEN)

    with pytest.raises(Conflict, match="is open; resolve it first"):
        reviews.file(_noc(desk), incident.id)
    assert _review(desk, incident.id).obligation is None


def test_comments_from_both_sides_are_in_the_timeline(desk: World, resolved: int) -> None:
    reviews = desk.services.incident_reviews
    with pytest.raises(Invalid, match="a comment needs text"):
        reviews.comment(_noc(desk), resolved, "   ")
    reviews.comment(desk.principal(MANAGER), resolved, "Please add the refund count.")
    reviews.comment(_noc(desk), resolved, " Added: 212 refunds. ")

    comments = [
        (e.actor, e.text) for e in _review(desk, resolved).timeline if e.kind == "review_comment"
    ]
    assert comments == [(MANAGER, "Please add the refund count."), (NOC, "Added: 212 refunds.")]


def test_an_action_is_due_at_the_end_of_its_date_in_berlin_summer_or_winter_time(
    desk: World,
) -> None:
    incident = open_at(desk, dt.datetime(2026, 10, 23, 16, 50, tzinfo=dt.UTC))
    reviews = desk.services.incident_reviews
    summer = reviews.get_action(_noc(desk), _action(desk, incident.id, dt.date(2026, 10, 24)))
    # 25 October has 25 hours: the clocks go back at 03:00 CEST.
    winter = reviews.get_action(_noc(desk), _action(desk, incident.id, dt.date(2026, 10, 25)))

    assert summer.due_at == dt.datetime(2026, 10, 24, 22, 0, tzinfo=dt.UTC)
    assert winter.due_at == dt.datetime(2026, 10, 25, 23, 0, tzinfo=dt.UTC)
    assert (summer.party, summer.state, _duty(summer).state) == ("payco", "open", "open")


def test_an_action_due_today_is_taken_until_the_day_ends_in_the_agreement_s_zone(
    desk: World,
) -> None:
    incident = open_at(desk, dt.datetime(2026, 11, 13, 22, 59, tzinfo=dt.UTC))  # 23:59 Berlin
    today = dt.date(2026, 11, 13)
    assert _action(desk, incident.id, today) > 0

    desk.clock.at = dt.datetime(2026, 11, 13, 23, 0, tzinfo=dt.UTC)
    with pytest.raises(Invalid, match="the due date 2026-11-13 has already passed"):
        _action(desk, incident.id, today)


def test_an_action_names_a_party_of_the_agreement_a_title_and_an_owner(
    desk: World, resolved: int
) -> None:
    reviews = desk.services.incident_reviews
    due = dt.date(2026, 12, 1)
    with pytest.raises(Invalid, match="no party 'zeta' in the agreement; parties: acme, payco"):
        _action(desk, resolved, due, party="zeta")
    with pytest.raises(Invalid, match="needs a title and an owner"):
        reviews.add_action(_noc(desk), resolved, NewAction(title="t", owner=" ", due_on=due))

    owed_by_acme = reviews.get_action(_noc(desk), _action(desk, resolved, due, party="acme"))
    assert _duty(owed_by_acme).party == "acme"


def test_an_action_is_done_or_cancelled_once(desk: World, resolved: int) -> None:
    reviews = desk.services.incident_reviews
    done = _action(desk, resolved, dt.date(2026, 11, 20))
    cancelled = _action(desk, resolved, dt.date(2026, 11, 20))

    finished = reviews.complete_action(_noc(desk), done, "  shipped  ")
    with pytest.raises(Invalid, match="needs a reason"):
        reviews.cancel_action(desk.principal(MANAGER), cancelled, " ")
    dropped = reviews.cancel_action(desk.principal(MANAGER), cancelled, "a duplicate")

    assert (finished.state, finished.note, _duty(finished).state) == ("done", "shipped", "met")
    assert (dropped.state, dropped.state_by, _duty(dropped).state) == (
        "cancelled",
        MANAGER,
        "waived",
    )
    with pytest.raises(Conflict, match=f"preventive action {cancelled} is already cancelled"):
        reviews.complete_action(_noc(desk), cancelled)
    with pytest.raises(Conflict, match="is already done"):
        reviews.cancel_action(_noc(desk), done, "changed our minds")


def test_an_action_done_after_its_date_stays_missed_and_counts_late(
    desk: World, resolved: int
) -> None:
    reviews = desk.services.incident_reviews
    late = _action(desk, resolved, dt.date(2026, 11, 13))
    on_time = _action(desk, resolved, dt.date(2026, 11, 20))
    reviews.write(_noc(desk), resolved, WRITTEN)
    reviews.file(_noc(desk), resolved)
    desk.clock.at = dt.datetime(2026, 11, 14, 8, 0, tzinfo=dt.UTC)

    finished = reviews.complete_action(_noc(desk), late)
    reviews.complete_action(_noc(desk), on_time)

    assert (finished.state, _duty(finished).state) == ("done", "missed")
    rates = reviews.rates(desk.principal(MANAGER), agreement=AGREEMENT)
    assert {(r.kind, r.party, r.on_time, r.late, r.open) for r in rates} == {
        ("review", "payco", 1, 0, 0),
        ("action", "payco", 1, 1, 0),
    }
    assert reviews.actions(desk.principal(MANAGER), states=("open",)) == []


def test_another_partner_finds_no_review_or_action_of_ours(desk: World, resolved: int) -> None:
    reviews = desk.services.incident_reviews
    action = _action(desk, resolved, dt.date(2026, 12, 1))
    charlie = desk.principal("partner@charlie.example")

    for attempt in (
        lambda: reviews.get(charlie, resolved),
        lambda: reviews.write(charlie, resolved, ReviewDraft(summary="mine")),
        lambda: reviews.comment(charlie, resolved, "hello"),
        lambda: reviews.get_action(charlie, action),
        lambda: reviews.complete_action(charlie, action),
        lambda: reviews.cancel_action(charlie, action, "not ours"),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert reviews.actions(charlie) == []
    assert reviews.rates(charlie) == []
    assert _review(desk, resolved).review is None


def test_a_viewer_reads_reviews_but_may_not_write_them(desk: World, resolved: int) -> None:
    reviews = desk.services.incident_reviews
    action = _action(desk, resolved, dt.date(2026, 12, 1))
    viewer = desk.principal("viewer@acme.example")

    assert [a.id for a in reviews.actions(viewer)] == [action]
    assert _duty(reviews.get(viewer, resolved)).state == "open"
    with pytest.raises(Forbidden):
        reviews.write(viewer, resolved, ReviewDraft(summary="mine"))
    with pytest.raises(Forbidden):
        reviews.complete_action(viewer, action)
    assert reviews.get_action(viewer, action).state == "open"


def test_an_unknown_action_is_not_found(desk: World) -> None:
    with pytest.raises(NotFound, match="no preventive action 999"):
        desk.services.incident_reviews.complete_action(_noc(desk), 999)


def test_cancelling_an_overdue_action_stops_its_escalation(desk: World, resolved: int) -> None:
    """Level 1 is told when the action lapses (the end of 13 November in Berlin, 23:00 UTC),
    level 2 two hours after level 1: by then the action is cancelled."""
    reviews = desk.services.incident_reviews
    action = _action(desk, resolved, dt.date(2026, 11, 13))
    lapsed = dt.datetime(2026, 11, 13, 23, 0, tzinfo=dt.UTC)
    desk.clock.at = lapsed + dt.timedelta(minutes=10)
    told = desk.services.obligations.check(WORKER).escalated
    assert [(e.duty, e.level) for e in told] == [("action", 1)]
    desk.clock.at = lapsed + dt.timedelta(minutes=20)

    cancelled = reviews.cancel_action(desk.principal(MANAGER), action, "superseded by a redesign")

    desk.clock.at = lapsed + dt.timedelta(hours=6)
    assert desk.services.obligations.check(WORKER).escalated == ()
    assert _duty(cancelled).state == "missed"  # it was overdue when it was cancelled
