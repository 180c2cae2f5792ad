"""Checks of parties, term, sources, indicators, objectives and exclusions, each run on an
agreement that is well typed but means something impossible."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model import Agreement
from accord.core.problems import Severity
from accord.core.validation.refs import Finding, Refs
from accord.core.validation.structure import (
    check_exclusions,
    check_indicators,
    check_objectives,
    check_parties,
    check_sources,
    check_term,
    check_unique_ids,
)
from tests.engine.builders import MAINTENANCE_SOURCE, document
from tests.engine.requests import P90_LATENCY, REQUESTS_SOURCE, SUCCESS, availability

TICKETS = {
    "id": "tickets",
    "kind": "tickets",
    "format": "csv",
    "path": "tickets.csv",
    "timestamp": "opened",
    "columns": {
        "opened": {"column": "opened_at", "type": "timestamp"},
        "answered": {"column": "answered_at", "type": "string"},
        "ticket": {"column": "ticket_id", "type": "string"},
    },
}
ANSWER = {
    "id": "answer",
    "name": "Time to answer",
    "kind": "business_duration",
    "source": "tickets",
    "start": "opened",
    "end": "answered",
    "calendar": "24x7",
    "statistic": "mean",
}


def agreement(**sections: Any) -> Agreement:
    return Agreement.model_validate(document(sections))


def run(check: Any, model: Agreement) -> list[Finding]:
    return list(check(model, Refs(model, frozenset(), frozenset())))


def paths(found: list[Finding]) -> list[tuple[str | int, ...]]:
    return [finding.path for finding in found]


def requests_with(*objectives: dict[str, Any], **sections: Any) -> Agreement:
    return agreement(
        sources=[REQUESTS_SOURCE],
        indicators=[SUCCESS, P90_LATENCY, *sections.pop("indicators", [])],
        objectives=list(objectives),
        **sections,
    )


# -- ids and parties --------------------------------------------------------------------


def test_a_duplicate_id_is_placed_in_its_own_section() -> None:
    model = requests_with(availability(), availability(), indicators=[SUCCESS])

    assert paths(run(check_unique_ids, model)) == [
        ("indicators", 2, "id"),
        ("objectives", 1, "id"),
    ]


def party(party_id: str, role: str) -> dict[str, str]:
    return {"id": party_id, "name": party_id.title(), "role": role}


def test_an_agreement_without_consumer_or_provider_is_told_both() -> None:
    model = agreement(parties=[party("a", "auditor"), party("b", "other")])

    found = run(check_parties, model)

    assert [f.message for f in found] == [
        "an agreement has exactly one consumer; found none",
        "an agreement needs a provider; no party has role provider",
    ]


def test_each_consumer_after_the_first_is_named_against_the_first() -> None:
    parties = [party("a", "consumer"), party("p", "provider"), party("b", "consumer")]
    parties.append(party("c", "consumer"))

    found = run(check_parties, agreement(parties=parties))

    assert paths(found) == [("parties", 2, "role"), ("parties", 3, "role")]
    assert found[1].message.startswith("party 'c' is a second consumer (after 'a')")


# -- term -------------------------------------------------------------------------------


def term(**changes: Any) -> dict[str, Any]:
    return {
        "effective": "2026-01-01",
        "renewal": {"mode": "manual", "notice": "3 months"},
        "termination_notice": "3 months",
        **changes,
    }


@pytest.mark.parametrize("end", ["2026-01-01", "2025-12-31"])
def test_a_term_ending_on_or_before_its_first_day_is_refused(end: str) -> None:
    (finding,) = run(check_term, agreement(term=term(end=end)))

    assert finding.path == ("term", "end")


def test_a_term_of_one_day_is_accepted() -> None:
    assert run(check_term, agreement(term=term(end="2026-01-02"))) == []


def test_a_term_of_no_length_and_automatic_renewal_without_period_are_refused() -> None:
    renewal = {"mode": "auto", "notice": "1 month"}
    model = agreement(term=term(duration="0 months", renewal=renewal))

    assert paths(run(check_term, model)) == [
        ("term", "duration"),
        ("term", "renewal"),
        ("term", "renewal", "notice"),
    ]


def test_a_notice_longer_than_the_term_is_a_warning_and_one_as_long_is_not() -> None:
    renewal = {"mode": "manual", "notice": "13 months"}
    (longer,) = run(check_term, agreement(term=term(duration="12 months", renewal=renewal)))
    as_long = {"mode": "manual", "notice": "12 months"}

    assert longer.path == ("term", "renewal", "notice")
    assert longer.severity is Severity.WARNING
    assert run(check_term, agreement(term=term(duration="12 months", renewal=as_long))) == []


# -- sources and indicators -------------------------------------------------------------


def test_expected_on_is_for_dense_sources_and_names_a_known_calendar() -> None:
    tickets = {**TICKETS, "expected_on": "office"}
    requests = {**REQUESTS_SOURCE, "expected_on": "ofice"}

    found = run(check_sources, agreement(sources=[tickets, requests]))

    assert paths(found) == [
        ("sources", 0, "expected_on"),
        ("sources", 0, "expected_on"),
        ("sources", 1, "expected_on"),
    ]
    assert found[0].message == "expected_on applies to events and probes, not to a tickets source"
    assert found[2].message == "unknown calendar 'ofice'"


@pytest.mark.parametrize(
    ("kind", "written"), [("incidents", "an incidents source"), ("surveys", "a surveys source")]
)
def test_a_source_kind_is_named_with_its_article(kind: str, written: str) -> None:
    office = {"id": "office", "timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}
    source = {**TICKETS, "kind": kind, "expected_on": "office"}

    (finding,) = run(check_sources, agreement(calendars=[office], sources=[source]))

    assert finding.message == f"expected_on applies to events and probes, not to {written}"


def test_an_indicator_on_an_unknown_source_is_told_nothing_else() -> None:
    broken = {**SUCCESS, "source": "request", "good": "nonsense = 1"}

    (finding,) = run(check_indicators, agreement(sources=[REQUESTS_SOURCE], indicators=[broken]))

    assert finding.message == "unknown source 'request'"
    assert finding.hint.startswith("did you mean 'requests'?")


def test_every_column_a_condition_names_must_be_in_the_source() -> None:
    broken = {**SUCCESS, "good": "status < 500 and colour = 'red'", "valid": "zone <> 'x'"}

    found = run(check_indicators, agreement(sources=[REQUESTS_SOURCE], indicators=[broken]))

    assert [(f.path, f.message) for f in found] == [
        (("indicators", 0, "good"), "column 'colour' is not in source 'requests'"),
        (("indicators", 0, "valid"), "column 'zone' is not in source 'requests'"),
    ]


def test_a_percentile_of_a_text_column_is_refused() -> None:
    broken = {**P90_LATENCY, "measure": "region"}

    (finding,) = run(check_indicators, agreement(sources=[REQUESTS_SOURCE], indicators=[broken]))

    assert finding.path == ("indicators", 0, "measure")
    assert finding.message == "measure 'region' is a string column, not a number"


@pytest.mark.parametrize(
    ("measure", "threshold", "wanted"),
    [("latency", "300", "a duration such as '300ms'"), ("status", "300ms", "a plain number")],
)
def test_a_threshold_is_written_like_its_measure(measure: str, threshold: str, wanted: str) -> None:
    fast = {
        "id": "fast",
        "name": "Fast",
        "kind": "threshold",
        "source": "requests",
        "measure": measure,
        "threshold": threshold,
    }

    (finding,) = run(check_indicators, agreement(sources=[REQUESTS_SOURCE], indicators=[fast]))

    assert finding.path == ("indicators", 0, "threshold")
    assert wanted in finding.message


def test_a_business_clock_runs_between_timestamps_on_a_known_calendar() -> None:
    broken = {**ANSWER, "calendar": "offce"}

    found = run(check_indicators, agreement(sources=[TICKETS], indicators=[broken]))

    assert [(f.path, f.message) for f in found] == [
        (("indicators", 0, "calendar"), "unknown calendar 'offce'"),
        (
            ("indicators", 0, "end"),
            "end column 'answered' is a string column, not a timestamp",
        ),
    ]


def test_pauses_come_from_a_status_changes_source_keyed_like_the_tickets() -> None:
    answered = {"column": "answered_at", "type": "timestamp"}
    tickets = {**TICKETS, "columns": {**TICKETS["columns"], "answered": answered}}
    paused = {**ANSWER, "pauses": {"source": "requests", "status": "state", "states": ["waiting"]}}

    found = run(
        check_indicators, agreement(sources=[tickets, REQUESTS_SOURCE], indicators=[paused])
    )

    assert [f.message for f in found] == [
        "source 'requests' is an events source, not status_changes",
        "pauses need a 'key' on both the ticket source and the status source",
        "column 'state' is not in source 'requests'",
    ]


# -- objectives -------------------------------------------------------------------------


def test_a_tolerance_equal_to_the_target_is_a_band_of_one_value() -> None:
    model = requests_with(availability(target="99%", tolerance="99%"))

    assert run(check_objectives, model) == []


@pytest.mark.parametrize(
    ("objective", "message"),
    [
        (
            availability(target="99%", tolerance="99.01%"),
            "tolerance 99.01% is above the target 99%",
        ),
        (
            availability(indicator="tail", target="800ms", tolerance="799ms", scope=[]),
            "tolerance 799 milliseconds is below the target 800 milliseconds",
        ),
    ],
)
def test_a_tolerance_on_the_better_side_of_the_target_is_refused(
    objective: dict[str, Any], message: str
) -> None:
    (finding,) = run(check_objectives, requests_with(objective))

    assert finding.path == ("objectives", 0, "tolerance")
    assert finding.message.startswith(message)


def test_a_target_of_the_wrong_kind_stops_the_band_check() -> None:
    (finding,) = run(check_objectives, requests_with(availability(target="300ms")))

    assert finding.path == ("objectives", 0, "target")


def test_scope_condition_and_consistency_name_columns_of_the_source() -> None:
    objective = availability(
        scope=["region", "tenant"],
        where="colour = 'red'",
        consistency={"across": "zone", "max_spread": "1%"},
    )

    found = run(check_objectives, requests_with(objective))

    assert [(f.path, f.message) for f in found] == [
        (("objectives", 0, "scope", 1), "scope 'tenant' is not a column of source 'requests'"),
        (("objectives", 0, "where"), "column 'colour' is not in source 'requests'"),
        (
            ("objectives", 0, "consistency", "across"),
            "consistency across 'zone' needs it in the scope",
        ),
    ]


def test_an_objective_on_an_unknown_indicator_is_told_nothing_else() -> None:
    objective = availability(indicator="sucess", target="300ms", stage="nowhere")

    found = run(check_objectives, requests_with(objective))

    assert [f.message for f in found] == [
        "unknown journey stage 'nowhere'",
        "unknown indicator 'sucess'",
    ]


# -- exclusions -------------------------------------------------------------------------


def test_an_exclusion_names_columns_of_its_source() -> None:
    planned = {
        "id": "planned",
        "kind": "maintenance",
        "description": "Announced maintenance.",
        "source": "maintenance",
        "ends": "finished_at",
        "notice": "5 days",
    }

    found = run(check_exclusions, agreement(sources=[MAINTENANCE_SOURCE], exclusions=[planned]))

    assert [(f.path, f.message) for f in found] == [
        (("exclusions", 0, "ends"), "column 'finished_at' is not in source 'maintenance'"),
    ]
