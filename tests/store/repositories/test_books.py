"""The books in the store: closed windows by label (all, or some), in the order they ended;
restatements found only under their own agreement; claim steps oldest first, per agreement
or for several, and a partner reaching only its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.store.repositories import Books
from accord.store.tables import ClosedWindowRow, CreditClaimRow, RestatementRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, add_run, open_session, seed

SEPTEMBER = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
OCTOBER = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
NOVEMBER = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _close(
    session: Session, agreement: int, label: str, start: dt.datetime, end: dt.datetime
) -> ClosedWindowRow:
    run = add_run(session, agreement, label, end)
    return Books(session).close(
        ClosedWindowRow(
            agreement_id=agreement,
            window_label=label,
            window_start=start,
            window_end=end,
            closes_at=end + dt.timedelta(days=7),
            closed_at=end + dt.timedelta(days=8),
            run_id=run.id,
            record="{}",
        )
    )


def _claim(agreement: int, window: str, state: str) -> CreditClaimRow:
    return CreditClaimRow(
        agreement_id=agreement,
        scheme="availability-credits",
        window_label=window,
        state=state,
        amount=Decimal("100.00"),
        currency="EUR",
        recorded_by="m",
        recorded_at=AT,
    )


def test_closed_windows_by_label_in_the_order_they_ended(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        books = Books(session)
        _close(session, world.agreement_b, "2026-10", OCTOBER, NOVEMBER)
        _close(session, world.agreement_b, "2026-09", SEPTEMBER, OCTOBER)
        _close(session, world.agreement_c, "2026-10", OCTOBER, NOVEMBER)
        assert set(books.closed(world.agreement_b)) == {"2026-09", "2026-10"}
        assert set(books.closed(world.agreement_b, ["2026-10", "2026-11"])) == {"2026-10"}
        assert [w.window_label for w in books.all_closed(world.agreement_b)] == [
            "2026-09",
            "2026-10",
        ]
        ends = books.closed_of([world.agreement_b, world.agreement_c])
        assert set(ends) == {
            (world.agreement_b, "2026-09"),
            (world.agreement_b, "2026-10"),
            (world.agreement_c, "2026-10"),
        }
        assert ends[(world.agreement_b, "2026-09")] == OCTOBER


def test_restatements_and_claims_stay_with_their_agreement(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        books = Books(session)
        asked = books.add_restatement(
            RestatementRow(
                agreement_id=world.agreement_b,
                period="2026-10",
                reason_code="late_data",
                reason="exporter",
                state="requested",
                requested_by="p",
                requested_at=AT,
            )
        )
        assert books.find_restatement(world.agreement_b, asked.id) is asked
        assert books.find_restatement(world.agreement_c, asked.id) is None
        assert [r.id for r in books.restatements(world.agreement_b)] == [asked.id]
        for agreement, state in (
            (world.agreement_b, "claimed"),
            (world.agreement_c, "claimed"),
            (world.agreement_b, "accepted"),
        ):
            books.add_claim(_claim(agreement, "2026-10", state))
        assert [c.state for c in books.claims(world.agreement_b)] == ["claimed", "accepted"]
        both = books.claims_of([world.agreement_b, world.agreement_c])
        assert [(c.agreement_id, c.state) for c in both] == [
            (world.agreement_b, "claimed"),
            (world.agreement_c, "claimed"),
            (world.agreement_b, "accepted"),
        ]
        session.commit()
    with open_session(engine, Tenant(world.partner_c)) as session:
        steps = Books(session).claims_of([world.agreement_b, world.agreement_c])
        assert [c.agreement_id for c in steps] == [world.agreement_c]


def test_applied_restatements_of_many_agreements_are_read_at_once_by_agreement(
    engine: Engine,
) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        books = Books(session)
        for agreement, period, state in (
            (world.agreement_b, "2026-10", "applied"),
            (world.agreement_b, "2026-11", "requested"),
            (world.agreement_b, "2026-09", "applied"),
            (world.agreement_c, "2026-10", "rejected"),
        ):
            books.add_restatement(
                RestatementRow(
                    agreement_id=agreement,
                    period=period,
                    reason_code="late_data",
                    reason="exporter",
                    state=state,
                    requested_by="p",
                    requested_at=AT,
                )
            )
        applied = books.applied_restatements([world.agreement_b, world.agreement_c])
        assert {a: [r.period for r in rows] for a, rows in applied.items()} == {
            world.agreement_b: ["2026-10", "2026-09"],
            world.agreement_c: [],
        }
        assert books.applied_restatements([]) == {}
