"""Data sources as written: where the rows are, which logical column places them in time,
and the columns each format (files, pushed batches, Prometheus series, ticket exports,
status feeds, Accord's own records) can provide."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model.sources import Source
from tests.core.model.refused import refusal


@pytest.mark.parametrize("kind", [["incidents"], {"incidents": 1}, None])
def test_a_recorded_source_whose_kind_is_not_a_word_is_refused_at_its_kind(kind: Any) -> None:
    assert refusal(Source, {"id": "records", "format": "recorded", "kind": kind})[0] == ("kind",)
