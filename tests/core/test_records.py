"""The verdict record: built from a verdict, serialised with decimal strings and typed
states, read back unchanged, v1 data still read, and malformed data named by its field."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from accord.core.model.measurement import Direction, ValueKind
from accord.core.periods import WindowSpan
from accord.core.records import (
    FORMAT,
    BudgetRecord,
    RecordError,
    Unit,
    VerdictRecord,
    record_of,
)
from accord.core.units import Money
from accord.core.verdicts import Budget, Coverage, CreditOwed, Outcome, Verdict

START = dt.datetime(2026, 9, 30, 22, tzinfo=dt.UTC)
END = dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC)


def verdict(**changes: Any) -> Verdict:
    fields: dict[str, Any] = {
        "objective": "availability",
        "scope": {"region": "eu"},
        "window": WindowSpan("2026-10", START, END),
        "outcome": Outcome.DEVIATION,
        "value": Decimal(1) / Decimal(3),
        "target": Decimal("0.999"),
        "tolerance": Decimal("0.99"),
        "value_kind": ValueKind.RATIO,
        "direction": Direction.HIGHER_IS_BETTER,
        "counts": {"valid": 3, "good": 1},
        "formula": "good / valid = 1 / 3",
        "computation": "1 of 3 good",
        "coverage": Coverage(Decimal(1), "31 of 31 days"),
        "agreement_version": "ab" * 32,
        "exclusions": {"maintenance": 2},
        "budget": Budget(
            Decimal("0.001"),
            Decimal("0.003"),
            2,
            Decimal("-1.997"),
            Decimal(2) / Decimal("0.003"),
            Decimal("1.5"),
            START + dt.timedelta(days=20),
            ("page: 2% of budget in 1h",),
        ),
    }
    return Verdict(**(fields | changes))


CREDIT = CreditOwed(
    scheme="availability-credits",
    objective="availability",
    scope="region=eu",
    tier=2,
    amount=Money(Decimal("250.00"), "EUR"),
    capped=False,
    claim_deadline="2026-12-31T23:00:00+00:00",
    rule="tier 2 of availability-credits",
)


def test_values_are_decimals_held_to_ten_places_without_trailing_zeros() -> None:
    record = record_of(verdict(), None)

    assert record.value == Decimal("0.3333333333")
    assert record.target == Decimal("0.999")
    assert str(record.coverage.ratio) == "1"
    assert record.unit is Unit.RATIO
    assert record.value_display == "33.3333%"


def test_the_serialisation_writes_decimals_as_strings_and_instants_in_iso_8601() -> None:
    data = record_of(verdict(), CREDIT).to_json()

    assert (data["value"], data["target"], data["tolerance"]) == ("0.3333333333", "0.999", "0.99")
    assert data["coverage"] == {
        "ratio": "1",
        "detail": "31 of 31 days",
        "minimum": None,
        "rule": "",
    }
    assert data["budget"]["exhausted"] is False
    assert data["budget"]["projected_exhaustion_at"] == "2026-10-20T22:00:00+00:00"
    assert data["budget"]["consumed_ratio"] == "666.6666666667"
    assert data["credit"]["amount"] == "250"
    assert data["credit"]["claim_deadline"] == "2026-12-31T23:00:00+00:00"
    assert json.loads(json.dumps(data)) == data  # plain JSON: no Decimal, no datetime


def test_a_record_reads_back_from_its_serialisation_unchanged() -> None:
    record = record_of(verdict(), CREDIT)

    again = VerdictRecord.from_json(json.loads(json.dumps(record.to_json())))

    assert again == record
    assert again.to_json() == record.to_json()


def test_an_exhausted_budget_is_a_state_not_a_string() -> None:
    spent = Budget(Decimal(0), Decimal(0), 1, Decimal(-1), None, None, None, exhausted=True)
    record = record_of(verdict(budget=spent), None)

    assert record.budget == BudgetRecord(
        Decimal(0),
        Decimal(0),
        1,
        Decimal(-1),
        None,
        None,
        exhausted=True,
        projected_exhaustion_at=None,
    )
    assert record.to_json()["budget"]["projected_exhaustion_at"] is None


def test_v1_data_with_floats_and_the_exhausted_string_still_reads() -> None:
    data = record_of(verdict(), CREDIT).to_json()
    data["value"], data["target"], data["tolerance"] = 0.3333333333, 0.999, 0.99
    data["coverage"]["ratio"] = 1.0
    data["budget"]["projected_exhaustion_at"] = "exhausted"
    del data["budget"]["exhausted"]

    record = VerdictRecord.from_json(data)

    assert (record.value, record.target) == (Decimal("0.3333333333"), Decimal("0.999"))
    assert record.budget is not None
    assert record.budget.exhausted
    assert record.budget.projected_exhaustion_at is None


def test_the_key_sorts_the_scope() -> None:
    record = record_of(verdict(scope={"region": "eu", "channel": "web"}), None)

    assert record.key == ("availability", (("channel", "web"), ("region", "eu")), "2026-10")
    assert record.scope_label == "region=eu, channel=web"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": "a lot"}, "verdict.value: expected a decimal string"),
        ({"value": "NaN"}, "verdict.value: expected a finite decimal"),
        ({"outcome": "fine"}, "verdict.outcome: expected 'met' or 'deviation'"),
        ({"counts": {"valid": 1.5}}, "verdict.counts: expected an object of whole numbers"),
        (
            {"window": {"label": "x", "start": "2026-10-01", "end": "2026-11-01"}},
            "verdict.window.start: expected an instant with its UTC offset",
        ),
        ({"credit": {"scheme": "s"}}, "verdict.credit.tier: missing"),
    ],
)
def test_malformed_data_is_named_by_its_field(change: dict[str, object], message: str) -> None:
    data = record_of(verdict(), None).to_json() | change

    with pytest.raises(RecordError) as raised:
        VerdictRecord.from_json(data)

    assert message in str(raised.value)


def test_the_format_is_versioned() -> None:
    assert FORMAT == "accord.verdicts/v2"
    assert VerdictRecord.VERSION == 2
