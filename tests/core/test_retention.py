"""Retention cut-offs from the agreement's rules, and what a legal hold covers."""

from __future__ import annotations

import datetime as dt

from accord.core.model import Agreement
from accord.core.retention import Hold, cutoff, held
from tests.services.world import agreement_document, data_handling

NOW = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)


def agreement(*rules: tuple[str, str | None]) -> Agreement:
    document = agreement_document("bravo")
    document["data_handling"] = data_handling(
        retention=[
            {"data": f"rule {i}", "period": period, **({"applies_to": kind} if kind else {})}
            for i, (period, kind) in enumerate(rules)
        ]
    )
    return Agreement.model_validate(document)


def test_months_step_calendar_dates_in_the_agreement_s_zone() -> None:
    terms = agreement(("13 months", "performance_data"))
    assert cutoff(terms, "performance_data", NOW) == dt.datetime(2025, 10, 3, 8, tzinfo=dt.UTC)


def test_the_longest_rule_wins_and_rules_for_other_data_do_not_count() -> None:
    terms = agreement(
        ("30 days", "performance_data"), ("90 days", "performance_data"), ("1 day", None)
    )
    assert cutoff(terms, "performance_data", NOW) == NOW - dt.timedelta(days=90)
    assert cutoff(agreement(("1 day", None)), "performance_data", NOW) is None


def test_a_hold_covers_data_with_an_instant_inside_its_span() -> None:
    october = Hold(dt.datetime(2026, 10, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    first, last = dt.datetime(2026, 9, 20, tzinfo=dt.UTC), dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    assert october.covers(first, last)
    assert not october.covers(first, last - dt.timedelta(microseconds=1))
    assert not october.covers(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), NOW)
    assert held([Hold(None, None)], first, last)
    assert not held([], first, last)
