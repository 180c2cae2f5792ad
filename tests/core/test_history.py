"""The history rules, without a database: which verdicts are appended, which supersede the
one before (and why), which are kept, and which credit differences are booked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from accord.core.evaluation import WindowCredit
from accord.core.history import (
    Change,
    Previous,
    credit_differences,
    decide,
    judgement_digest,
)
from accord.core.model.measurement import Direction
from accord.core.records import (
    BudgetRecord,
    Counts,
    CoverageRecord,
    Unit,
    VerdictRecord,
    WindowRecord,
)
from accord.core.units import Money
from accord.core.verdicts import CreditOwed, Outcome

OCTOBER = WindowRecord(
    "2026-10",
    dt.datetime(2026, 9, 30, 22, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC),
)
AFTER = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)
MID_OCTOBER = dt.datetime(2026, 10, 15, tzinfo=dt.UTC)

RECORD = VerdictRecord(
    objective="availability",
    scope={"region": "eu"},
    window=OCTOBER,
    outcome=Outcome.DEVIATION,
    value=Decimal("0.98"),
    value_display="98%",
    target=Decimal("0.99"),
    target_display="99%",
    tolerance=Decimal("0.9"),
    tolerance_display="90%",
    unit=Unit.RATIO,
    direction=Direction.HIGHER_IS_BETTER,
    counts=Counts.of({"valid": 1000, "good": 980}),
    formula="good / valid = 980 / 1,000",
    computation="980 of 1,000 good",
    coverage=CoverageRecord(Decimal(1), "31 of 31 days"),
    agreement_version="a" * 64,
)


def previous(record: VerdictRecord | None = RECORD, *, as_of: dt.datetime = AFTER) -> Previous:
    digest = judgement_digest(record) if record is not None else "0" * 64
    return Previous(record, digest, as_of)


def test_the_first_verdict_of_a_window_is_new() -> None:
    assert decide(None, RECORD, as_of=AFTER, reason="scheduled").change is Change.NEW


def test_the_same_judgement_appends_nothing_even_when_its_detail_changed() -> None:
    detail = dataclasses.replace(
        RECORD,
        coverage=CoverageRecord(Decimal("0.9"), "28 of 31 days"),
        computation="980 of 1,000 good (late rows)",
        budget=BudgetRecord(
            Decimal("0.01"), Decimal(10), 20, Decimal(-10), Decimal(2), Decimal(2), True, None
        ),
    )

    decision = decide(previous(), detail, as_of=AFTER, reason="scheduled")

    assert decision.change is Change.UNCHANGED
    assert not decision.appends


def test_a_changed_judgement_supersedes_with_the_reason_in_words() -> None:
    late = dataclasses.replace(
        RECORD,
        outcome=Outcome.MET,
        value=Decimal("0.995"),
        value_display="99.5%",
        counts=Counts.of({"valid": 3000, "good": 2985}),
    )

    decision = decide(previous(), late, as_of=AFTER, reason="late data")

    assert decision.change is Change.CHANGED
    assert decision.reason == (
        "late data: outcome deviation → met; value 98% → 99.5%; counts changed"
    )


def test_a_previous_verdict_stored_in_another_format_is_compared_by_what_it_says() -> None:
    # A v1 row hashed floats: its digest differs, its judgement does not.
    stored = Previous(RECORD, "f" * 64, AFTER)

    assert decide(stored, RECORD, as_of=AFTER, reason="upgrade").change is Change.UNCHANGED


def test_unreadable_evidence_is_superseded_as_evidence_changed() -> None:
    decision = decide(previous(None), RECORD, as_of=AFTER, reason="scheduled")

    assert (decision.change, decision.reason) == (Change.CHANGED, "scheduled: evidence changed")


def test_a_provisional_verdict_never_replaces_one_judged_later() -> None:
    earlier = dataclasses.replace(RECORD, outcome=Outcome.MET, value=Decimal("0.999"))

    decision = decide(previous(as_of=AFTER), earlier, as_of=MID_OCTOBER, reason="rerun")

    assert decision.change is Change.KEPT


def test_a_closed_window_judged_again_as_of_an_earlier_instant_still_supersedes() -> None:
    closed_as_of = OCTOBER.end_at + dt.timedelta(hours=1)
    changed = dataclasses.replace(RECORD, outcome=Outcome.BREACH)

    decision = decide(previous(as_of=AFTER), changed, as_of=closed_as_of, reason="restated")

    assert decision.change is Change.CHANGED


def _owed(window: str, amount: str, tier: int = 1) -> WindowCredit:
    credit = CreditOwed(
        scheme="availability-credits",
        objective="availability",
        scope="region=eu",
        tier=tier,
        amount=Money(Decimal(amount), "EUR"),
        capped=False,
        claim_deadline="2026-12-31T23:00:00+00:00",
        rule=f"tier {tier}",
    )
    return WindowCredit(window, credit)


def test_a_credit_owed_for_the_first_time_is_booked_whole() -> None:
    [entry] = credit_differences([_owed("2026-10", "250")], {}, {"2026-10"}, "scheduled")

    assert (entry.amount, entry.currency, entry.tier) == (Decimal(250), "EUR", 1)
    assert entry.reason == "scheduled: tier 1"


def test_a_different_amount_books_the_difference_and_the_same_amount_nothing() -> None:
    balances = {("availability-credits", "2026-10"): (Decimal(250), "EUR")}

    [entry] = credit_differences([_owed("2026-10", "500", 2)], balances, {"2026-10"}, "late")
    unchanged = credit_differences([_owed("2026-10", "250")], balances, {"2026-10"}, "again")

    assert entry.amount == Decimal(250)
    assert unchanged == []


def test_a_credit_no_longer_owed_is_reversed_with_the_reason() -> None:
    balances = {("availability-credits", "2026-10"): (Decimal(250), "EUR")}

    [entry] = credit_differences([], balances, {"2026-10"}, "late data")

    assert (entry.amount, entry.currency, entry.objective) == (Decimal(-250), "EUR", "")
    assert (
        entry.reason == "late data: no credit owed any more under availability-credits for 2026-10"
    )


def test_windows_whose_verdicts_were_kept_book_nothing() -> None:
    balances = {("availability-credits", "2026-10"): (Decimal(250), "EUR")}

    assert credit_differences([_owed("2026-10", "0")], balances, set(), "rerun") == []
