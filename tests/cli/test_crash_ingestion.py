"""Killing ``accord serve`` during ingestion loses no acknowledged batch and duplicates none.

A real server process on the embedded default (SQLite in a temporary data directory) takes
concurrent batch pushes from a thread pool and is killed with SIGKILL while they are in
flight. Restarted on the same data directory, it receives every batch again under the same
ids. Every batch that was acknowledged before the kill is then found exactly once (a retry
answers ``already_received``), every batch is stored exactly once, no event id is stored
twice, and an evaluation counts each distinct event once: files the crash left behind (a
temporary file, a batch file without its record) are never evaluated.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from accord.cli.main import app as cli

AGREEMENT: Final = """\
apiVersion: accord/v1
kind: Agreement
metadata: {id: acme-bravo, title: Acme and Bravo, version: "1"}
timezone: UTC
# The pushes carry October 2026 events at whatever today is: a cutoff this long keeps October
# open, so they count instead of being held as late data for a closed window.
data_cutoff: 3650 days
parties:
  - {id: acme, name: Acme Retail, role: consumer}
  - {id: bravo, name: Bravo Payments, role: provider}
term:
  effective: 2026-01-01
  duration: 24 months
  renewal: {mode: manual, notice: 3 months}
  termination_notice: 3 months
sources:
  - id: requests
    kind: events
    format: push
    owner: bravo
    timestamp: at
    key: id
    columns:
      at: {column: ts, type: timestamp}
      id: {column: request_id, type: string}
      status: {column: http_status, type: integer}
indicators:
  - {id: success, name: Successful requests, kind: ratio, source: requests, good: status < 500}
objectives:
  - id: availability
    name: Availability
    indicator: success
    target: 99%
    tolerance: 90%
    window: month
