"""accord.demo: every example's sources written as declared, checked, repeatable,
and telling the story the scenarios promise (a deviation, a breach with a credit, a
chronic failure in October 2026)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from accord.bootstrap import file_evaluations
from accord.connectors.files import FileReader
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.measurement import SourceFormat, SourceKind
from accord.core.verdicts import Outcome
from accord.demo.base import SampleOptions, WrittenFile, span_of
from accord.demo.generate import GENERATORS, write_sample_data
from accord.engine.sources import BadRowPolicy
from accord.services.agreements import AgreementFiles
from accord.services.evaluation import EvaluateCommand

EXAMPLES = Path(__file__).parents[2] / "examples"
#: Two months (September and October 2026) at a fifth of the volume keep the tests fast;
#: the chronic clause of the logistics example needs both months.
SMALL = SampleOptions(months=2, volume=0.2)
#: The sources the demo writes: the others are the service's own records.
FILE_FORMATS = (SourceFormat.CSV, SourceFormat.PARQUET, SourceFormat.JSONL)
#: The deliberate bad rows, by agreement and source: reason → count.
BAD_ROWS = {
    ("logistics-carrier", "delivery-surveys"): {
        "answered_at: timestamp without time zone": 1,
        "rating: not integer": 1,
        "response_id: duplicate": 1,
    }
}


def _example(name: str) -> Agreement:
    loaded = AgreementFiles().load_valid(EXAMPLES / f"{name}.yaml")
    assert loaded.agreement is not None
    return loaded.agreement


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[WrittenFile]]:
    out = tmp_path_factory.mktemp("sample")
    written = []
    for name in sorted(GENERATORS):
        written.extend(write_sample_data(_example(name), out, SMALL))
    return out, written


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_there_is_a_generator_for_every_example() -> None:
    assert {_example(p.stem).metadata.id for p in EXAMPLES.glob("*.yaml")} <= set(GENERATORS)


def test_every_source_of_every_example_is_written_with_rows(
    generated: tuple[Path, list[WrittenFile]],
) -> None:
    out, written = generated
    for name in GENERATORS:
        sources = {s.id for s in _example(name).sources if s.format in FILE_FORMATS}
        assert {w.source for w in written if w.agreement == name} == sources, name
    assert all((out / w.path).is_file() and w.rows > 0 for w in written)


def test_the_data_passes_the_engines_checks_except_the_deliberate_bad_rows(
    generated: tuple[Path, list[WrittenFile]], tmp_path: Path
) -> None:
    out, _ = generated
    for name in GENERATORS:
        agreement = _example(name)
        span = span_of(SMALL, agreement.timezone)
        for source in agreement.sources:
            if source.format not in FILE_FORMATS:
                continue  # the service's own records: no file
            with duckdb.connect() as con:
                con.execute("SET TimeZone = 'UTC'")
                files = FileReader().find(source, out)
                report = FileReader().load(con, source, files, BadRowPolicy.QUARANTINE, tmp_path)
            issues = {issue.reason: issue.count for issue in report.issues}
            if source.kind is SourceKind.STATUS_CHANGES:
                # A status-change source repeats its ticket key on every change by nature.
                issues.pop(f"{source.key}: duplicate", None)
            assert issues == BAD_ROWS.get((name, source.id), {}), (name, source.id)
            assert report.first_at is not None
            assert report.last_at is not None
            assert span.start_at <= dt.datetime.fromisoformat(report.first_at), (name, source.id)
            assert dt.datetime.fromisoformat(report.last_at) < span.end_at, (name, source.id)


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    options = SampleOptions(months=1, volume=0.05, seed=7)
    for name in ("payments-api", "logistics-carrier"):
        write_sample_data(_example(name), tmp_path / "first", options)
        write_sample_data(_example(name), tmp_path / "second", options)
    first, second = _digests(tmp_path / "first"), _digests(tmp_path / "second")
    assert first
    assert first == second


def test_another_seed_writes_other_data(tmp_path: Path) -> None:
    payments = _example("payments-api")
    write_sample_data(payments, tmp_path / "one", SampleOptions(months=1, volume=0.05, seed=1))
    write_sample_data(payments, tmp_path / "two", SampleOptions(months=1, volume=0.05, seed=2))
    one, two = _digests(tmp_path / "one"), _digests(tmp_path / "two")
    requests = "payments/authorisations/2026-10.parquet"
    assert one[requests] != two[requests]


def test_a_rerun_with_fewer_months_leaves_no_stale_files(tmp_path: Path) -> None:
    support = _example("support-outsourcer")
    write_sample_data(support, tmp_path, SampleOptions(months=2, volume=0.05))
    write_sample_data(support, tmp_path, SampleOptions(months=1, volume=0.05))
    assert sorted(p.name for p in (tmp_path / "support" / "tickets").iterdir()) == [
        "2026-10.parquet"
    ]


def _evaluate_october(name: str, data: Path) -> Evaluation:
    command = EvaluateCommand(
        agreement=EXAMPLES / f"{name}.yaml",
        data_dir=data,
        period="2026-10",
        now=dt.datetime(2026, 11, 15, tzinfo=dt.UTC),
        quarantine_dir=data / "quarantine",
    )
    return file_evaluations().evaluate(command)


def test_october_has_a_deviation_a_breach_with_a_credit_and_a_chronic_failure(
    generated: tuple[Path, list[WrittenFile]],
) -> None:
    out, _ = generated
    evaluations = [_evaluate_october(name, out) for name in sorted(GENERATORS)]
    verdicts = [v for e in evaluations for v in e.verdicts]
    assert any(v.outcome is Outcome.DEVIATION for v in verdicts)
    credited = {
        (c.credit.objective, c.credit.scope, c.window) for e in evaluations for c in e.credits
    }
    assert any(
        v.outcome is Outcome.BREACH and (v.objective, v.scope_label, v.window.label) in credited
        for v in verdicts
    )
    triggered = {
        (e.agreement.metadata.id, c.clause) for e in evaluations for c in e.chronic if c.triggered
    }
    assert ("logistics-carrier", "chronic-lateness") in triggered
