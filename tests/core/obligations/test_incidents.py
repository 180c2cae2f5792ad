"""An incident's clocks by its severity (on the severity's calendar: business time across
weekends, the clock change and bank holidays), and the escalation ladder frozen onto it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accord.core.calendars.clock import BusinessCalendar
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.model.incidents import Severity
from accord.core.obligations.incidents import (
    calendar_of,
    escalation_instants,
    freeze_ladder,
    incident_obligations,
    ladder_from_json,
    ladder_to_json,
    severity_of,
    update_obligation,
)

EXAMPLE = Path(__file__).parents[3] / "examples" / "payments-api.yaml"
LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert loaded.agreement is not None, loaded.problems
    return loaded.agreement


def severity(agreement: Agreement, severity_id: str) -> Severity:
    found = severity_of(agreement, severity_id)
    assert found is not None
    return found


def london(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON).astimezone(UTC)


def dues(
    agreement: Agreement, severity_id: str, reported_at: dt.datetime
) -> dict[str, dt.datetime]:
    found = incident_obligations(7, agreement, severity(agreement, severity_id), reported_at)
    return {obligation.kind: obligation.due_at for obligation in found}


def test_a_critical_incident_runs_on_the_wall_clock(agreement: Agreement) -> None:
    reported = dt.datetime(2026, 10, 24, 23, 50, tzinfo=UTC)  # a Saturday night

    assert dues(agreement, "sev1", reported) == {
        "acknowledge": reported + dt.timedelta(minutes=15),
        "resolve": reported + dt.timedelta(hours=4),
    }


def test_the_duties_name_the_provider_their_key_and_their_clock(agreement: Agreement) -> None:
    acknowledge, resolve = incident_obligations(
        7, agreement, severity(agreement, "sev2"), london(2026, 10, 20, 9)
    )

    assert (acknowledge.key, resolve.key) == ("incident:7:acknowledge", "incident:7:resolve")
    assert acknowledge.party == resolve.party == "payco"
    assert acknowledge.calendar == "london-support"
    assert acknowledge.subject == "acknowledge incident 7 (sev2) within 30 business minutes"


def test_a_major_incident_reported_on_saturday_is_acknowledged_by_monday_08_30(
    agreement: Agreement,
) -> None:
    due = dues(agreement, "sev2", london(2026, 10, 17, 10))

    assert due["acknowledge"] == london(2026, 10, 19, 8, 30)


def test_a_business_day_to_resolve_spans_the_weekend_and_the_clock_change(
    agreement: Agreement,
) -> None:
    # Friday 17:00 BST leaves one working hour; nine more on Monday, in GMT by then.
    due = dues(agreement, "sev2", london(2026, 10, 23, 17))

    assert due["resolve"] == london(2026, 10, 26, 17)
    assert due["resolve"] == dt.datetime(2026, 10, 26, 17, tzinfo=UTC)


def test_english_bank_holidays_stop_the_clock(agreement: Agreement) -> None:
    # Christmas Day is a Friday in 2026 and Boxing Day's holiday moves to Monday the 28th.
    due = dues(agreement, "sev2", london(2026, 12, 24, 17))

    assert due["resolve"] == london(2026, 12, 29, 17)


def test_each_status_update_is_due_update_every_after_the_previous(agreement: Agreement) -> None:
    sev2 = severity(agreement, "sev2")
    first = update_obligation(7, 1, agreement, sev2, london(2026, 10, 20, 17))

    second = update_obligation(7, 2, agreement, sev2, first.due_at)

    assert first.key == "incident:7:update:1"
    assert first.due_at == london(2026, 10, 21, 9)  # one hour on Tuesday, one on Wednesday
    assert second.due_at == london(2026, 10, 21, 11)


def test_an_unknown_severity_is_none(agreement: Agreement) -> None:
    assert severity_of(agreement, "sev9") is None
    assert severity_of(agreement.model_copy(update={"incidents": None}), "sev1") is None


# -- the escalation ladder ------------------------------------------------------------


def test_the_ladder_is_frozen_with_the_addresses_each_rung_is_reached_at(
    agreement: Agreement,
) -> None:
    ladder = freeze_ladder(agreement)

    assert [(level.level, level.within) for level in ladder] == [
        (1, "30 minutes"),
        (2, "2 hours"),
        (3, "8 hours"),
    ]
    assert ladder[0].emails == ("noc@payco.example",)  # its own contact
    assert ladder[1].emails == ("partners@payco.example", "noc@payco.example")  # its party's
    assert ladder_from_json(ladder_to_json(ladder)) == ladder


def test_without_an_incident_policy_there_is_no_ladder(agreement: Agreement) -> None:
    assert freeze_ladder(agreement.model_copy(update={"incidents": None})) == ()


def test_each_rung_is_told_when_the_one_before_has_had_its_time(agreement: Agreement) -> None:
    lapsed = dt.datetime(2026, 10, 24, 22, tzinfo=UTC)

    told = escalation_instants(lapsed, freeze_ladder(agreement), BusinessCalendar.always())

    assert [(level.level, at) for level, at in told] == [
        (1, lapsed),
        (2, lapsed + dt.timedelta(minutes=30)),
        (3, lapsed + dt.timedelta(hours=2, minutes=30)),
    ]


def test_on_a_business_calendar_the_ladder_waits_for_working_hours(agreement: Agreement) -> None:
    lapsed = london(2026, 10, 23, 17, 45)  # a Friday, fifteen working minutes left

    told = escalation_instants(
        lapsed, freeze_ladder(agreement), calendar_of(agreement, "london-support")
    )

    assert [at for _, at in told] == [
        lapsed,
        london(2026, 10, 26, 8, 15),  # 15 minutes on Friday, 15 on Monday
        london(2026, 10, 26, 10, 15),
    ]


def test_the_built_in_calendar_is_always_open(agreement: Agreement) -> None:
    always = calendar_of(agreement, "24x7")
    start = dt.datetime(2026, 12, 25, tzinfo=UTC)

    assert escalation_instants(start, freeze_ladder(agreement)[:2], always)[1][1] == (
        start + dt.timedelta(minutes=30)
    )
