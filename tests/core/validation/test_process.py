"""Checks of responsibilities, escalation, incidents and the other process sections: every
party, ladder, severity, calendar and change type they name exists, and the times they
give can be kept."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model import Agreement
from accord.core.validation.process import (
    check_escalation,
    check_incidents,
    check_other_references,
    check_responsibilities,
)
from accord.core.validation.refs import Finding, Refs
from tests.engine.builders import document

OPS = {
    "id": "ops",
    "levels": [
        {"level": 1, "party": "seller", "owner": "NOC", "within": "30m", "authority": "Roll back"},
        {"level": 2, "party": "seller", "owner": "CTO", "within": "4h", "authority": "Anything"},
    ],
}
OFFICE = {"id": "office", "timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}


def run(check: Any, **sections: Any) -> list[Finding]:
    model = Agreement.model_validate(document(sections))
    return list(check(model, Refs(model, frozenset(), frozenset())))


def said(found: list[Finding]) -> list[tuple[tuple[str | int, ...], str]]:
    return [(finding.path, finding.message) for finding in found]


def test_every_party_of_a_raci_row_is_placed_by_role_and_position() -> None:
    row = {
        "element": "API availability",
        "stage": "onboarding",
        "responsible": ["seller", "buyer"],
        "accountable": "seler",
        "consulted": ["buyer", "auditor"],
    }

    found = run(check_responsibilities, responsibilities=[row])

    assert said(found) == [
        (("responsibilities", 0, "stage"), "unknown journey stage 'onboarding'"),
        (("responsibilities", 0, "accountable"), "unknown party 'seler'"),
        (("responsibilities", 0, "consulted", 1), "unknown party 'auditor'"),
    ]


def test_an_escalation_level_needs_a_known_party_and_time_to_act() -> None:
    levels = [{**OPS["levels"][0], "within": "0m"}, {**OPS["levels"][1], "party": "cto"}]

    found = run(check_escalation, escalation=[{"id": "ops", "levels": levels}])

    assert said(found) == [
        (("escalation", 0, "levels", 0, "within"), "level 1 has no time to act (0 minutes)"),
        (("escalation", 0, "levels", 1, "party"), "unknown party 'cto'"),
    ]


def severity(severity_id: str, acknowledge: str, resolve: str, **more: Any) -> dict[str, Any]:
    return {
        "id": severity_id,
        "name": severity_id.title(),
        "classification": "Service down",
        "acknowledge": acknowledge,
        "update_every": "30m",
        "resolve": resolve,
        **more,
    }


def incidents(*severities: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "escalation": "ops",
        "on_call": "Seller NOC",
        "severities": list(severities),
        "review": {"required_for": ["sev1"], "deadline": "5 business days"},
        "security_breach_notification": "24h",
        **more,
    }


@pytest.mark.parametrize(
    ("acknowledge", "resolve", "late"),
    [
        ("4h", "4h", False),
        ("241m", "4h", True),
        ("2 business hours", "1 business days", False),
        # A business day is the calendar's working day (8 hours), not 24 hours.
        ("9 business hours", "1 business days", True),
        ("8 business hours", "1 business days", False),
        # Business against wall-clock time: which is longer depends on when it starts.
        ("5h", "2 business hours", False),
    ],
)
def test_acknowledging_may_not_take_longer_than_resolving(
    acknowledge: str, resolve: str, late: bool
) -> None:
    policy = incidents(severity("sev1", acknowledge, resolve, calendar="office"))

    found = run(check_incidents, calendars=[OFFICE], escalation=[OPS], incidents=policy)

    assert [f.path for f in found] == (
        [("incidents", "severities", 0, "acknowledge")] if late else []
    )


@pytest.mark.parametrize(("acknowledge", "late"), [("5h", True), ("2h", False)])
def test_on_24x7_business_and_wall_clock_times_compare(acknowledge: str, late: bool) -> None:
    policy = incidents(severity("sev1", acknowledge, "2 business hours"))

    found = run(check_incidents, escalation=[OPS], incidents=policy)

    assert [f.path for f in found] == (
        [("incidents", "severities", 0, "acknowledge")] if late else []
    )


def test_the_policy_s_ladder_severities_and_calendars_must_exist() -> None:
    policy = incidents(
        severity("sev1", "15m", "4h", calendar="ofice"),
        severity("sev1", "15m", "4h"),
        escalation="opps",
        review={"required_for": ["sev1", "sev3"], "deadline": "5 business days"},
        open_on={"on": ["breach"], "severity": "sev2"},
    )

    found = run(check_incidents, calendars=[OFFICE], escalation=[OPS], incidents=policy)

    assert said(found) == [
        (("incidents", "escalation"), "unknown escalation ladder 'opps'"),
        (("incidents", "severities", 1, "id"), "duplicate id 'sev1' in incidents.severities"),
        (("incidents", "severities", 0, "calendar"), "unknown calendar 'ofice'"),
        (("incidents", "review", "required_for", 1), "unknown severity 'sev3'"),
        (("incidents", "open_on", "severity"), "unknown severity 'sev2'"),
    ]


def test_an_own_notice_regime_may_not_take_a_built_in_id_and_every_named_one_exists() -> None:
    notice = {
        "id": "first",
        "name": "First notice",
        "owed_by": "provider",
        "recipient": "consumer",
        "after": "aware",
        "within": "24h",
    }
    own = {"id": "gdpr-art-33", "name": "Ours", "notices": [notice]}
    policy = incidents(
        severity("sev1", "15m", "4h"), notice_regimes=[own], regimes=["contract", "hipaa"]
    )

    found = run(check_incidents, escalation=[OPS], incidents=policy)

    assert said(found) == [
        (("incidents", "notice_regimes", 0, "id"), "'gdpr-art-33' is a built-in notice regime"),
        (("incidents", "regimes", 1), "no notice regime 'hipaa'"),
    ]
    assert found[1].hint.startswith("name one of contract, ")


def test_without_an_incident_policy_there_is_nothing_to_check() -> None:
    assert run(check_incidents) == []


def test_a_freeze_names_declared_change_types_and_approvers_are_parties() -> None:
    changes = {
        "notice": "14 days",
        "approval": ["buyer", "board"],
        "rollback": "Within one hour.",
        "change_types": [
            {"id": "dns", "name": "DNS change", "notice": "7 days", "approval": ["ceo"]},
        ],
        "freezes": [
            {
                "name": "Year end",
                "dates": [{"from": "2026-12-20", "to": "2027-01-03"}],
                "change_types": ["dns", "network"],
            }
        ],
    }

    found = run(check_other_references, change_management=changes)

    assert said(found) == [
        (("change_management", "freezes", 0, "change_types", 1), "no change type 'network'"),
        (("change_management", "approval", 1), "unknown party 'board'"),
        (("change_management", "change_types", 0, "approval", 0), "unknown party 'ceo'"),
    ]
    assert found[0].hint == "change types: dns"


def test_governance_names_known_participants_recipients_and_calendar() -> None:
    governance = {
        "review_cadence": "quarterly",
        "participants": ["buyer", "sellr"],
        "data_sharing": "Monthly reports.",
        "calendar": "office",
        "reports": [
            {"name": "Monthly", "schedule": "monthly", "recipients": ["cfo"], "formats": ["pdf"]}
        ],
    }

    found = run(check_other_references, governance=governance)

    assert said(found) == [
        (("governance", "participants", 1), "unknown party 'sellr'"),
        (("governance", "reports", 0, "recipients", 0), "unknown party 'cfo'"),
        (("governance", "calendar"), "unknown calendar 'office'"),
    ]


def test_support_channels_and_commitments_name_known_calendars_severities_and_parties() -> None:
    support = {
        "channels": [
            {"channel": "phone", "address": "+49 69 555 0100", "severities": ["sev1", "sev2"]},
            {"channel": "email", "address": "help@seller.example", "calendar": "desk"},
        ],
        "languages": ["en"],
    }
    commitment = {"id": "status-page", "party": "sellr", "behaviour": "Post every incident."}

    found = run(
        check_other_references,
        escalation=[OPS],
        incidents=incidents(severity("sev1", "15m", "4h")),
        support=support,
        commitments=[commitment],
    )

    assert said(found) == [
        (("commitments", 0, "party"), "unknown party 'sellr'"),
        (("support", "channels", 0, "severities", 1), "unknown severity 'sev2'"),
        (("support", "channels", 1, "calendar"), "unknown calendar 'desk'"),
    ]
