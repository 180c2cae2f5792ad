"""accord serve: a real server process on the embedded default, ready at /healthz."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from accord.cli import serve as serve_module
from accord.cli.main import app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_health_and_openapi_with_no_configuration(tmp_path: Path) -> None:
    port = _free_port()
    environment = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path / "data")}
    environment.pop("ACCORD_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    accord = Path(sys.executable).parent / "accord"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(accord), "serve", "--port", str(port)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "the server did not start in 90 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        openapi = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert openapi["info"]["title"] == "Accord"
        assert (tmp_path / "data" / "accord.db").is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)
    output = log.read_text(encoding="utf-8")
    assert server.returncode == 0, output
    assert "worker: evaluating every 15 minutes" in output
    assert output.rstrip().endswith("worker: stopped")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACCORD_CONFIG", raising=False)
    monkeypatch.delenv("ACCORD_WORKER", raising=False)
    return folder


def _serve_without_listening(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run ``accord serve`` in-process with uvicorn replaced by a stand-in that returns at
    once (as uvicorn does when stopped); the printed lines are returned."""
    calls: list[object] = []
    monkeypatch.setattr(serve_module.uvicorn, "run", lambda app, **options: calls.append(app))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    return result.stdout.splitlines()


def test_serve_runs_the_worker_in_process_and_stops_it_with_the_server(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _serve_without_listening(monkeypatch)
    assert lines[-2:] == ["worker: evaluating every 15 minutes", "worker: stopped"]


def test_serve_leaves_the_worker_out_when_it_is_off(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_WORKER", "off")
    assert not any(line.startswith("worker:") for line in _serve_without_listening(monkeypatch))
