"""accord audit verify and export: an intact trail passes; a tampered entry is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from accord.cli.main import app
from accord.settings import sqlite_url
from accord.store.db import make_engine

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    for slug, flag in (("acme", "--company"), ("bravo", None), ("charlie", None)):
        result = runner.invoke(
            app, ["admin", "create-organisation", slug, slug.title(), *([flag] if flag else [])]
        )
        assert result.exit_code == 0, result.output
    return folder


def _tamper(data_dir: Path, statement: str) -> None:
    engine = make_engine(sqlite_url(data_dir))
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_an_intact_trail_verifies(data_dir: Path) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0
    assert "audit trail intact: 3 entries; head 3" in result.stdout


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2", "entry 2 edited"),
        ("DELETE FROM audit_entries WHERE seq = 2", "entry 2 deleted"),
    ],
)
def test_a_tampered_trail_fails_naming_the_entry(
    data_dir: Path, statement: str, named: str
) -> None:
    _tamper(data_dir, statement)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert named in " ".join(result.stderr.split())


def test_the_trail_exports_as_json_lines(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "export"])
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    target = tmp_path / "trail.jsonl"
    result = runner.invoke(app, ["audit", "export", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == "".join(
        json.dumps(e, ensure_ascii=False) + "\n" for e in entries
    )


def test_an_unwritable_export_target_is_an_error(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "export", "-o", str(tmp_path / "missing" / "x.jsonl")])
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
