"""The public status page as written: opt-in features off by default, at least one component
judged by at least one objective, and a bounded history of closed months."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.model.status import StatusPage

COMPONENT = {"name": "Authorisation API", "objectives": ["api-availability"]}


def page(**changes: Any) -> StatusPage:
    return StatusPage.model_validate(
        {"title": "PayCo status", "components": [COMPONENT], **changes}
    )


def test_a_page_shows_only_current_states_unless_told_more() -> None:
    shown = page()

    assert (shown.uptime, shown.incidents, shown.maintenance) == (False, False, False)
    assert shown.months == 6


@pytest.mark.parametrize("months", [1, 24])
def test_between_one_and_24_closed_months_may_be_shown(months: int) -> None:
    assert page(uptime=True, months=months).months == months


@pytest.mark.parametrize("months", [0, 25, -1])
def test_more_than_two_years_or_no_month_is_refused(months: int) -> None:
    with pytest.raises(ValidationError):
        page(months=months)


@pytest.mark.parametrize(
    "changes",
    [
        {"components": []},
        {"components": [{"name": "API", "objectives": []}]},
        {"components": [{"name": "", "objectives": ["api-availability"]}]},
        {"title": ""},
        {"title": "x" * 201},
        {"components": [{"name": "API", "objectives": ["API Availability"]}]},
        {"private_notes": True},
    ],
)
def test_a_page_without_something_to_show_or_with_unknown_fields_is_refused(
    changes: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        page(**changes)