"""
BATCHES: Final = 40
EVENTS_PER_BATCH: Final = 200
#: Two crashes: after this many acknowledgements in the round, and this far (in the time
#: the server takes to store one batch) into storing the next. Half-way tends to find a
#: temporary file being written; near the end, a batch file renamed into place whose
#: record is not yet committed.
CRASHES: Final = ((12, 0.5), (26, 0.9))
PUSHERS: Final = 6
#: On a quiet machine the whole test takes well under 30 s: each wait ends as soon as its
#: condition holds. The deadline only bounds a failure, and leaves room for a loaded machine
#: (two cores shared with other jobs start the server and answer pushes several times slower).
BUDGET_SECONDS: Final = 300
BATCH_FILES: Final = Path("measurements") / "acme-bravo" / "requests"
OCTOBER: Final = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


@dataclass
class Server:
    """``accord serve`` on the data directory; started, killed and restarted by the test."""

    data_dir: Path
    log: Path
    deadline: float
    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    def environment(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("ACCORD_DATABASE_URL", "ACCORD_CONFIG")
        }
        # The scheduled evaluation stays out of the way: the test evaluates when it is done.
        return {**environment, "ACCORD_DATA_DIR": str(self.data_dir), "ACCORD_WORKER": "off"}

    def start(self) -> None:
        port = _free_port()
        accord = Path(sys.executable).parent / "accord"
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [str(accord), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{port}"
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8")
            assert time.monotonic() < self.deadline, "the server did not start in time"
            time.sleep(0.1)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def seconds_left(self) -> float:
        left = self.deadline - time.monotonic()
        assert left > 0, "the test ran out of time"
        return left


@dataclass
class Pushes:
    """What the client saw: the receipt of every acknowledged push, by batch id."""

    kill_after: int
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)
    times: list[float] = field(default_factory=list)

    def record(self, batch_id: str, receipt: dict[str, Any]) -> None:
        with self.lock:
            self.acknowledged[batch_id] = receipt
            self.times.append(time.monotonic())
            if len(self.acknowledged) >= self.kill_after:
                self.enough.set()

    def pace(self) -> float:
        """Seconds between acknowledgements so far (the server stores one batch at a time)."""
        with self.lock:
            return (self.times[-1] - self.times[0]) / max(len(self.times) - 1, 1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _events(batch: int) -> list[dict[str, object]]:
    """Distinct events: ids never repeat across batches; one in twenty fails."""
    start = OCTOBER + dt.timedelta(hours=batch * 12)
    return [
        {
            "ts": (start + dt.timedelta(seconds=97 * i)).isoformat(),
            "request_id": f"b{batch:03d}-{i:04d}",
            "http_status": 503 if i % 20 == 0 else 200,
        }
        for i in range(EVENTS_PER_BATCH)
    ]


BATCH_EVENTS: Final = {f"batch-{n:03d}": _events(n) for n in range(BATCHES)}


def _admin(data_dir: Path, *args: str) -> str:
    """``accord admin …`` on the data directory (in process); its last line of output."""
    environment = {"ACCORD_DATA_DIR": str(data_dir), "ACCORD_DATABASE_URL": None}
    result = CliRunner().invoke(cli, ["admin", *args], env={**environment, "ACCORD_CONFIG": None})
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def _tokens(data_dir: Path) -> dict[str, str]:
    """The company with an agreement manager, the partner with a user who pushes; tokens."""
    _admin(data_dir, "create-organisation", "acme", "Acme Retail", "--company")
    _admin(data_dir, "create-organisation", "bravo", "Bravo Payments")
    users = {
        "manager@acme.example": ("acme", "agreement_manager"),
        "ops@bravo.example": ("bravo", "partner"),
    }
    tokens = {}
    for email, (organisation, role) in users.items():
        _admin(
            data_dir,
            "create-user",
            *("--organisation", organisation, "--email", email),
            *("--name", email.split("@")[0], "--role", role),
        )
        tokens[email] = _admin(data_dir, "create-token", "--user", email)
    return tokens


def _push(client: httpx.Client, server: Server, token: str, batch_id: str) -> httpx.Response | None:
    """One batch, as JSON or (every other batch) as JSON lines; None when the server is gone."""
    path = f"/api/v1/agreements/acme-bravo/sources/requests/batches/{batch_id}"
    headers = {"Authorization": f"Bearer {token}"}
    events = BATCH_EVENTS[batch_id]
    if int(batch_id[-3:]) % 2:
        headers["Content-Type"] = "application/x-ndjson"
        body = "".join(json.dumps(event) + "\n" for event in events).encode()
    else:
        body = json.dumps({"events": events}).encode()
    timeout = min(10.0, server.seconds_left())
    try:
        return client.put(f"{server.url}{path}", content=body, headers=headers, timeout=timeout)
    except httpx.TransportError:
        return None


def _push_until_killed(server: Server, token: str, kill_after: int, fraction: float) -> Pushes:
    """Every batch pushed concurrently; SIGKILL once enough are acknowledged."""
    pushes = Pushes(kill_after)

    def push(batch_id: str) -> None:
        response = _push(client, server, token, batch_id)
        if response is not None and response.is_success:
            pushes.record(batch_id, response.json())

    with httpx.Client() as client, ThreadPoolExecutor(PUSHERS) as pool:
        futures = [pool.submit(push, batch_id) for batch_id in BATCH_EVENTS]
        assert pushes.enough.wait(server.seconds_left()), server.log.read_text(encoding="utf-8")
        time.sleep(pushes.pace() * fraction)
        server.kill()
        for future in futures:
            future.result(timeout=server.seconds_left())
    return pushes


def _stored_event_ids(folder: Path) -> dict[str, list[str]]:
    """Event ids per batch file in the source's folder (the batch id is the file's name)."""
    with duckdb.connect() as con:
        return {
            path.stem: [
                row[0]
                for row in con.execute("SELECT id FROM read_parquet(?)", [str(path)]).fetchall()
            ]
            for path in sorted(folder.glob("*.parquet"))
        }


def _leave_crash_debris(folder: Path) -> None:
    """What a crash can leave beside the batch files: a temporary file being written, and a
    finished file whose record was never committed (here, a copy of a stored batch)."""
    stored = sorted(folder.glob("*.parquet"))[0]
    (folder / f".{stored.stem}.0123456789abcdef.tmp").write_bytes(stored.read_bytes())
    (folder / "never-recorded.parquet").write_bytes(stored.read_bytes())


def _valid_events_in_october(client: httpx.Client, manager: dict[str, str]) -> int:
    run = client.post(
        "/api/v1/agreements/acme-bravo/evaluations",
        headers=manager,
        json={"period": "2026-10", "as_of": "2026-11-01T00:00:00Z", "reason": "after the crash"},
    )
    assert run.status_code == 201, run.text
    page = client.get("/api/v1/agreements/acme-bravo/verdicts", headers=manager).json()
    [verdict] = page["items"]
    detail = client.get(f"/api/v1/agreements/acme-bravo/verdicts/{verdict['id']}", headers=manager)
    valid: int = detail.json()["evidence"]["counts"]["valid"]
    return valid


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = Server(tmp_path / "data", tmp_path / "serve.log", time.monotonic() + BUDGET_SECONDS)
    try:
        yield started
    finally:
        started.kill()


@pytest.mark.slow
def test_a_killed_server_loses_no_acknowledged_batch_and_stores_none_twice(
    server: Server,
) -> None:
    tokens = _tokens(server.data_dir)
    manager = {"Authorization": f"Bearer {tokens['manager@acme.example']}"}
    partner = tokens["ops@bravo.example"]
    server.start()
    uploaded = httpx.post(
        f"{server.url}/api/v1/agreements", headers=manager, json={"text": AGREEMENT}, timeout=10
    )
    assert uploaded.status_code == 201, uploaded.text

    acknowledged: dict[str, dict[str, Any]] = {}
    for kill_after, fraction in CRASHES:
        pushes = _push_until_killed(server, partner, kill_after, fraction)
        assert kill_after <= len(pushes.acknowledged) < BATCHES
        acknowledged = {**pushes.acknowledged, **acknowledged}
        server.start()

    with httpx.Client() as client:
        again = {batch_id: _push(client, server, partner, batch_id) for batch_id in BATCH_EVENTS}
    for batch_id, response in again.items():
        assert response is not None, f"{batch_id}: no answer"
        assert response.is_success, (batch_id, response.text)
        receipt = response.json()
        assert (receipt["received"], receipt["accepted"]) == (EVENTS_PER_BATCH,) * 2, receipt
        if batch_id in acknowledged:
            assert (response.status_code, receipt["status"]) == (200, "already_received")
            assert {**acknowledged[batch_id], "status": receipt["status"]} == receipt

    with httpx.Client(base_url=server.url, timeout=server.seconds_left()) as client:
        batches = client.get(
            "/api/v1/agreements/acme-bravo/sources/requests/batches", headers=manager
        )
        listed = sorted((b["batch_id"], b["accepted"]) for b in batches.json())
        assert listed == [(batch_id, EVENTS_PER_BATCH) for batch_id in sorted(BATCH_EVENTS)]

        folder = server.data_dir / BATCH_FILES
        stored = _stored_event_ids(folder)
        assert {b: len(ids) for b, ids in stored.items()} == {
            b: EVENTS_PER_BATCH for b in BATCH_EVENTS
        }
        every_id = [event_id for ids in stored.values() for event_id in ids]
        assert len(every_id) == len(set(every_id)) == BATCHES * EVENTS_PER_BATCH

        _leave_crash_debris(folder)
        assert _valid_events_in_october(client, manager) == BATCHES * EVENTS_PER_BATCH
