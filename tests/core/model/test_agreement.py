"""The agreement, the root of the language: two files that mean the same share one version
hash, a version takes effect at an instant read in the agreement's time zone (daylight
saving included), and the data cutoff is whole business days or fixed wall-clock time."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from accord.core.closing import DEFAULT_DATA_CUTOFF
from accord.core.model import Agreement
from accord.core.units import Duration
from tests.core.model.refused import refusal
from tests.engine.builders import document

OBJECTIVES: dict[str, Any] = {
    "sources": [
        {
            "id": "requests",
            "kind": "events",
            "format": "csv",
            "path": "requests.csv",
            "columns": {"timestamp": {"column": "ts", "type": "timestamp"}},
        }
    ],
    "indicators": [
        {"id": "ok", "name": "OK", "kind": "ratio", "source": "requests", "good": "true"}
    ],
    "objectives": [
        {
            "id": "uptime",
            "name": "Uptime",
            "indicator": "ok",
            "target": "99.9%",
            "tolerance": "99.5%",
            "window": "month",
        }
    ],
}


def written(**sections: Any) -> dict[str, Any]:
    """The document as plain data of its own, free to edit."""
    return copy.deepcopy(document(sections, sparse=False))


def agreement(**sections: Any) -> Agreement:
    return Agreement.model_validate(written(**sections))


def test_the_dump_leaves_out_defaults_and_reads_back_to_the_same_agreement() -> None:
    written = agreement(**OBJECTIVES)
    dumped = written.dump()

    assert dumped["apiVersion"] == "accord/v1"
    assert "calendars" not in dumped  # a default, left out
    assert "minimum_events" not in dumped["objectives"][0]
    assert Agreement.model_validate(dumped) == written


def test_two_files_that_mean_the_same_share_one_version_hash() -> None:
    plain = agreement(**OBJECTIVES)
    spelled_out = written(**OBJECTIVES)
    spelled_out["objectives"][0] |= {"window": "Month", "minimum_events": 1, "scope": []}
    spelled_out["term"]["termination_notice"] = "3 month"
    spelled_out["calendars"] = []
    reordered = dict(reversed(list(spelled_out.items())))

    assert Agreement.model_validate(reordered).version_hash() == plain.version_hash()


def test_a_change_of_meaning_changes_the_version_hash() -> None:
    stricter = written(**OBJECTIVES)
    stricter["objectives"][0]["target"] = "99.95%"

    assert (
        Agreement.model_validate(stricter).version_hash() != agreement(**OBJECTIVES).version_hash()
    )


@pytest.mark.parametrize(
    ("effective", "instant"),
    [
        (None, None),
        ("2026-11-01", dt.datetime(2026, 10, 31, 23, 0, tzinfo=dt.UTC)),  # CET, +01:00
        ("2026-07-01", dt.datetime(2026, 6, 30, 22, 0, tzinfo=dt.UTC)),  # CEST, +02:00
        ("2026-11-01T08:30:00-05:00", dt.datetime(2026, 11, 1, 13, 30, tzinfo=dt.UTC)),
        # The autumn hour that happens twice: its first occurrence (still summer time).
        ("2026-10-25T02:30:00", dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)),
        # A local time the spring change skips: read with winter time's offset (03:30 CEST).
        ("2026-03-29T02:30:00", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)),
    ],
)
def test_a_version_takes_effect_at_local_time_in_the_agreements_zone_unless_an_offset_is_given(
    effective: str | None, instant: dt.datetime | None
) -> None:
    versioned = written()
    if effective is not None:
        versioned["metadata"]["effective"] = effective

    assert Agreement.model_validate(versioned).effective_at() == instant


def test_data_arrives_for_five_business_days_unless_the_agreement_says_otherwise() -> None:
    assert agreement().cutoff() == DEFAULT_DATA_CUTOFF == Duration.parse("5 business days")
    assert agreement(data_cutoff="48 hours").cutoff() == Duration.parse("48 hours")
    assert agreement(data_cutoff="10 business days").cutoff() == Duration.parse("10 business days")


@pytest.mark.parametrize(
    ("cutoff", "message"),
    [
        (
            "36 business hours",
            "data_cutoff 36 business hours: business time is counted in whole business days here",
        ),
        (
            "2.5 business days",
            "data_cutoff 2.5 business days: business time is counted in whole business days here",
        ),
        ("1 month", "data_cutoff 1 month has no fixed length"),
    ],
)
def test_a_cutoff_is_whole_business_days_or_fixed_wall_clock_time(
    cutoff: str, message: str
) -> None:
    assert refusal(Agreement, written(data_cutoff=cutoff))[:2] == (
        ("data_cutoff",),
        message,
    )


def test_an_agreement_binds_at_least_two_parties_and_finds_them_by_role_or_id() -> None:
    bound = agreement()

    assert (bound.consumer().id, bound.provider().id) == ("buyer", "seller")
    assert bound.party("seller").name == "Seller AG"
    alone = written()
    alone["parties"] = alone["parties"][:1]
    assert refusal(Agreement, alone)[0] == ("parties",)


def test_only_version_1_of_the_language_is_read() -> None:
    assert refusal(Agreement, {**written(), "apiVersion": "accord/v2"})[0] == ("apiVersion",)
