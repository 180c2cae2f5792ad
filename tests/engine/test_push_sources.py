"""Pushed sources: evaluated from their committed batch files, exactly like the same files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from accord.connectors.batches import write_batch
from accord.connectors.files import FileReader
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.periods import parse_period
from accord.core.verdicts import Outcome
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.sources import BadRowPolicy
from tests.engine.builders import agreement_of, show_instant, utc, write_rows

COLUMNS = {
    "at": {"column": "ts", "type": "timestamp"},
    "id": {"column": "request_id", "type": "string"},
    "region": {"column": "region", "type": "string"},
    "status": {"column": "http_status", "type": "integer"},
    "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
}
INDICATORS = [
    {"id": "success", "name": "Success", "kind": "ratio", "source": "requests",
     "good": "status < 500"},
    {"id": "fast", "name": "Fast", "kind": "threshold", "source": "requests",
     "measure": "latency", "threshold": "800ms"},
    {"id": "tail", "name": "p90 latency", "kind": "percentile", "source": "requests",
     "measure": "latency", "percentile": 90},
    {"id": "uptime", "name": "Uptime", "kind": "timeslice", "source": "requests",
     "slice": "1h", "good": "status < 500", "slice_target": "90%", "no_traffic": "good"},
]  # fmt: skip
OBJECTIVES = [
    {"id": "availability", "name": "Availability", "indicator": "success", "target": "97.5%",
     "tolerance": "95%", "window": "month", "scope": ["region"]},
    {"id": "speed", "name": "Speed", "indicator": "fast", "target": "80%",
     "tolerance": "75%", "window": "week"},
    {"id": "tail", "name": "Tail", "indicator": "tail", "target": "800ms",
     "tolerance": "1s", "window": "month", "scope": ["region"]},
    {"id": "uptime", "name": "Uptime", "indicator": "uptime", "target": "99%",
     "tolerance": "95%", "window": "month"},
]  # fmt: skip


def agreement(source: dict[str, Any], objectives: list[dict[str, Any]] = OBJECTIVES) -> Agreement:
    requests = {"id": "requests", "kind": "events", "timestamp": "at", "key": "id", **source}
    return agreement_of(
        {
            "sources": [{**requests, "columns": COLUMNS}],
            "indicators": INDICATORS,
            "objectives": objectives,
        }
    )


def events(count: int) -> list[dict[str, Any]]:
    """Deterministic events over October 2026, some failing, some slow, zones mixed."""
    start = utc(2026, 9, 28)
    return [
        {
            "ts": start + dt.timedelta(minutes=97 * i + i % 7),
            "request_id": f"req-{i:05d}",
            "region": ("eu", "us", "apac")[i % 3],
            "http_status": 503 if i % 41 == 0 or (i % 3 == 1 and i % 17 == 0) else 200,
            "latency_ms": 120 + (i * 37) % 900 if i % 11 else 800,
        }
        for i in range(count)
    ]


def as_pushed(rows: list[dict[str, Any]]) -> list[dict[str, object]]:
    """Events as a client sends them: instants as zoned text."""
    return [{**row, "ts": show_instant(row["ts"], i % 3)} for i, row in enumerate(rows)]


def run(agreement: Agreement, data_dir: Path, pushed: dict[str, list[Path]]) -> Evaluation:
    period = parse_period("2026-10", agreement.timezone)
    request = EvaluationRequest(
        reader=FileReader(),
        data_dir=data_dir,
        period=period,
        as_of=period.end_at,
        policy=BadRowPolicy.REJECT,
        pushed=pushed,
    )
    return evaluate(agreement, request)


def summary(evaluation: Evaluation) -> list[tuple[object, ...]]:
    return [
        (
            v.objective,
            v.scope_label,
            v.window.label,
            v.outcome,
            v.value,
            v.counts,
            v.coverage,
            v.computation,
            v.budget,
        )
        for v in evaluation.verdicts
    ]


def test_a_pushed_source_evaluates_from_its_batches_like_the_same_events_in_a_csv_file(
    tmp_path: Path,
) -> None:
    rows = events(600)
    write_rows(tmp_path, "requests", "csv", rows)
    from_file = run(agreement({"format": "csv", "path": "requests.csv"}), tmp_path, {})

    batches: list[Path] = []
    held: set[str] = set()
    pushed = as_pushed(rows)
    for index, start in enumerate(range(0, len(pushed), 250)):
        result = write_batch(
            source=agreement({"format": "push"}).sources[0],
            events=pushed[start : start + 300],  # overlapping: retried events are dropped
            batch_dir=tmp_path / "batches",
            batch_id=f"batch-{index}",
            known=held.intersection,
            policy=BadRowPolicy.REJECT,
            quarantine_dir=None,
        )
        assert result.path is not None
        batches.append(result.path)
        held.update(result.keys)
    from_batches = run(agreement({"format": "push"}), tmp_path, {"requests": batches})

    assert len(batches) == 3
    assert from_batches.sources[0].rows_accepted == 600
    assert from_batches.sources[0].files == [str(path) for path in batches]
    assert {v.outcome for v in from_file.verdicts} == {
        Outcome.MET,
        Outcome.DEVIATION,
        Outcome.BREACH,
    }
    assert summary(from_batches) == summary(from_file)
    assert len(from_batches.verdicts) == len(from_file.verdicts) > 8


def test_a_pushed_source_without_batches_has_no_data_not_an_error(tmp_path: Path) -> None:
    unscoped = [{**objective, "scope": []} for objective in OBJECTIVES]
    evaluation = run(agreement({"format": "push"}, unscoped), tmp_path, {})

    assert evaluation.verdicts
    assert {v.outcome for v in evaluation.verdicts} == {Outcome.NO_DATA}
    assert all(v.value is None for v in evaluation.verdicts)
    (report,) = evaluation.sources
    assert (report.source, report.files, report.rows_read) == ("requests", [], 0)


def test_an_empty_batch_list_is_no_data_too(tmp_path: Path) -> None:
    unscoped = [{**OBJECTIVES[0], "scope": []}]
    evaluation = run(agreement({"format": "push"}, unscoped), tmp_path, {"requests": []})

    assert [v.outcome for v in evaluation.verdicts] == [Outcome.NO_DATA]


def test_a_scoped_objective_without_any_data_is_reported_not_dropped(tmp_path: Path) -> None:
    result = run(agreement({"format": "push"}), tmp_path, {})
    silent = [v for v in result.verdicts if v.objective == "availability"]
    assert [v.outcome for v in silent] == [Outcome.NO_DATA]
    assert silent[0].scope == {"region": "(none seen)"}
