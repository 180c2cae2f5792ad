"""Evidence bundles: a verdict exported with its agreement and the rows it needs recomputes
from the bundle alone; tampering is named, a forger who re-hashes is caught by the
recomputation, and a bundle cannot write outside its folder."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from accord.bootstrap import evidence_bundles
from accord.demo.base import SampleOptions
from accord.demo.generate import write_sample_data
from accord.services.agreements import AgreementFiles
from accord.services.evaluation import EvaluateCommand
from accord.services.evidence import (
    EvidenceError,
    ExportCommand,
    Exported,
    Selection,
)
from tests.engine.builders import MAINTENANCE_SOURCE, document, utc, write_csv

EXAMPLES = Path(__file__).parents[2] / "examples"
#: October 2026 alone, at a fifth of the volume: enough for the examples' October verdicts.
SMALL = SampleOptions(months=1, volume=0.2)
NOW = utc(2026, 12, 1)
BUNDLES = evidence_bundles()
export_bundle, verify_bundle = BUNDLES.export, BUNDLES.verify

REQUESTS = {
    "id": "requests",
    "kind": "events",
    "format": "csv",
    "path": "requests/*.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "requested_at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "status": {"column": "http_status", "type": "integer"},
        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
    },
}
MAINTENANCE = MAINTENANCE_SOURCE
#: A ratio objective per region with a credit, and maintenance capped at one hour a month.
RATIO_AGREEMENT = document(
    {
        "sources": [REQUESTS, MAINTENANCE],
        "indicators": [
            {
                "id": "success",
                "name": "Successful requests",
                "kind": "ratio",
                "source": "requests",
                "good": "status < 500",
            },
            {
                "id": "quick",
                "name": "Quick requests",
                "kind": "threshold",
                "source": "requests",
                "measure": "latency",
                "threshold": "700ms",
            },
        ],
        "objectives": [
            {
                "id": "availability",
                "name": "Requests succeed",
                "indicator": "success",
                "target": "99%",
                "tolerance": "95%",
                "window": "month",
                "scope": ["region"],
            },
            {
                "id": "fast",
                "name": "Requests answered within 700 ms",
                "indicator": "quick",
                "target": "99%",
                "tolerance": "95%",
                "window": "month",
            },
        ],
        "exclusions": [
            {
                "id": "maintenance",
                "kind": "maintenance",
                "description": "Announced a day ahead, at most an hour a month.",
                "source": "maintenance",
                "notice": "1 day",
                "monthly_cap": "1h",
            }
        ],
        "remedies": {
            "claim_window": "30 days",
            "credits": [
                {
                    "id": "availability-credits",
                    "objectives": ["availability"],
                    "basis": "1000 EUR",
                    "tiers": [
                        {"below": "99%", "credit": "10%"},
                        {"below": "90%", "credit": "25%"},
                    ],
                    "cap": "100%",
                }
            ],
        },
    }
)


def _requests() -> list[list[Any]]:
    """October (Berlin): eu met, us breached; September rows outside the window; region ap
    only in September (silent in October); bad eu rows in maintenance B (not excluded)."""
    rows: list[list[Any]] = []
    for day in range(1, 31):
        rows += [[utc(2026, 10, day, 9, i), "eu", 200, 120 + i] for i in range(5)]
        rows += [[utc(2026, 10, day, 10, i), "us", 200 if i < 4 else 503, 700] for i in range(5)]
    rows += [[utc(2026, 9, 30, 22, 10 + i), "eu", 500, 250.5] for i in range(3)]
    rows += [[utc(2026, 9, 20, 8, i), "eu", 200, 90] for i in range(4)]
    rows.append([utc(2026, 9, 12, 8), "ap", 200, 80])
    return rows


def _maintenance() -> list[list[Any]]:
    """A uses up September's cap; B starts in September (Berlin) and runs into October, so it
    is beyond the cap; C is in August; D is in October and announced in time."""
    return [
        [utc(2026, 8, 5, 10), utc(2026, 8, 5, 11), utc(2026, 8, 1)],  # C
        [utc(2026, 9, 10, 10), utc(2026, 9, 10, 11), utc(2026, 9, 1)],  # A
        [utc(2026, 9, 30, 21, 30), utc(2026, 9, 30, 22, 30), utc(2026, 9, 1)],  # B
        [utc(2026, 10, 10, 10), utc(2026, 10, 10, 10, 30), utc(2026, 10, 1)],  # D
    ]


def write_ratio_files(folder: Path) -> tuple[Path, Path]:
    """The ratio agreement and its data folder under ``folder``."""
    agreement = folder / "agreement.yaml"
    agreement.write_text("# availability of requests\n" + json.dumps(RATIO_AGREEMENT, indent=2))
    data = folder / "data"
    (data / "requests").mkdir(parents=True)
    write_csv(
        data / "requests",
        "2026",
        ["requested_at", "region", "http_status", "latency_ms"],
        _requests(),
    )
    write_csv(data, "maintenance", ["starts_at", "ends_at", "announced_at"], _maintenance())
    return agreement, data


def export(
    agreement: Path,
    data: Path,
    output: Path,
    objective: str,
    scope: Mapping[str, str] | None = None,
) -> Exported:
    command = ExportCommand(
        evaluation=EvaluateCommand(agreement=agreement, data_dir=data, period="2026-10", now=NOW),
        selection=Selection(objective=objective, scope=dict(scope or {})),
        output=output,
    )
    return export_bundle(command)


def members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rewrite(bundle: Path, changes: Mapping[str, bytes | None], *, rehash: bool) -> None:
    """Change members of a bundle (None removes one); ``rehash`` also fixes the manifest,
    as a forger would."""
    files = members(bundle)
    for name, content in changes.items():
        if content is None:
            files.pop(name)
        else:
            files[name] = content
    if rehash:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = [
            {"path": name, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
            for name, content in files.items()
            if name != "manifest.json"
        ]
        files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(bundle, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


@pytest.fixture
def ratio_files(tmp_path: Path) -> tuple[Path, Path]:
    return write_ratio_files(tmp_path)


@pytest.fixture
def ratio_bundle(ratio_files: tuple[Path, Path], tmp_path: Path) -> Path:
    agreement, data = ratio_files
    bundle = tmp_path / "bundle.zip"
    export(agreement, data, bundle, "availability", {"region": "us"})
    return bundle


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample data of the cloud and support examples for October 2026."""
    out = tmp_path_factory.mktemp("samples")
    for name in ("cloud-hosting", "support-outsourcer"):
        loaded = AgreementFiles().load_valid(EXAMPLES / f"{name}.yaml")
        assert loaded.agreement is not None
        write_sample_data(loaded.agreement, out, SMALL)
    return out


