"""Objectives as written: the window forms (a calendar unit, or 1 to 366 rolling days) and
their written-back form, the defaults an objective that says little still has, and burn-rate
alerts whose look-backs make sense."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model.objectives import BurnAlertSpec, Objective, Window, WindowKind
from accord.core.units import Money
from tests.core.model.refused import refusal

OBJECTIVE = {
    "id": "uptime",
    "name": "Monthly uptime",
    "indicator": "availability",
    "target": "99.9%",
    "tolerance": "99.5%",
    "window": "month",
}


@pytest.mark.parametrize(
    ("written", "unit", "days", "shown", "described"),
    [
        ("month", "month", None, "month", "each calendar month"),
        (" Quarter ", "quarter", None, "quarter", "each calendar quarter"),
        ("rolling 28 days", None, 28, "rolling 28 days", "any 28 consecutive days"),
        ("ROLLING 7d", None, 7, "rolling 7 days", "any 7 consecutive days"),
        ("rolling 366 day", None, 366, "rolling 366 days", "any 366 consecutive days"),
    ],
)
def test_a_window_is_a_calendar_unit_or_a_number_of_rolling_days(
    written: str, unit: str | None, days: int | None, shown: str, described: str
) -> None:
    window = Window.parse(written)

    assert (window.unit, window.days) == (unit, days)
    assert window.kind is (WindowKind.CALENDAR if unit else WindowKind.ROLLING)
    assert (str(window), window.describe()) == (shown, described)


@pytest.mark.parametrize("days", [0, 367])
def test_a_rolling_window_is_one_to_366_days(days: int) -> None:
    with pytest.raises(ValueError, match=f"rolling window 'rolling {days} days' must be 1 to 366"):
        Window.parse(f"rolling {days} days")


@pytest.mark.parametrize("written", ["monthly", "rolling 4 weeks", "rolling -1 days", "28 days"])
def test_anything_else_is_not_a_window(written: str) -> None:
    with pytest.raises(ValueError, match="is not a window"):
        Window.parse(written)


def test_windows_written_differently_are_the_same_window() -> None:
    assert Window.parse("rolling 28d") == Window(WindowKind.ROLLING, days=28)
    assert len({Window.parse("Month"), Window.parse("month"), Window.parse("rolling 30 days")}) == 2
    assert Window.parse("month") != "month"


def test_an_objective_writes_its_window_back_in_its_normalised_form() -> None:
    objective = Objective.model_validate({**OBJECTIVE, "window": "Rolling 28 d"})

    assert objective.window == Window.parse("rolling 28 days")
    assert objective.model_dump(mode="json")["window"] == "rolling 28 days"
    assert Objective.model_validate(objective.model_dump(mode="json")) == objective


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (30, "expected a window such as 'month', got 30"),
        ("fortnight", "'fortnight' is not a window"),
        ("rolling 400 days", "rolling window 'rolling 400 days' must be 1 to 366 days"),
    ],
)
def test_a_window_that_is_none_of_the_forms_is_refused_with_the_forms(
    window: object, message: str
) -> None:
    assert refusal(Objective, {**OBJECTIVE, "window": window}) == (
        ("window",),
        message,
        "use day, week, month, quarter, year or 'rolling N days'",
    )


def test_an_objective_that_says_little_judges_one_scope_on_any_event_under_all_exclusions() -> None:
    objective = Objective.model_validate(OBJECTIVE)

    assert (objective.scope, objective.minimum_events) == ([], 1)
    # None: every exclusion that applies; the source's coverage rule; the workbook's alerts.
    assert (objective.exclusions, objective.min_coverage, objective.burn_alerts) == (
        None,
        None,
        None,
    )
    assert Objective.model_validate({**OBJECTIVE, "exclusions": []}).exclusions == []
    assert refusal(Objective, {**OBJECTIVE, "minimum_events": -1})[0] == ("minimum_events",)


def test_a_consistency_credit_is_money_with_a_currency() -> None:
    across = {"across": "region", "max_spread": "0.5%", "credit": "1000 EUR"}
    objective = Objective.model_validate({**OBJECTIVE, "consistency": across})

    assert objective.consistency is not None
    assert objective.consistency.credit == Money.parse("1000 EUR")
    assert refusal(Objective, {**OBJECTIVE, "consistency": {**across, "credit": "1000"}})[:2] == (
        ("consistency", "credit"),
        "amount '1000' has no currency",
    )


def alert(long: str, short: str, share: str) -> dict[str, Any]:
    return {"name": "page: declared", "long": long, "short": short, "budget": share}


def test_a_burn_alert_pairs_a_long_look_back_with_a_shorter_one() -> None:
    declared = BurnAlertSpec.model_validate(alert("6h", "30m", "5%"))

    assert (declared.long.seconds, declared.short.seconds, str(declared.budget)) == (
        21600,
        1800,
        "5%",
    )


@pytest.mark.parametrize(
    ("long", "short", "share", "where", "says"),
    [
        (
            "1h",
            "2h",
            "2%",
            "short",
            "the short window 2 hours must be shorter than the long one 1 hour",
        ),
        (
            "1h",
            "60m",
            "2%",
            "short",
            "the short window 60 minutes must be shorter than the long one 1 hour",
        ),
        (
            "1 business hours",
            "5m",
            "2%",
            "long",
            "look-back window 1 business hour must be fixed wall-clock time",
        ),
        ("1 month", "5m", "2%", "long", "look-back window 1 month must be fixed wall-clock time"),
        (
            "1h",
            "1 business hours",
            "2%",
            "short",
            "look-back window 1 business hour must be fixed wall-clock time",
        ),
        (
            "1h",
            "5m",
            "0%",
            "budget",
            "a burn-rate alert on 0% of the budget would fire on the first bad event",
        ),
    ],
)
def test_a_declared_alert_pair_must_make_sense(
    long: str, short: str, share: str, where: str, says: str
) -> None:
    assert refusal(BurnAlertSpec, alert(long, short, share))[:2] == ((where,), says)
