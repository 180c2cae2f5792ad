"""The agreement an import writes: placeholders for parties and term, the imported stages,
sources, indicators and objectives (the first of each id kept), the notes as its header,
and Accord's own loader as the judge of what is handed out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.connectors.openslo.documents import InterchangeError, Notes
from accord.connectors.openslo.indicators import Measure
from accord.connectors.openslo.skeleton import Skeleton
from accord.core.loader import load_agreement
from tests.engine.requests import REQUESTS_SOURCE, SUCCESS, availability

TODAY = dt.date(2026, 12, 5)
RATIO = Measure(REQUESTS_SOURCE, {k: v for k, v in SUCCESS.items() if k not in ("id", "name")})


def filled() -> Skeleton:
    skeleton = Skeleton(TODAY)
    skeleton.stage("checkout", "Checkout API", "Card payments.")
    skeleton.measure("success", "Successful requests", RATIO)
    skeleton.objectives.append(availability(stage="checkout"))
    return skeleton


def test_the_first_stage_named_gives_the_title_and_each_stage_is_added_once() -> None:
    skeleton = Skeleton(TODAY)

    skeleton.stage("checkout", "Checkout API", "Card payments.")
    skeleton.stage("search", "Search")
    again = skeleton.stage("checkout", "Another name")

    assert again == "checkout"
    assert skeleton.title == "Checkout API"
    assert list(skeleton.stages.values()) == [
        {
            "id": "checkout",
            "name": "Checkout API",
            "kind": "other",
            "description": "Card payments.",
        },
        {"id": "search", "name": "Search", "kind": "other"},
    ]


def test_the_first_time_zone_holds_and_another_is_noted() -> None:
    skeleton, notes = Skeleton(TODAY), Notes()

    skeleton.timezone("Europe/Berlin", "a.yaml:3", notes)
    skeleton.timezone("Europe/Berlin", "a.yaml:9", notes)
    skeleton.timezone("America/New_York", "b.yaml:2", notes)

    assert skeleton.zone == "Europe/Berlin"
    assert notes.lines == [
        "b.yaml:2: time zone America/New_York differs from Europe/Berlin; windows use Europe/Berlin"
    ]


def test_a_source_read_by_several_slis_is_written_once_and_an_indicator_keeps_its_first_form() -> (
    None
):
    skeleton = Skeleton(TODAY)
    other = Measure({**REQUESTS_SOURCE, "path": "elsewhere.csv"}, {**RATIO.indicator, "good": "x"})

    skeleton.measure("success", "Successful requests", RATIO)
    skeleton.measure("success", "Renamed", other)
    skeleton.measure("also", "Also", other)

    assert list(skeleton.sources) == ["requests"]
    assert skeleton.sources["requests"]["path"] == "requests.csv"
    assert skeleton.indicators["success"]["name"] == "Successful requests"
    assert skeleton.indicators["success"]["good"] == "status < 500"


def test_parties_and_term_are_placeholders_starting_today() -> None:
    data = filled().data()

    assert [(p["id"], p["role"]) for p in data["parties"]] == [
        ("consumer", "consumer"),
        ("provider", "provider"),
    ]
    assert data["term"]["effective"] == "2026-12-05"
    assert data["metadata"] == {"id": "checkout-api", "title": "Checkout API", "version": "0.1"}


def test_without_a_stage_or_a_zone_the_title_is_generic_and_windows_use_utc() -> None:
    data = Skeleton(TODAY).data()

    assert data["metadata"]["title"] == "Imported service level objectives"
    assert data["timezone"] == "UTC"


def test_the_text_is_a_valid_agreement_with_the_notes_as_its_header() -> None:
    notes = Notes()
    notes.add("slo.yaml:4", "AlertPolicy fast-burn: not carried")

    text = filled().text(notes)

    assert text.splitlines()[:2] == [
        "# Imported: parties and term are placeholders to fill in.",
        "# slo.yaml:4: AlertPolicy fast-burn: not carried",
    ]
    loaded = load_agreement(text, "imported.yaml")
    assert loaded.ok, loaded.problems
    assert loaded.agreement is not None
    assert [o.id for o in loaded.agreement.objectives] == ["availability"]


def test_empty_sections_are_left_out_of_the_text() -> None:
    skeleton = filled()
    skeleton.stages.clear()
    skeleton.objectives[0] = availability()

    text = skeleton.text(Notes())

    assert "journey:" not in text
    assert "objectives:" in text


@pytest.mark.parametrize(
    ("objective", "problem"),
    [
        (availability(indicator="nowhere"), "objectives[0].indicator: unknown indicator 'nowhere'"),
        (availability(target="90%", tolerance="95%"), "objectives[0].tolerance: tolerance 95%"),
    ],
)
def test_an_import_that_is_not_a_valid_agreement_is_refused_naming_its_problems(
    objective: dict[str, Any], problem: str
) -> None:
    skeleton = filled()
    skeleton.objectives[0] = objective

    with pytest.raises(InterchangeError, match="the imported agreement is not valid: ") as raised:
        skeleton.text(Notes())

    assert problem in str(raised.value)
