"""A real Prometheus server for the tests: Debian's ``prometheus`` binary on 127.0.0.1 on a
free port, with its own storage folder, fed a month of history backfilled with
``promtool tsdb create-blocks-from openmetrics``. Without the binary the tests are skipped
with the reason, unless ``CI`` is set: there they must run (``.ci/run`` installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.connectors.prometheus import world

__all__ = ["Backfilled", "running_prometheus"]


@dataclass(frozen=True)
class Backfilled:
    """A running server and the raw data its series were made from."""

    url: str
    raw_dir: Path
    requests: list[world.Request]


def _binaries() -> tuple[str, str]:
    prometheus, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if prometheus and promtool:
        return prometheus, promtool
    reason = "Prometheus is not installed (apt-get install prometheus)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the Prometheus tests may not be skipped")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prometheus exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"prometheus not ready in 30 s: {log.read_text(errors='replace')[-2000:]}")


@contextmanager
def running_prometheus(folder: Path) -> Iterator[Backfilled]:
    """Backfill a month of the world's series and serve them."""
    prometheus, promtool = _binaries()
    traffic, checks = world.requests(), world.probes()
    raw_dir = folder / "raw"
    world.write_raw(raw_dir, traffic, checks)
    metrics = folder / "metrics.om"
    world.write_openmetrics(metrics, traffic, checks)
    storage = folder / "tsdb"
    subprocess.run(
        [
            promtool,
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--quiet",
            "--max-block-duration=744h",
            str(metrics),
            str(storage),
        ],
        check=True,
        capture_output=True,
    )
    config = folder / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 15s\n", encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "prometheus.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={config}",
                f"--storage.tsdb.path={storage}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--storage.tsdb.retention.time=100y",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(url, process, log)
        yield Backfilled(url=url, raw_dir=raw_dir, requests=traffic)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