# -- recomputing ---------------------------------------------------------------------------


def test_a_ratio_verdict_recomputes_from_its_bundle(ratio_bundle: Path) -> None:
    verification = verify_bundle(ratio_bundle)

    assert verification.ok, verification
    [verdict] = verification.recomputed
    assert verdict["scope"] == {"region": "us"}
    assert verdict["outcome"] == "breach"
    # Maintenance D (announced in time) excludes five us requests on 10 October.
    assert verdict["counts"] == {"good": 116, "valid": 145}
    assert verdict["exclusions"] == {"events": 5}
    assert verdict["credit"]["amount"] == "250"


def test_a_time_slice_verdict_with_announced_maintenance_excluded_recomputes(
    samples: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "uptime.zip"
    scope = {"region": "eu-west", "service": "database"}
    exported = export(EXAMPLES / "cloud-hosting.yaml", samples, bundle, "uptime", scope)

    [recorded] = exported.verdicts
    assert recorded["exclusions"]["slices"] > 0
    assert recorded["outcome"] == "deviation"
    verification = verify_bundle(bundle)
    assert verification.ok, verification
    assert verification.recomputed[0]["counts"] == recorded["counts"]
    maintenance = csv_rows(members(bundle)["data/cloud/maintenance.csv"])
    assert [row["region"] for row in maintenance] == ["eu-west"]


def test_a_business_duration_verdict_with_pauses_recomputes(samples: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "resolution.zip"
    agreement = EXAMPLES / "support-outsourcer.yaml"
    exported = export(agreement, samples, bundle, "resolution-americas", {"priority": "P3"})

    [recorded] = exported.verdicts
    assert recorded["outcome"] == "breach"
    assert recorded["credit"] is not None
    verification = verify_bundle(bundle)
    assert verification.ok, verification
    rows = {item.source: item.rows for item in exported.sources}
    assert rows["ticket-status"] > rows["tickets"] > 0
    assert rows["surveys"] == 0


def test_a_ticket_verdict_s_bundle_lists_its_tickets_with_due_instants_in_items_csv(
    samples: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "resolution.zip"
    agreement = EXAMPLES / "support-outsourcer.yaml"
    exported = export(agreement, samples, bundle, "resolution-americas", {"priority": "P3"})

    [recorded] = exported.verdicts
    files = members(bundle)
    tickets = csv_rows(files["items.csv"])
    assert {t["scope"] for t in tickets} == {"priority=P3"}
    assert all(t["due"] for t in tickets)
    on_time = sum(t["status"] == "on time" for t in tickets)
    late = sum(t["status"] in {"late", "overdue"} for t in tickets)
    assert (on_time, on_time + late) == (recorded["counts"]["good"], recorded["counts"]["valid"])
    manifest = json.loads(files["manifest.json"])
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed["items.csv"] == hashlib.sha256(files["items.csv"]).hexdigest()
    readme = files["README.txt"].decode()
    assert "items.csv       the items behind the verdicts" in readme
    assert "inputs.json" not in readme


def test_an_edited_items_csv_is_named_as_changed(samples: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "uptime.zip"
    scope = {"region": "eu-west", "service": "database"}
    exported = export(EXAMPLES / "cloud-hosting.yaml", samples, bundle, "uptime", scope)
    [recorded] = exported.verdicts
    slices = csv_rows(members(bundle)["items.csv"])
    assert len(slices) == recorded["counts"]["valid"] - recorded["counts"]["good"]

    rewrite(bundle, {"items.csv": b"objective\n"}, rehash=False)
    assert verify_bundle(bundle).tampered == ["changed: items.csv"]


def test_objectives_sharing_a_credit_scheme_bring_their_rows_too(
    samples: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "resolution.zip"
    agreement = EXAMPLES / "support-outsourcer.yaml"
    exported = export(agreement, samples, bundle, "resolution-europe", {"priority": "P2"})

    tickets = next(item for item in exported.sources if item.source == "tickets")
    assert any("resolution-americas" in role for role in tickets.roles)
    assert verify_bundle(bundle).ok


# -- what the bundle holds ------------------------------------------------------------------


def test_the_bundle_holds_the_agreement_byte_for_byte_and_hashes_every_file(
    ratio_files: tuple[Path, Path], ratio_bundle: Path
) -> None:
    agreement, _ = ratio_files
    files = members(ratio_bundle)

    assert files["agreement.yaml"] == agreement.read_bytes()
    assert list(files)[-1] == "manifest.json"
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "accord.evidence/v1"
    loaded = AgreementFiles().load_valid(agreement)
    assert loaded.agreement is not None
    assert manifest["agreement_version"] == loaded.agreement.version_hash()
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        name: hashlib.sha256(content).hexdigest()
        for name, content in files.items()
        if name != "manifest.json"
    }
    assert "accord evidence verify bundle.zip" in files["README.txt"].decode()
    assert ("items.csv" in files) == ("items.csv" in files["README.txt"].decode())


def test_the_recorded_verdict_says_how_to_repeat_the_evaluation(ratio_bundle: Path) -> None:
    recorded = json.loads(members(ratio_bundle)["verdict.json"])

    assert recorded["format"] == "accord.verdicts/v2"
    assert recorded["period"]["label"] == "2026-10"
    assert recorded["as_of"] == "2026-10-31T23:00:00+00:00"
    assert recorded["selection"] == {
        "objective": "availability",
        "scope": {"region": "us"},
        "window": None,
    }


def test_bundled_rows_keep_the_sources_format_column_names_and_units(
    ratio_bundle: Path,
) -> None:
    rows = csv_rows(members(ratio_bundle)["data/requests/evidence.csv"])

    assert set(rows[0]) == {"requested_at", "region", "http_status", "latency_ms"}
    latencies = {float(row["latency_ms"]) for row in rows}
    assert {700.0, 120.0, 250.5} <= latencies
    assert all(row["requested_at"].endswith("+00") for row in rows)


def test_durations_read_back_as_the_same_seconds_so_ties_at_a_threshold_hold(
    ratio_files: tuple[Path, Path], tmp_path: Path
) -> None:
    agreement, data = ratio_files
    bundle = tmp_path / "fast.zip"
    exported = export(agreement, data, bundle, "fast")

    [recorded] = exported.verdicts
    # Every us request took exactly 700 ms, the threshold: all of them are good.
    assert recorded["counts"]["good"] == recorded["counts"]["valid"]
    assert verify_bundle(bundle).ok


def test_an_open_window_recomputes_as_of_the_recorded_instant(
    ratio_files: tuple[Path, Path], tmp_path: Path
) -> None:
    agreement, data = ratio_files
    bundle = tmp_path / "open.zip"
    command = ExportCommand(
        evaluation=EvaluateCommand(
            agreement=agreement, data_dir=data, period="2026-10", now=utc(2026, 10, 15, 12)
        ),
        selection=Selection(objective="availability", scope={"region": "us"}),
        output=bundle,
    )
    exported = export_bundle(command)

    assert exported.verdicts[0]["counts"]["valid"] < 145
    assert json.loads(members(bundle)["verdict.json"])["as_of"] == "2026-10-15T12:00:00+00:00"
    verification = verify_bundle(bundle)
    assert verification.ok, verification
    assert verification.recomputed[0]["counts"] == exported.verdicts[0]["counts"]


def test_rows_outside_the_window_are_left_out_but_a_silent_scope_keeps_one(
    ratio_bundle: Path,
) -> None:
    rows = csv_rows(members(ratio_bundle)["data/requests/evidence.csv"])

    by_region: dict[str, int] = {}
    for row in rows:
        by_region[row["region"]] = by_region.get(row["region"], 0) + 1
    # October in Berlin starts 2026-09-30 22:00 UTC: the three bad eu rows are in it.
    assert by_region == {"eu": 150 + 3, "us": 150, "ap": 1}
    verification = verify_bundle(ratio_bundle)
    assert verification.ok


def test_periods_starting_in_the_month_of_an_overlapping_one_stay_for_the_monthly_cap(
    ratio_files: tuple[Path, Path], tmp_path: Path
) -> None:
    agreement, data = ratio_files
    bundle = tmp_path / "eu.zip"
    exported = export(agreement, data, bundle, "availability", {"region": "eu"})

    starts = [row["starts_at"] for row in csv_rows(members(bundle)["data/maintenance.csv"])]
    # A (September, uses up the cap) stays because B starts in September too; C does not.
    assert starts == [
        "2026-09-10 10:00:00+00",
        "2026-09-30 21:30:00+00",
        "2026-10-10 10:00:00+00",
    ]
    [recorded] = exported.verdicts
    assert recorded["counts"] == {"good": 150, "valid": 153}
    assert verify_bundle(bundle).ok


def test_a_partitioned_folder_per_column_value_and_a_plain_folder_are_reproduced(
    tmp_path: Path,
) -> None:
    events = {
        **REQUESTS,
        "format": "parquet",
        "path": "events/region=*/*.parquet",
    }
    maintenance = {**MAINTENANCE, "path": "maintenance"}
    sections = json.loads(json.dumps(RATIO_AGREEMENT))
    sections["sources"] = [events, maintenance]
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(json.dumps(sections))
    data = tmp_path / "data"
    for region in ("eu", "us"):
        folder = data / "events" / f"region={region}"
        folder.mkdir(parents=True)
        rows = [r for r in _requests() if r[1] == region]
        table = pa.table(
            {
                "requested_at": [r[0] for r in rows],
                "http_status": [r[2] for r in rows],
                "latency_ms": [float(r[3]) for r in rows],
            }
        )
        pq.write_table(table, folder / "part-0.parquet")
    (data / "maintenance").mkdir()
    write_csv(
        data / "maintenance", "2026", ["starts_at", "ends_at", "announced_at"], _maintenance()
    )
    bundle = tmp_path / "bundle.zip"

    export(agreement, data, bundle, "availability", {"region": "us"})

    names = set(members(bundle))
    assert {
        "data/events/region=eu/evidence0.parquet",
        "data/events/region=us/evidence0.parquet",
        "data/maintenance/evidence.csv",
    } <= names
    assert verify_bundle(bundle).ok


def test_exporting_the_same_verdict_twice_gives_the_same_bytes(
    ratio_files: tuple[Path, Path], ratio_bundle: Path, tmp_path: Path
) -> None:
    agreement, data = ratio_files
    again = tmp_path / "again" / "bundle.zip"
    export(agreement, data, again, "availability", {"region": "us"})

    assert again.read_bytes() == ratio_bundle.read_bytes()


def test_an_unknown_objective_is_named_with_the_known_ones(
    ratio_files: tuple[Path, Path], tmp_path: Path
) -> None:
    agreement, data = ratio_files
    with pytest.raises(EvidenceError, match=r"no objective 'latency'.*objectives: availability"):
        export(agreement, data, tmp_path / "b.zip", "latency")


def test_a_selection_without_a_verdict_lists_the_verdicts(
    ratio_files: tuple[Path, Path], tmp_path: Path
) -> None:
    agreement, data = ratio_files
    with pytest.raises(EvidenceError, match=r"no verdict matches; .*availability \[region=us\]"):
        export(agreement, data, tmp_path / "b.zip", "availability", {"region": "mars"})
    assert not (tmp_path / "b.zip").exists()


# -- tampering -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["data/requests/evidence.csv", "agreement.yaml", "verdict.json"])
def test_a_changed_file_is_named(ratio_bundle: Path, name: str) -> None:
    rewrite(ratio_bundle, {name: members(ratio_bundle)[name] + b"\n"}, rehash=False)

    verification = verify_bundle(ratio_bundle)

    assert not verification.ok
    assert verification.tampered == [f"changed: {name}"]


def test_a_missing_and_an_extra_file_are_named(ratio_bundle: Path) -> None:
    rewrite(
        ratio_bundle,
        {"data/maintenance.csv": None, "data/requests/more.csv": b"requested_at\n"},
        rehash=False,
    )

    verification = verify_bundle(ratio_bundle)

    assert verification.tampered == [
        "missing: data/maintenance.csv",
        "extra: data/requests/more.csv",
    ]


def test_a_forger_who_changes_data_and_rehashes_is_caught_by_the_recomputation(
    ratio_bundle: Path,
) -> None:
    name = "data/requests/evidence.csv"
    forged = members(ratio_bundle)[name].replace(b",us,503,", b",us,200,")
    rewrite(ratio_bundle, {name: forged}, rehash=True)

    verification = verify_bundle(ratio_bundle)

    assert not verification.tampered
    assert not verification.ok
    changed = {d.field for d in verification.differences}
    assert {"outcome", "value", "counts", "credit"} <= changed
    outcome = next(d for d in verification.differences if d.field == "outcome")
    assert (outcome.recorded, outcome.recomputed) == ('"breach"', '"met"')
    assert str(outcome).startswith("availability [region=us] 2026-10: outcome recorded")


def test_a_forged_verdict_with_a_rehashed_manifest_is_caught(ratio_bundle: Path) -> None:
    recorded = json.loads(members(ratio_bundle)["verdict.json"])
    recorded["verdicts"][0]["outcome"] = "met"
    recorded["verdicts"][0]["value"] = 0.995
    recorded["verdicts"][0]["credit"] = None
    rewrite(ratio_bundle, {"verdict.json": json.dumps(recorded).encode()}, rehash=True)

    verification = verify_bundle(ratio_bundle)

    assert [d.field for d in verification.differences] == ["outcome", "value", "credit"]


def test_a_verdict_file_emptied_by_a_forger_verifies_nothing(ratio_bundle: Path) -> None:
    recorded = json.loads(members(ratio_bundle)["verdict.json"])
    recorded["verdicts"] = []
    rewrite(ratio_bundle, {"verdict.json": json.dumps(recorded).encode()}, rehash=True)

    verification = verify_bundle(ratio_bundle)

    assert not verification.ok
    assert verification.problems == [
        "verdict.json is not valid at verdicts: List should have at least 1 item after "
        "validation, not 0"
    ]


def test_an_edited_agreement_with_a_rehashed_manifest_is_caught_by_its_version_hash(
    ratio_bundle: Path,
) -> None:
    text = members(ratio_bundle)["agreement.yaml"].replace(b"Test agreement", b"Best agreement")
    rewrite(ratio_bundle, {"agreement.yaml": text}, rehash=True)

    verification = verify_bundle(ratio_bundle)

    assert verification.tampered
    assert all(line.startswith("agreement version: ") for line in verification.tampered)


# -- what is not a bundle --------------------------------------------------------------------


def test_a_path_leading_out_of_the_bundle_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "inner" / "slip.zip"
    bundle.parent.mkdir()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../../escaped.txt", "gotcha")

    with pytest.raises(EvidenceError, match="zip slip"):
        verify_bundle(bundle)
    assert not list(tmp_path.rglob("escaped.txt"))


@pytest.mark.parametrize("name", ["/etc/evil", "C:/evil", "data\\..\\..\\evil"])
def test_absolute_and_backslash_paths_are_refused(tmp_path: Path, name: str) -> None:
    bundle = tmp_path / "slip.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(name, "gotcha")

    with pytest.raises(EvidenceError, match="outside the bundle"):
        verify_bundle(bundle)


def test_a_member_given_twice_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "twice.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("manifest.json", "{}")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("manifest.json", "{}")

    with pytest.raises(EvidenceError, match="more than once"):
        verify_bundle(bundle)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_text("not a zip")

    with pytest.raises(EvidenceError, match="not a readable zip"):
        verify_bundle(bundle)


def test_a_zip_without_a_manifest_is_not_a_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("notes.txt", "hello")

    with pytest.raises(EvidenceError, match=r"no manifest\.json"):
        verify_bundle(bundle)


def test_a_manifest_of_another_kind_is_not_a_bundle(ratio_bundle: Path) -> None:
    rewrite(ratio_bundle, {"manifest.json": b'{"format": "something/v9"}'}, rehash=False)

    with pytest.raises(EvidenceError, match=r"manifest\.json is not valid at format"):
        verify_bundle(ratio_bundle)


def test_duckdb_reads_the_bundled_parquet_with_zoned_timestamps(
    samples: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "resolution.zip"
    export(EXAMPLES / "support-outsourcer.yaml", samples, bundle, "p1-resolution")
    target = tmp_path / "tickets.parquet"
    target.write_bytes(members(bundle)["data/support/tickets/evidence.parquet"])

    with duckdb.connect() as con:
        described = dict(
            (str(row[0]), str(row[1]))
            for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{target}')").fetchall()
        )
    assert described["created_at"] == "TIMESTAMP WITH TIME ZONE"
    assert "hub_region" in described
