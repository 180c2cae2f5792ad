"""Sloth prometheus/v1 in: event SLIs as counters over Sloth's 30 days; the rest noted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accord.connectors.openslo.sloth import import_sloth
from accord.core.loader import load_agreement

FILES = Path(__file__).parent / "files"


def test_a_sloth_spec_imports_its_event_slos_and_notes_the_raw_one() -> None:
    text, notes = import_sloth(
        [FILES / "sloth.yaml"], today=dt.date(2026, 12, 1), url="http://127.0.0.1:9090"
    )
    loaded = load_agreement(text, "<sloth>")
    agreement = loaded.agreement
    assert agreement is not None, loaded.problems
    (objective,) = agreement.objectives
    assert (objective.id, str(objective.target), str(objective.window)) == (
        "requests-availability",
        "99.9%",
        "rolling 30 days",
    )
    (source,) = agreement.sources
    assert source.prometheus is not None
    assert source.prometheus.bad == 'http_requests_total{job="checkout",code=~"(5..|429)"}'
    assert source.prometheus.events == 'http_requests_total{job="checkout"}'
    said = "\n".join(notes.lines)
    assert "raw error ratio or plugin SLI cannot be counted in events; left out" in said
    assert "alerts are not carried" in said
