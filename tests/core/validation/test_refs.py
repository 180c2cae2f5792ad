"""The identifiers an agreement defines, and the findings of references to them: a close
name is guessed, the known ones are listed, what the loader had to cut is tolerated, and a
duplicate id neither hides its first definition nor goes unreported."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.core.model import Agreement
from accord.core.validation.refs import DayLength, Finding, Refs, duplicates
from tests.engine.builders import document
from tests.engine.requests import P90_LATENCY, REQUESTS_SOURCE, SUCCESS

OFFICE = {"id": "office", "timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:30"}}
TICKETS = {
    "id": "tickets",
    "kind": "tickets",
    "format": "csv",
    "path": "tickets.csv",
    "timestamp": "opened",
    "columns": {
        "opened": {"column": "opened_at", "type": "timestamp"},
        "answered": {"column": "answered_at", "type": "timestamp"},
    },
}


def answer_time(calendar: str) -> dict[str, Any]:
    return {
        "id": "answer",
        "name": "Time to answer",
        "kind": "business_duration",
        "source": "tickets",
        "start": "opened",
        "end": "answered",
        "calendar": calendar,
        "statistic": "percentile",
        "percentile": 90,
    }


def refs_of(
    sections: dict[str, Any],
    tolerated: frozenset[str] = frozenset(),
    kinds: frozenset[str] = frozenset(),
) -> Refs:
    """The references of an agreement typed but not yet checked for meaning."""
    return Refs(Agreement.model_validate(document(sections)), tolerated, kinds)


def test_an_unknown_reference_guesses_the_closest_name_and_lists_the_known_ones() -> None:
    refs = refs_of({})

    (finding,) = refs.missing(("sources", 0, "owner"), "party", "sellr", refs.parties)

    assert finding == Finding(
        ("sources", 0, "owner"),
        "unknown party 'sellr'",
        "did you mean 'seller'? known parties: buyer, seller",
    )


def test_without_a_close_name_only_the_known_ones_are_listed_in_the_plural() -> None:
    refs = refs_of({"journey": [{"id": "onboarding", "name": "Onboarding", "kind": "other"}]})

    (finding,) = refs.missing(("x",), "journey stage", "zzz", refs.stages)

    assert finding.hint == "known journey stages: onboarding"


def test_with_nothing_of_the_kind_defined_the_hint_says_to_define_it() -> None:
    refs = refs_of({})

    (finding,) = refs.missing(("x",), "escalation ladder", "ops", refs.ladders)

    assert finding.message == "unknown escalation ladder 'ops'"
    assert finding.hint == "define the escalation ladder first"


def test_a_known_name_or_no_name_at_all_is_no_finding() -> None:
    refs = refs_of({})

    assert list(refs.missing(("x",), "party", "buyer", refs.parties)) == []
    assert list(refs.missing(("x",), "party", None, refs.parties)) == []


def test_references_to_what_the_loader_cut_are_tolerated_by_id_or_by_kind() -> None:
    by_id = refs_of({}, tolerated=frozenset({"gone"}))
    by_kind = refs_of({}, kinds=frozenset({"party"}))

    assert list(by_id.missing(("x",), "party", "gone", by_id.parties)) == []
    assert list(by_id.missing(("x",), "party", "other", by_id.parties)) != []
    assert list(by_kind.missing(("x",), "party", "anyone", by_kind.parties)) == []
    assert list(by_kind.missing(("x",), "calendar", "anyone", by_kind.calendars)) != []


def test_the_built_in_24x7_calendar_is_always_known_and_counts_whole_days() -> None:
    refs = refs_of({})

    assert "24x7" in refs.calendars
    assert refs.days["24x7"] == DayLength(Decimal(86400), always=True)


def test_a_calendar_s_business_day_is_its_typical_working_day() -> None:
    refs = refs_of({"calendars": [OFFICE]})

    assert refs.days["office"] == DayLength(Decimal(8 * 3600 + 30 * 60))


def test_only_a_business_duration_has_a_day_and_only_on_a_known_calendar() -> None:
    sections = {
        "calendars": [OFFICE],
        "sources": [TICKETS, REQUESTS_SOURCE],
        "indicators": [answer_time("office"), SUCCESS],
    }
    refs = refs_of(sections)
    unknown = refs_of({**sections, "indicators": [answer_time("offise")]})

    assert refs.day_of(refs.indicators["answer"]) == DayLength(Decimal(30600))
    assert refs.day_of(refs.indicators["success"]) is None
    assert unknown.day_of(unknown.indicators["answer"]) is None


def test_with_duplicate_ids_a_reference_resolves_to_the_first_definition() -> None:
    second = {**P90_LATENCY, "id": "success"}
    refs = refs_of({"sources": [REQUESTS_SOURCE], "indicators": [SUCCESS, second]})

    assert refs.indicators["success"].kind == "ratio"


def test_every_repetition_of_an_id_is_a_duplicate_placed_at_its_own_index() -> None:
    found = list(duplicates("remedies.credits", ["a", "b", "a", "a", "b"]))

    assert [finding.path for finding in found] == [
        ("remedies", "credits", 2, "id"),
        ("remedies", "credits", 3, "id"),
        ("remedies", "credits", 4, "id"),
    ]
    assert found[0].message == "duplicate id 'a' in remedies.credits"
    assert list(duplicates("parties", ["a", "b"])) == []
