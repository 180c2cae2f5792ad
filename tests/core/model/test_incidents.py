"""The incident policy as written: escalation ladders numbered from the first rung up, and
the defaults a policy that says little still has (a 24x7 clock, a contractual notice, a
review with the usual contents)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model.incidents import AutoOpen, EscalationLadder, IncidentPolicy, Severity
from accord.core.units import Duration
from tests.core.model.refused import refusal


def ladder(*numbers: int) -> dict[str, Any]:
    return {
        "id": "ops",
        "levels": [
            {
                "level": number,
                "party": "payco",
                "owner": f"Level {number} owner",
                "within": "4h",
                "authority": "Restart services",
            }
            for number in numbers
        ],
    }


SEVERITY = {
    "id": "sev1",
    "name": "Critical",
    "classification": "Payments fail for all customers",
    "acknowledge": "15m",
    "update_every": "30m",
    "resolve": "4h",
}


def policy(**changes: Any) -> IncidentPolicy:
    return IncidentPolicy.model_validate(
        {
            "severities": [SEVERITY],
            "escalation": "ops",
            "on_call": "24x7 rota, paged by phone",
            "review": {"required_for": ["sev1"], "deadline": "5 days"},
            "security_breach_notification": "24h",
            **changes,
        }
    )


def test_a_ladder_numbered_from_one_in_order_is_accepted() -> None:
    levels = EscalationLadder.model_validate(ladder(1, 2, 3)).levels

    assert [level.level for level in levels] == [1, 2, 3]
    assert levels[0].within == Duration.parse("4h")


@pytest.mark.parametrize(
    ("numbers", "index", "message"),
    [
        ((2,), 0, "level 2 stands at position 1"),
        ((1, 3), 1, "level 3 stands at position 2"),
        ((1, 1, 2), 1, "level 1 stands at position 2"),
        ((2, 1), 0, "level 2 stands at position 1"),
    ],
)
def test_a_ladder_out_of_order_is_refused_at_the_first_misplaced_level(
    numbers: tuple[int, ...], index: int, message: str
) -> None:
    where, said, hint = refusal(EscalationLadder, ladder(*numbers))

    assert where == ("levels", index, "level")
    assert said == (
        f"{message} of the escalation ladder 'ops'; levels must be numbered 1, 2, 3 … in order"
    )
    assert hint == "list the levels from the first rung up, numbered 1, 2, 3 …"


def test_a_ladder_without_levels_or_with_a_level_zero_is_refused() -> None:
    assert refusal(EscalationLadder, {"id": "ops", "levels": []})[0] == ("levels",)
    assert refusal(EscalationLadder, ladder(0))[0] == ("levels", 0, "level")


def test_a_severity_clock_runs_around_the_clock_unless_given_a_calendar() -> None:
    assert Severity.model_validate(SEVERITY).calendar == "24x7"
    assert Severity.model_validate({**SEVERITY, "calendar": "office"}).calendar == "office"


def test_a_policy_that_says_little_starts_the_contract_notice_and_the_usual_review() -> None:
    found = policy()

    assert found.regimes == ["contract"]
    assert found.notice_regimes == []
    assert found.open_on is None
    assert found.review.contents == ["root cause", "contributing factors", "preventive actions"]
    assert found.review.actions_tracked is True


def test_a_policy_without_severities_or_a_review_duty_is_refused() -> None:
    assert refusal(IncidentPolicy, {**policy().model_dump(), "severities": []})[0] == (
        "severities",
    )
    written = policy().model_dump(mode="json")
    written["review"]["required_for"] = []
    assert refusal(IncidentPolicy, written)[0] == ("review", "required_for")


def test_incidents_open_on_breaches_or_burn_alerts_and_nothing_else() -> None:
    assert AutoOpen(on=["breach", "burn_alert"], severity="sev2").on == ["breach", "burn_alert"]
    assert refusal(AutoOpen, {"on": [], "severity": "sev2"})[0] == ("on",)
    assert refusal(AutoOpen, {"on": ["deviation"], "severity": "sev2"})[0] == ("on", 0)
