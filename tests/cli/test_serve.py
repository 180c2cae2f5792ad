"""accord serve: a real server process on the embedded default, ready at /healthz."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


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
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        openapi = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert openapi["info"]["title"] == "Accord"
        assert (tmp_path / "data" / "accord.db").is_file()
    finally:
        server.terminate()
        server.wait(timeout=10)
