"""accord backup and accord restore: the embedded store copied while it runs, restored into
an empty data directory with every file checked, and the restored trail verified."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.bootstrap import build
from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from accord.settings import Settings
from tests.services.world import FAST_HASHES, NOW, events, populate

runner = CliRunner()
BATCH = "measurements/acme-bravo/requests/b1.parquet"


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with people, agreements and one pushed batch; the key kept apart."""
    key = tmp_path / "vault" / "signing.pem"
    monkeypatch.setenv("ACCORD_SIGNING_KEY", str(key))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    data_dir = tmp_path / "data"
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite+pysqlite:///{data_dir / 'accord.db'}",
        signing_key=key,
    )
    clock = FixedClock(NOW)
    services = build(settings, clock=clock, passwords=FAST_HASHES)
    world = populate(services, clock)
    command = PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(10))
    services.ingestion.push(world.principal("partner@bravo.example"), command)
    services.close()
    return data_dir


def _backup(data_dir: Path, archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(data_dir))
    result = runner.invoke(app, ["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_backup_restores_into_an_empty_directory_and_verifies(
    stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "accord.tar.gz"
    _backup(stored, archive, monkeypatch)
    restored = tmp_path / "restored"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(restored))
    result = runner.invoke(app, ["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "audit trail intact" in result.stdout
    assert (restored / BATCH).read_bytes() == (stored / BATCH).read_bytes()
    assert (restored / "accord.db").stat().st_mode & 0o777 == 0o600
    again = runner.invoke(app, ["restore", str(archive)])
    assert again.exit_code == 1
    assert "holds a database already" in again.stderr


def test_a_restore_without_the_signing_key_does_not_verify(
    stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "accord.tar.gz"
    _backup(stored, archive, monkeypatch)
    monkeypatch.setenv("ACCORD_SIGNING_KEY", str(tmp_path / "another" / "key.pem"))
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "restored"))
    result = runner.invoke(app, ["restore", str(archive)])
    assert result.exit_code == 1
    assert "forged" in result.stdout


def test_a_tampered_archive_is_refused_and_nothing_is_restored(
    stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "accord.tar.gz"
    _backup(stored, archive, monkeypatch)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            assert data is not None
            content = data.read()
            if member.name == BATCH:
                content += b"\0"
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    restored = tmp_path / "restored"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(restored))
    result = runner.invoke(app, ["restore", str(tampered)])
    assert result.exit_code == 1
    assert f"{BATCH} does not match its digest" in " ".join(result.stderr.split())
    assert not (restored / "accord.db").exists()
