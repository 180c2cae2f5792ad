"""accord audit verify and export: an intact trail passes; a tampered entry is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from accord.services.verdicts import RunEvaluation
from accord.settings import sqlite_url
from accord.store.db import make_engine
from tests.services.world import CONSOLE, NOW, events, make_services, populate

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


def _forge_append(data_dir: Path, rehash_from: int | None = None) -> None:
    """What a writer of the database (without the key) can do: recompute hashes."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from accord.store import audit as chain  # noqa: PLC0415 - the store's own hash rule
    from accord.store.tables import AuditEntryRow  # noqa: PLC0415

    engine = make_engine(sqlite_url(data_dir))
    with Session(engine) as session:
        rows = chain.entries(session)
        if rehash_from is None:
            last = rows[-1]
            forged = AuditEntryRow(
                seq=last.seq + 1,
                at=last.at,
                actor="mallory",
                action="credit.waived",
                entity="agreement",
                entity_id="acme-bravo",
                before=None,
                after='{"amount":"12500.00"}',
                prev_hash=last.hash,
                hash="",
            )
            forged.hash = chain.entry_hash(last.hash, forged)
            session.add(forged)
        else:
            prev = chain.GENESIS
            for row in rows:
                if row.seq == rehash_from:
                    row.actor = "mallory"
                if row.seq >= rehash_from:
                    row.prev_hash = prev
                    row.hash = chain.entry_hash(prev, row)
                prev = row.hash
        session.commit()
    engine.dispose()


def test_a_checkpoint_catches_the_newest_entries_deleted_down_to_none(
    data_dir: Path, tmp_path: Path
) -> None:
    anchored = runner.invoke(app, ["audit", "anchor", "-o", str(tmp_path / "cp.json")])
    assert anchored.exit_code == 0, anchored.output
    checkpoint = json.loads((tmp_path / "cp.json").read_text())
    assert (checkpoint["head_seq"], checkpoint["entries"]) == (3, 3)
    verified = runner.invoke(app, ["audit", "verify", "--checkpoint", str(tmp_path / "cp.json")])
    assert verified.exit_code == 0, verified.output
    assert "matches" in verified.stdout
    for statement in (
        "DELETE FROM audit_entries WHERE seq = 3",
        "DELETE FROM audit_entries",
    ):
        _tamper(data_dir, statement)
        assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # the chain alone: blind
        result = runner.invoke(app, ["audit", "verify", "--checkpoint", str(tmp_path / "cp.json")])
        assert result.exit_code == 1
        assert "entry 3 deleted" in " ".join(result.stderr.split())


def test_a_forged_append_with_recomputed_hashes_is_found(data_dir: Path) -> None:
    _forge_append(data_dir)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 4 forged" in " ".join(result.stderr.split())


def test_an_edit_rehashed_to_the_end_is_found_and_contradicts_the_checkpoint(
    data_dir: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["audit", "anchor", "-o", str(tmp_path)]).exit_code == 0
    [checkpoint] = tmp_path.glob("checkpoint-00000003-*.json")
    _forge_append(data_dir, rehash_from=2)
    result = runner.invoke(app, ["audit", "verify", "--checkpoint", str(checkpoint)])
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert "entry 2 forged" in said
    assert "entry 3 edited: entry 3 is not the one checkpointed" in said


def test_a_checkpoint_not_signed_by_the_key_vouches_for_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["audit", "anchor", "-o", str(tmp_path / "cp.json")]).exit_code == 0
    checkpoint = json.loads((tmp_path / "cp.json").read_text())
    checkpoint["head_seq"] = 2
    (tmp_path / "cp.json").write_text(json.dumps(checkpoint))
    result = runner.invoke(app, ["audit", "verify", "--checkpoint", str(tmp_path / "cp.json")])
    assert result.exit_code == 1
    assert "not signed by this service's key" in " ".join(result.stderr.split())


def test_the_signing_key_lives_outside_the_database_owner_only(data_dir: Path) -> None:
    key = data_dir / "keys" / "signing.pem"
    assert key.stat().st_mode & 0o777 == 0o600
    assert (data_dir / "keys" / "signing.pub.pem").read_text().startswith("-----BEGIN PUBLIC KEY")


def test_an_edited_ledger_row_fails_verification_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ledger"
    services = make_services(folder, sqlite_url(folder), FixedClock(NOW))
    world = populate(services, services.context.clock)  # type: ignore[arg-type]
    services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    services.verdicts.evaluate(CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10"))
    services.close()
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    _tamper(folder, "UPDATE credit_entries SET amount = '1.00' WHERE id = 1")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "credit entry 1 was edited" in " ".join(result.stderr.split())
