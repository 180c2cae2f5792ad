"""Evidence bundles of recorded verdicts whose sources are pushed or fetched: the bundle
carries the batches the verdict was judged on (each file's sha256 is the digest recorded at
the push) or the rows fetched from outside, and ``accord evidence verify`` recomputes the
verdict from them alone."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from accord.bootstrap import evidence_bundles
from accord.services.errors import NotFound
from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.test_external import ZENDESK, _upload_support
from tests.services.world import CONSOLE, World, events


def _push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


def _evaluate(world: World) -> int:
    world.services.verdicts.evaluate(
        world.principal("manager@acme.example"),
        RunEvaluation(agreement="acme-bravo", period="2026-10"),
    )
    return world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items[0].id


def _bundle(world: World, verdict: int, tmp_path: Path, email: str | None = None) -> Path:
    principal = world.principal(email) if email else CONSOLE
    content = world.services.bundles.export(principal, "acme-bravo", verdict, evidence_bundles())
    path = tmp_path / "bundle.zip"
    path.write_bytes(content)
    return path


def _members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture
def pushed(world: World) -> int:
    """Two batches in October, one in 50 requests failing; a third pushed after the run."""
    _push(world, "first", events(600, failing_every=50))
    _push(world, "second", events(400, failing_every=50, prefix="s", step_minutes=53))
    verdict = _evaluate(world)
    world.clock.advance(dt.timedelta(minutes=5))
    _push(world, "after", events(100, failing_every=1, prefix="a"))
    return verdict


def test_a_verdict_on_pushed_batches_has_a_bundle_that_recomputes_it(
    world: World, pushed: int, tmp_path: Path
) -> None:
    bundle = _bundle(world, pushed, tmp_path)
    verification = evidence_bundles().verify(bundle)

    assert verification.ok, verification
    recorded = world.services.verdicts.verdict(CONSOLE, "acme-bravo", pushed).evidence
    assert verification.recomputed[0]["counts"] == recorded["counts"]
    assert verification.recomputed[0]["outcome"] == recorded["outcome"]


def test_the_bundle_lists_the_batches_read_with_their_ids_and_digests(
    world: World, pushed: int, tmp_path: Path
) -> None:
    files = _members(_bundle(world, pushed, tmp_path))
    inputs = json.loads(files["inputs.json"])["inputs"]
    stored = {
        b.batch_id: b.digest
        for b in world.services.ingestion.batches(CONSOLE, "acme-bravo", "requests")
    }

    # The batch pushed after the run is not in it.
    assert [i["batch_id"] for i in inputs] == ["first", "second"]
    for item in inputs:
        assert item["digest"] == stored[item["batch_id"]]
        assert hashlib.sha256(files[item["path"]]).hexdigest() == item["digest"]
    manifest = {f["path"] for f in json.loads(files["manifest.json"])["files"]}
    assert {"inputs.json", *(i["path"] for i in inputs)} <= manifest
    readme = files["README.txt"].decode()
    assert "inputs.json" in readme
    assert "inputs/source requests: 2 Parquet files" in readme


def test_a_changed_batch_in_the_bundle_is_named(world: World, pushed: int, tmp_path: Path) -> None:
    bundle = _bundle(world, pushed, tmp_path)
    files = _members(bundle)
    files["inputs/requests/batch-1.parquet"] = files["inputs/requests/batch-2.parquet"]
    with zipfile.ZipFile(bundle, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)

    assert evidence_bundles().verify(bundle).tampered == [
        "changed: inputs/requests/batch-1.parquet"
    ]


def test_another_partner_gets_no_bundle(world: World, pushed: int, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        _bundle(world, pushed, tmp_path, "partner@charlie.example")


def test_a_verdict_on_a_fetched_source_bundles_the_rows_fetched_and_its_tickets(
    world: World, tmp_path: Path
) -> None:
    data_dir = world.services.context.data_dir
    shutil.copytree(ZENDESK, data_dir / "files" / "exports" / "zendesk")
    _upload_support(world, "exports/zendesk")
    verdict = _evaluate(world)
    bundle = _bundle(world, verdict, tmp_path)
    files = _members(bundle)

    [fetched] = json.loads(files["inputs.json"])["inputs"]
    assert fetched["source"] == "tickets"
    assert "batch_id" not in fetched
    verification = evidence_bundles().verify(bundle)
    assert verification.ok, verification
    tickets = list(csv.DictReader(io.StringIO(files["items.csv"].decode())))
    recorded = world.services.verdicts.verdict(CONSOLE, "acme-bravo", verdict).evidence
    on_time = sum(t["status"] == "on time" for t in tickets)
    assert on_time == recorded["counts"]["good"]
    assert all(t["due"] for t in tickets)
