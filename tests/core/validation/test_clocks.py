"""Durations against calendars: on a business calendar a duration says 'business', on the wall
clock it does not, and on 24x7 both spellings mean the same."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.core.loader import load_agreement
from accord.core.problems import Problem
from tests.engine.builders import document

OFFICE = {"id": "office", "timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}
TICKETS = {
    "id": "tickets",
    "kind": "tickets",
    "format": "csv",
    "path": "tickets.csv",
    "key": "id",
    "columns": {
        "timestamp": {"column": "opened_at", "type": "timestamp"},
        "id": {"column": "ticket_id", "type": "string"},
        "answered_at": {"column": "answered_at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
    },
}


def clock(calendar: str, **fields: Any) -> dict[str, Any]:
    """A business-duration indicator of the time to answer a ticket, on ``calendar``."""
    return {
        "id": "answer",
        "name": "Time to answer",
        "kind": "business_duration",
        "source": "tickets",
        "start": "timestamp",
        "end": "answered_at",
        "calendar": calendar,
        "statistic": "percentile",
        "percentile": 90,
        **fields,
    }


def objective(target: str, tolerance: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": "answer-time",
        "name": "Time to answer",
        "indicator": "answer",
        "target": target,
        "tolerance": tolerance,
        "window": "month",
        **fields,
    }


def problems(**sections: Any) -> list[Problem]:
    defaults = {
        "calendars": [OFFICE],
        "sources": [TICKETS],
        "indicators": [clock("office")],
        "objectives": [objective("4 business hours", "6 business hours")],
    }
    text = json.dumps(document(defaults | sections))
    return load_agreement(text, "clocks.yaml").problems


def paths(found: list[Problem]) -> list[str]:
    return [problem.path for problem in found]


def test_business_durations_on_a_business_calendar_are_accepted() -> None:
    assert problems() == []


@pytest.mark.parametrize("plain", ["4h", "240 minutes", "1 day", "1 week"])
def test_a_plain_target_on_a_business_calendar_is_rejected(plain: str) -> None:
    (problem,) = problems(objectives=[objective(plain, "6 business hours")])

    assert problem.path == "objectives[0].target"
    assert "measured on the business calendar 'office', so it must say 'business'" in (
        problem.message
    )
    assert "business" in problem.hint


def test_the_hint_for_a_plain_day_names_both_readings() -> None:
    indicator = clock("office", statistic="within", threshold="1 day")
    del indicator["percentile"]
    objectives = [objective("90%", "80%")]

    (problem,) = problems(indicators=[indicator], objectives=objectives)

    assert problem.path == "indicators[0].threshold"
    assert problem.hint == (
        "write '1 business day' (a working day of 'office' is 8 hours) or '24 business hours'"
    )


@pytest.mark.parametrize("written", ["4h", "4 business hours"])
def test_on_24x7_plain_and_business_durations_are_both_accepted(written: str) -> None:
    assert problems(indicators=[clock("24x7")], objectives=[objective(written, "6h")]) == []


def test_tolerance_max_spread_and_credit_tiers_follow_the_indicators_calendar() -> None:
    spread = {"across": "region", "max_spread": "30m"}
    found = problems(
        objectives=[objective("4 business hours", "6h", scope=["region"], consistency=spread)],
        remedies={
            "claim_window": "30 days",
            "credits": [
                {
                    "id": "answer-credits",
                    "objectives": ["answer-time"],
                    "basis": "1000 EUR",
                    "tiers": [
                        {"above": "6 business hours", "credit": "5%"},
                        {"above": "1 day", "credit": "10%"},
                    ],
                    "cap": "10%",
                }
            ],
        },
    )

    assert paths(found) == [
        "objectives[0].tolerance",
        "objectives[0].consistency.max_spread",
        "remedies.credits[0].tiers[1].above",
    ]


def test_business_time_where_nothing_counts_working_time_is_rejected() -> None:
    latency = {
        "id": "answer",
        "name": "Time to answer (wall clock)",
        "kind": "mean_time",
        "source": "tickets",
        "start": "timestamp",
        "end": "answered_at",
    }
    found = problems(
        indicators=[latency],
        objectives=[objective("4 business hours", "6h")],
        remedies={"claim_window": "10 business days", "credits": []},
    )

    assert paths(found) == ["objectives[0].target", "remedies.claim_window"]
    assert found[0].message == (
        "target 4 business hours counts business time, but indicator 'answer' measures "
        "wall-clock time"
    )
    assert found[0].hint == "write it without 'business', e.g. '4 hours'"


def severity(calendar: str | None, acknowledge: str) -> dict[str, Any]:
    found = {
        "id": "sev2",
        "name": "Major",
        "classification": "Degraded",
        "acknowledge": acknowledge,
        "update_every": "2 business hours",
        "resolve": "2 business days",
    }
    return found if calendar is None else {**found, "calendar": calendar}


def incidents(*severities: dict[str, Any]) -> dict[str, Any]:
    return {
        "escalation": "ops",
        "on_call": "NOC",
        "severities": list(severities),
        "review": {"required_for": ["sev2"], "deadline": "5 business days"},
        "security_breach_notification": "24h",
    }


LADDER = {
    "id": "ops",
    "levels": [
        {
            "level": 1,
            "party": "seller",
            "owner": "NOC",
            "within": "2 business days",
            "authority": "All",
        }
    ],
}


def test_severity_clocks_on_a_business_calendar_say_business() -> None:
    found = problems(escalation=[LADDER], incidents=incidents(severity("office", "30m")))

    assert paths(found) == ["incidents.severities[0].acknowledge"]
    assert found[0].hint == "write '30 business minutes' to count the working time of 'office'"


def test_severity_clocks_on_24x7_may_be_written_either_way() -> None:
    assert problems(escalation=[LADDER], incidents=incidents(severity(None, "30m"))) == []


def test_durations_accord_does_not_measure_keep_their_written_form() -> None:
    # An escalation level's 'within', the review deadline and a notice period have no clock
    # Accord measures: business days there are accepted as the parties wrote them.
    found = problems(
        escalation=[LADDER],
        incidents=incidents(severity("office", "30 business minutes")),
        change_management={
            "notice": "10 business days",
            "approval": ["buyer"],
            "rollback": "Within one business day.",
        },
    )

    assert found == []


def test_business_days_and_hours_compare_by_the_calendars_working_day() -> None:
    # On an 8-hour calendar 10 business hours are more than 1 business day: a valid band.
    assert problems(objectives=[objective("1 business day", "10 business hours")]) == []
    (problem,) = problems(objectives=[objective("1 business day", "6 business hours")])
    assert problem.path == "objectives[0].tolerance"
    assert "is below the target" in problem.message


def test_a_measured_duration_needs_a_fixed_length() -> None:
    (problem,) = problems(objectives=[objective("4 business hours", "1 month")])

    assert problem.path == "objectives[0].tolerance"
    assert problem.message == (
        "tolerance 1 month has no fixed length: a month or year depends on where it starts"
    )


def test_a_claim_window_may_count_calendar_months() -> None:
    assert problems(remedies={"claim_window": "2 months", "credits": []}) == []
