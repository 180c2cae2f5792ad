"""Indicators and objectives in words a non-engineer can follow."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.reports.describe import measured_as, ordinal, window_phrase, words_of

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def _agreement() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    assert loaded.agreement is not None
    return loaded.agreement


@pytest.mark.parametrize(
    ("number", "shown"),
    [("1", "1st"), ("2", "2nd"), ("3", "3rd"), ("11", "11th"), ("99", "99th"), ("99.9", "99.9th")],
)
def test_ordinals(number: str, shown: str) -> None:
    assert ordinal(Decimal(number)) == shown


def test_a_registered_kind_has_its_own_sentence() -> None:
    agreement = _agreement()
    latency = next(i for i in agreement.indicators if i.id == "latency-p99")

    assert measured_as(latency, agreement) == "the 99th percentile of latency"


def test_a_kind_without_a_sentence_here_speaks_its_own_words() -> None:
    agreement = _agreement()
    throughput = next(i for i in agreement.indicators if i.kind == "throughput")

    assert measured_as(throughput, agreement) == throughput.in_words()


def test_windows_and_identifiers_read_as_words() -> None:
    agreement = _agreement()
    rolling = next(o for o in agreement.objectives if o.id == "peak-latency")

    assert window_phrase(rolling) == "over any 7 consecutive days"
    assert words_of("order_intake") == "order intake"
