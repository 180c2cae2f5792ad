"""The credit ledger in the store: what is owed per scheme and window is the sum of its
entries (with or without the entries that book manual adjustments); entries of several
agreements read as plain rows, oldest first; an adjustment is found only under its own
agreement, with the entry that booked it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine

from accord.store.repositories import Credits
from accord.store.tables import CreditAdjustmentRow, CreditEntryRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed


def _entry(
    agreement: int, window: str, amount: str, adjustment: int | None = None
) -> CreditEntryRow:
    return CreditEntryRow(
        agreement_id=agreement,
        scheme="availability-credits",
        objective="availability",
        scope_label="all",
        window_label=window,
        tier=1,
        amount=Decimal(amount),
        currency="EUR",
        recorded_at=AT,
        reason="test",
        adjustment_id=adjustment,
    )


def test_what_is_owed_sums_the_entries_with_or_without_adjustments(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        credits = Credits(session)
        adjustment = credits.add_adjustment(
            CreditAdjustmentRow(
                agreement_id=world.agreement_b,
                scheme="availability-credits",
                window_label="2026-10",
                amount=Decimal("25.50"),
                currency="EUR",
                reason="goodwill",
                state="applied",
                requested_by="m",
                requested_at=AT,
            )
        )
        credits.add(_entry(world.agreement_b, "2026-10", "100.00"))
        credits.add(_entry(world.agreement_b, "2026-10", "-40.00"))  # a restatement
        booked = credits.add(_entry(world.agreement_b, "2026-10", "25.50", adjustment.id))
        credits.add(_entry(world.agreement_b, "2026-09", "10.00"))
        credits.add(_entry(world.agreement_c, "2026-10", "7.00"))
        assert credits.balances(world.agreement_b) == {
            ("availability-credits", "2026-10"): (Decimal("85.50"), "EUR"),
            ("availability-credits", "2026-09"): (Decimal("10.00"), "EUR"),
        }
        judged = credits.balances(world.agreement_b, judged_only=True)
        assert judged[("availability-credits", "2026-10")] == (Decimal("60.00"), "EUR")
        assert [e.amount for e in credits.all(world.agreement_b, "2026-10")] == [
            Decimal("100.00"),
            Decimal("-40.00"),
            Decimal("25.50"),
        ]
        assert credits.entry_of(adjustment.id) is booked
        assert credits.find_adjustment(world.agreement_b, adjustment.id) is adjustment
        assert credits.find_adjustment(world.agreement_c, adjustment.id) is None
        assert [a.id for a in credits.adjustments(world.agreement_b)] == [adjustment.id]
        summaries = credits.of_agreements([world.agreement_b, world.agreement_c])
        assert [(s.agreement_id, s.window_label, s.amount, s.adjustment_id) for s in summaries] == [
            (world.agreement_b, "2026-10", Decimal("100.00"), None),
            (world.agreement_b, "2026-10", Decimal("-40.00"), None),
            (world.agreement_b, "2026-10", Decimal("25.50"), adjustment.id),
            (world.agreement_b, "2026-09", Decimal("10.00"), None),
            (world.agreement_c, "2026-10", Decimal("7.00"), None),
        ]
        session.commit()
    with open_session(engine, Tenant(world.partner_c)) as session:
        rows = Credits(session).of_agreements([world.agreement_b, world.agreement_c])
        assert [(s.agreement_id, s.amount) for s in rows] == [(world.agreement_c, Decimal("7.00"))]
