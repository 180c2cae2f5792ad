"""scripts/same_verdicts.py compares two runs' outputs: a bundle's new drill-down member is
not a difference, and a manifest that is not a bundle's is compared as JSON, not misread."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "same_verdicts.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("same_verdicts", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bundle(folder: Path, files: dict[str, bytes]) -> None:
    bundle = folder / "evidence" / "payments-api-availability"
    bundle.mkdir(parents=True)
    listed = []
    for name, content in files.items():
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(content)
        listed.append(
            {"path": name, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
        )
    manifest = {"format": "accord.evidence/v1", "agreement_version": "x", "files": listed}
    (bundle / "manifest.json").write_text(json.dumps(manifest))


def test_a_bundle_s_new_items_csv_is_not_a_difference(script: ModuleType, tmp_path: Path) -> None:
    verdict = b'{"verdicts": []}'
    _bundle(tmp_path / "base", {"verdict.json": verdict})
    _bundle(tmp_path / "new", {"verdict.json": verdict, "items.csv": b"objective\n"})

    assert script._compare(tmp_path / "base", tmp_path / "new") == []


def test_a_changed_bundle_member_still_is(script: ModuleType, tmp_path: Path) -> None:
    _bundle(tmp_path / "base", {"data/a.csv": b"1\n"})
    _bundle(tmp_path / "new", {"data/a.csv": b"2\n"})

    found = script._compare(tmp_path / "base", tmp_path / "new")
    assert "differs: evidence/payments-api-availability/data/a.csv" in found


def test_a_report_manifest_is_compared_as_json_without_crashing(
    script: ModuleType, tmp_path: Path
) -> None:
    for side, generated in (("base", "04:00"), ("new", "04:05")):
        folder = tmp_path / side / "demo" / "reports"
        folder.mkdir(parents=True)
        manifest = {"generated_at": generated, "files": {"report.pdf": "abc"}}
        (folder / "manifest.json").write_text(json.dumps(manifest))

    found = script._compare(tmp_path / "base", tmp_path / "new")
    assert found == ["differs: demo/reports/manifest.json: .generated_at: '04:00' → '04:05'"]
