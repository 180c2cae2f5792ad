"""A resolved incident's review and preventive actions: when each is due, and how a party's
on-time rates count them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.obligations import action_due_at, action_obligation, duty_rates, review_obligation

EXAMPLE = Path(__file__).parents[3] / "examples" / "payments-api.yaml"


@pytest.fixture(scope="module")
def payments() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(), str(EXAMPLE))
    assert loaded.agreement is not None
    return loaded.agreement


def test_a_sev2_review_is_due_five_business_days_on_the_severity_s_calendar(
    payments: Agreement,
) -> None:
    # Friday 17:00 in London: one business hour on Friday, then 49 from Monday 08:00.
    resolved = dt.datetime(2026, 11, 6, 17, 0, tzinfo=dt.UTC)
    review = review_obligation(4, payments, "sev2", resolved)
    assert review is not None
    assert (review.kind, review.party, review.calendar) == ("review", "payco", "london-support")
    assert review.due_at == dt.datetime(2026, 11, 13, 17, 0, tzinfo=dt.UTC)


def test_a_sev1_review_counts_whole_days_on_the_24x7_calendar(payments: Agreement) -> None:
    resolved = dt.datetime(2026, 11, 6, 17, 0, tzinfo=dt.UTC)
    review = review_obligation(4, payments, "sev1", resolved)
    assert review is not None
    assert review.due_at == resolved + dt.timedelta(days=5)


def test_no_review_for_a_severity_the_policy_does_not_name(payments: Agreement) -> None:
    policy = payments.incidents
    assert policy is not None
    lighter = payments.model_copy(
        update={
            "incidents": policy.model_copy(
                update={"review": policy.review.model_copy(update={"required_for": ["sev1"]})}
            )
        }
    )
    assert review_obligation(4, lighter, "sev2", dt.datetime(2026, 11, 6, tzinfo=dt.UTC)) is None
    assert review_obligation(4, payments, "sev9", dt.datetime(2026, 11, 6, tzinfo=dt.UTC)) is None


def test_an_action_is_due_at_the_end_of_its_date_in_the_agreement_s_zone(
    payments: Agreement,
) -> None:
    # Europe/Berlin: UTC+2 in summer, UTC+1 in winter.
    assert action_due_at(payments, dt.date(2026, 7, 31)) == dt.datetime(
        2026, 7, 31, 22, 0, tzinfo=dt.UTC
    )
    assert action_due_at(payments, dt.date(2026, 10, 24)) == dt.datetime(
        2026, 10, 24, 22, 0, tzinfo=dt.UTC
    )
    # The night the clocks go back: 25 October ends at 23:00 UTC.
    assert action_due_at(payments, dt.date(2026, 10, 25)) == dt.datetime(
        2026, 10, 25, 23, 0, tzinfo=dt.UTC
    )
    agreed = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    duty = action_obligation(4, 9, payments, "acme", ("Rotate keys", dt.date(2026, 10, 25), agreed))
    assert (duty.key, duty.party, duty.trigger_at) == ("incident:4:action:9", "acme", agreed)


def test_rates_count_decided_duties_and_leave_waived_ones_out() -> None:
    rates = duty_rates(
        [
            ("payments-api", "payco", "action", "met"),
            ("payments-api", "payco", "action", "missed"),
            ("payments-api", "payco", "action", "missed"),
            ("payments-api", "payco", "action", "waived"),
            ("payments-api", "payco", "action", "open"),
            ("payments-api", "payco", "review", "open"),
        ]
    )
    by_kind = {rate.kind: rate for rate in rates}
    action = by_kind["action"]
    assert (action.on_time, action.late, action.open, action.decided) == (1, 2, 1, 3)
    assert action.on_time_ratio == pytest.approx(1 / 3)
    assert by_kind["review"].on_time_ratio is None
