"""Service benchmark: a real ``accord serve`` process, measured over HTTP.

Usage: .venv/bin/python -m bench.service [--database sqlite|postgres|both] [--events 500000]
       [--batch-size 10000] [--clients 4] [--repeat 3] [--sustained-events 2000000]
       [--partners 100] [--objectives 20] [--months 24] [--requests 500]
       [--skip ingestion|reads]

For each database (the embedded SQLite default, and PostgreSQL at 127.0.0.1:5432 as user
postgres, in a database created for the run and dropped after it) the benchmark starts
``accord serve`` on a free port with a temporary data directory, creates the company, a
partner, their users and API tokens with ``accord admin``, and uploads agreements over HTTP.

1. Ingestion: ``--events`` events of the payments example's ``authorisations`` source, pushed
   as JSON-lines batches of ``--batch-size`` by ``--clients`` concurrent clients, each run into
   an agreement of its own (so every run starts from an empty source); events/s and
   batches/s, median of ``--repeat`` runs. Target: 50,000 events/s on the embedded default.
   Then ``--sustained-events`` into one source: the rate of the first and the last 50
   batches, since each batch is checked for duplicates against all stored before it.
2. Verdict reads: ``--partners`` partner organisations with one agreement each of
   ``--objectives`` monthly objectives, and ``--months`` months of verdicts for each (48,000
   with the defaults, plus one superseded verdict for every tenth, so that some have a
   history), seeded set-based through the store's tables, then the latency of the verdict
   list (a page of 100; one month) and single-verdict endpoints, as each partner and as the
   company: p50 and p99 over ``--requests`` sequential requests each. Target: p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import httpx
import psycopg
import yaml

from bench.ingest import AUTHORISATIONS_DECLARATION, events
from bench.verdict_seed import Seeded, seed_verdicts

ROOT = Path(__file__).resolve().parent.parent
ACCORD = str(Path(sys.executable).with_name("accord"))
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
NDJSON = {"content-type": "application/x-ndjson"}
INGEST_TARGET = 50_000
READ_TARGET_MS = 50.0


@dataclass
class Deployment:
    """A running ``accord serve`` and how to reach it (and its database, to seed it)."""

    database: str
    data_dir: Path
    database_url: str
    base_url: str
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    #: The server's process id (its memory is read from /proc by bench.abuse).
    pid: int = 0

    def admin(self, *arguments: str) -> str:
        done = subprocess.run(
            [ACCORD, "admin", *arguments], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"accord admin {' '.join(arguments)}: {done.stderr or done.stdout}")
        return done.stdout

    def client(self, email: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[email]}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=120)


# -- the server and its database -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def _database(kind: str, data_dir: Path) -> Iterator[str]:
    """The database URL for ``kind``; a PostgreSQL database is created and dropped."""
    if kind == "sqlite":
        yield f"sqlite+pysqlite:///{data_dir / 'accord.db'}"
        return
    name = f"accord_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"accord serve stopped:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"accord serve did not become ready:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def serve(kind: str) -> Iterator[Deployment]:
    """``accord serve`` on ``kind`` (sqlite or postgres), stopped and cleaned up afterwards."""
    with (
        tempfile.TemporaryDirectory(prefix=f"accord-bench-{kind}-") as scratch,
        _database(kind, Path(scratch) / "data") as url,
    ):
        data_dir = Path(scratch) / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
        # The API alone: no scheduled evaluation in the same process during the measurement.
        env |= {"ACCORD_DATA_DIR": str(data_dir), "ACCORD_WORKER": "off"}
        if kind != "sqlite":
            env["ACCORD_DATABASE_URL"] = url
        port = _free_port()
        log = Path(scratch) / "serve.log"
        command = [ACCORD, "serve", "--host", "127.0.0.1", "--port", str(port)]
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base_url, process, log)
            yield Deployment(kind, data_dir, url, base_url, env, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def set_up_people(deployment: Deployment) -> None:
    """The company (acme) with a manager, the payments partner (payco) with a user that
    pushes, each with an API token, through ``accord admin`` as an operator would."""
    deployment.admin("create-organisation", "acme", "Acme Retail GmbH", "--company")
    deployment.admin("create-organisation", "payco", "PayCo Payments Ltd")
    people = (
        ("acme", "manager@acme.example", ("admin", "agreement_manager")),
        ("payco", "push@payco.example", ("partner",)),
    )
    for organisation, email, roles in people:
        role_options = [part for role in roles for part in ("--role", role)]
        name = email.split("@")[0]
        user = ["--organisation", organisation, "--email", email, "--name", name]
        deployment.admin("create-user", *user, *role_options)
        output = deployment.admin("create-token", "--user", email, "--name", "bench")
        deployment.tokens[email] = output.strip().splitlines()[-1].strip()


def upload(deployment: Deployment, text: str) -> None:
    with deployment.client("manager@acme.example") as client:
        response = client.post("/api/v1/agreements", json={"text": text})
    if response.status_code != 201:
        raise RuntimeError(f"upload failed: {response.status_code} {response.text[:2000]}")


# -- (1) ingestion over HTTP -----------------------------------------------------------------


def payments_agreement(slug: str) -> str:
    """The payments example with its ``authorisations`` source pushed to the service."""
    document = yaml.safe_load((ROOT / "examples" / "payments-api.yaml").read_text())
    document["metadata"]["id"] = slug
    document["sources"] = [
        AUTHORISATIONS_DECLARATION if source["id"] == "authorisations" else source
        for source in document["sources"]
    ]
    return json.dumps(document, default=str, indent=1)


def encoded_batches(total: int, size: int, seed: int) -> list[bytes]:
    """JSON-lines request bodies, made before the clock starts."""
    return [
        "".join(json.dumps(event) + "\n" for event in events(size, seed=seed, first=first)).encode()
        for first in range(0, total, size)
    ]


@dataclass(frozen=True)
class IngestRun:
    seconds: float
    events: int
    batches: int

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds

    @property
    def batches_per_second(self) -> float:
        return self.batches / self.seconds


async def _push_all(
    deployment: Deployment, slug: str, bodies: list[bytes], clients: int
) -> list[float]:
    """Push every body, ``clients`` at a time; the instants (perf_counter) each batch was
    acknowledged, in the order they were."""
    queue: asyncio.Queue[tuple[int, bytes]] = asyncio.Queue()
    for index, body in enumerate(bodies):
        queue.put_nowait((index, body))
    headers = {**NDJSON, "Authorization": f"Bearer {deployment.tokens['push@payco.example']}"}
    path = f"/api/v1/agreements/{slug}/sources/authorisations/batches"
    acknowledged: list[float] = []

    async def pusher(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            index, body = queue.get_nowait()
            response = await client.put(f"{path}/b-{index:06d}", content=body, headers=headers)
            if response.status_code != 201 or response.json()["accepted"] != body.count(b"\n"):
                raise RuntimeError(f"batch {index}: {response.status_code} {response.text[:500]}")
            acknowledged.append(time.perf_counter())

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=deployment.base_url, timeout=600, limits=limits) as http:
        await asyncio.gather(*(pusher(http) for _ in range(clients)))
    return acknowledged


def ingest_once(deployment: Deployment, run: int, options: argparse.Namespace) -> IngestRun:
    slug = f"payments-run-{run}"
    upload(deployment, payments_agreement(slug))
    bodies = encoded_batches(options.events, options.batch_size, seed=run)
    start = time.perf_counter()
    acknowledged = asyncio.run(_push_all(deployment, slug, bodies, options.clients))
    return IngestRun(acknowledged[-1] - start, options.events, len(bodies))


@dataclass(frozen=True)
class Sustained:
    events: int
    batches: int
    events_per_second: float
    #: events/s over the first and the last ``span`` batches acknowledged
    first: float
    last: float
    span: int


def ingest_sustained(deployment: Deployment, options: argparse.Namespace) -> Sustained:
    """Many batches into one source: is the last batch as quick as the first? (Each batch
    is checked for duplicates against every batch stored before it.)"""
    total, size = options.sustained_events, options.batch_size
    bodies = encoded_batches(total, size, seed=1000)
    upload(deployment, payments_agreement("payments-sustained"))
    start = time.perf_counter()
    acknowledged = asyncio.run(_push_all(deployment, "payments-sustained", bodies, options.clients))
    span = min(50, len(bodies) // 4)
    result = Sustained(
        events=total,
        batches=len(bodies),
        events_per_second=total / (acknowledged[-1] - start),
        first=span * size / (acknowledged[span - 1] - start),
        last=span * size / (acknowledged[-1] - acknowledged[-span - 1]),
        span=span,
    )
    print(
        f"   sustained: {total:,} events into one source ({len(bodies)} batches): "
        f"{result.events_per_second:,.0f} events/s; first {span} batches "
        f"{result.first:,.0f} events/s, last {span} {result.last:,.0f} events/s",
        flush=True,
    )
    return result


def bench_ingestion(
    deployment: Deployment, options: argparse.Namespace
) -> tuple[IngestRun, Sustained | None]:
    batches = -(-options.events // options.batch_size)
    print(
        f"-- ingestion over HTTP: {options.events:,} events in {batches} JSON-lines batches "
        f"of {options.batch_size:,}, {options.clients} concurrent clients, "
        f"median of {options.repeat} runs (each into a fresh agreement)",
        flush=True,
    )
    runs = []
    for run in range(1, options.repeat + 1):
        result = ingest_once(deployment, run, options)
        runs.append(result)
        print(
            f"   run {run}: {result.seconds:6.2f} s  {result.events_per_second:10,.0f} events/s"
            f"  {result.batches_per_second:6.2f} batches/s",
            flush=True,
        )
    median = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
    verdict = "meets" if median.events_per_second >= INGEST_TARGET else "MISSES"
    print(
        f"   median: {median.events_per_second:,.0f} events/s, "
        f"{median.batches_per_second:.2f} batches/s ({verdict} the {INGEST_TARGET:,} target)",
        flush=True,
    )
    if options.sustained_events < 4 * options.batch_size:
        return median, None
    return median, ingest_sustained(deployment, options)


# -- (2) verdict reads -----------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    endpoint: str
    role: str
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.samples, n=100, method="inclusive")[98]


def _timed(client: httpx.Client, paths: list[str]) -> list[float]:
    for path in paths[:20]:  # warm-up: connections, caches, parsed agreements
        client.get(path).raise_for_status()
    samples = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:500]}")
    return samples


def _read_paths(seeded: Seeded, partner: int, count: int, seed: int) -> dict[str, list[str]]:
    """Request paths for each endpoint: one partner's agreement (``partner >= 0``) or any."""
    chance = random.Random(seed)
    paths: dict[str, list[str]] = {"list: page of 100": [], "list: one month": [], "single": []}
    for _ in range(count):
        index = partner if partner >= 0 else chance.randrange(len(seeded.agreements))
        slug = seeded.agreements[index]
        base = f"/api/v1/agreements/{slug}/verdicts"
        offset = 100 * chance.randrange(-(-seeded.per_agreement // 100))
        paths["list: page of 100"].append(f"{base}?limit=100&offset={offset}")
        paths["list: one month"].append(f"{base}?window={chance.choice(seeded.windows)}")
        paths["single"].append(f"{base}/{chance.choice(seeded.verdict_ids[index])}")
    return paths


def _as_partners(deployment: Deployment, seeded: Seeded, count: int) -> dict[str, list[float]]:
    """``count`` requests per endpoint, spread over the partners, each with its own token."""
    found: dict[str, list[float]] = {}
    partners = len(seeded.agreements)
    for partner in range(partners):
        share = count // partners + (1 if partner < count % partners else 0)
        if not share:
            continue
        deployment.tokens[seeded.users[partner]] = seeded.tokens[partner]
        with deployment.client(seeded.users[partner]) as client:
            for endpoint, paths in _read_paths(seeded, partner, share, partner).items():
                found.setdefault(endpoint, []).extend(_timed(client, paths))
    return found


def _check_isolation(deployment: Deployment, seeded: Seeded) -> None:
    """A partner asking for another partner's verdicts finds nothing (404), as it should."""
    deployment.tokens[seeded.users[0]] = seeded.tokens[0]
    with deployment.client(seeded.users[0]) as client:
        response = client.get(f"/api/v1/agreements/{seeded.agreements[1]}/verdicts")
    if response.status_code != 404:
        raise RuntimeError(f"partner 0 reads partner 1's verdicts: {response.status_code}")


def bench_reads(deployment: Deployment, options: argparse.Namespace) -> list[Latency]:
    start = time.perf_counter()
    seeded = seed_verdicts(
        deployment.data_dir,
        deployment.database_url,
        partners=options.partners,
        objectives=options.objectives,
        months=options.months,
    )
    print(
        f"-- verdict reads: {options.partners} partners × {options.objectives} objectives × "
        f"{options.months} months = {seeded.current:,} current verdicts "
        f"(+{seeded.superseded:,} superseded), seeded in {time.perf_counter() - start:.1f} s; "
        f"{options.requests} sequential requests per endpoint and role",
        flush=True,
    )
    _check_isolation(deployment, seeded)
    results = [
        Latency(endpoint, "partner", samples)
        for endpoint, samples in _as_partners(deployment, seeded, options.requests).items()
    ]
    with deployment.client("manager@acme.example") as client:
        for endpoint, paths in _read_paths(seeded, -1, options.requests, 7).items():
            results.append(Latency(endpoint, "company", _timed(client, paths)))
    for result in results:
        mark = "" if result.p99 < READ_TARGET_MS else "  (MISSES the 50 ms target)"
        print(
            f"   {result.endpoint:<18} as {result.role:<7}  p50 {result.p50:6.1f} ms"
            f"  p99 {result.p99:6.1f} ms  ({len(result.samples)} requests){mark}",
            flush=True,
        )
    return results


# -- the machine and the report --------------------------------------------------------------


def _cpu() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _postgres_version() -> str:
    try:
        with psycopg.connect(POSTGRES, connect_timeout=3) as connection:
            row = connection.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        return f"unreachable ({str(exc).strip().splitlines()[0]})"
    return str(row[0]) if row else "?"


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{_cpu()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {_postgres_version()}, DuckDB {duckdb.__version__}; load average {load}"
    )


@dataclass
class Results:
    ingestion: dict[str, tuple[IngestRun, Sustained | None]] = field(default_factory=dict)
    reads: dict[str, list[Latency]] = field(default_factory=dict)

    def print_tables(self) -> None:
        """Markdown tables of everything measured, for bench/README.md."""
        if self.ingestion:
            print(
                "\n| database | events/s (median) | batches/s | sustained: first → last batches |"
            )
            print("| --- | ---: | ---: | --- |")
        for database, (run, sustained) in self.ingestion.items():
            trend = "-"
            if sustained is not None:
                trend = (
                    f"{sustained.first:,.0f} → {sustained.last:,.0f} events/s "
                    f"({sustained.span} each, of {sustained.batches})"
                )
            print(
                f"| {database} | {run.events_per_second:,.0f} | {run.batches_per_second:.2f} "
                f"| {trend} |"
            )
        if self.reads:
            print("\n| database | endpoint | as | p50 ms | p99 ms |")
            print("| --- | --- | --- | ---: | ---: |")
        for database, latencies in self.reads.items():
            for read in latencies:
                print(
                    f"| {database} | {read.endpoint} | {read.role} | {read.p50:.1f} "
                    f"| {read.p99:.1f} |"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sustained-events", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--partners", type=int, default=100)
    parser.add_argument("--objectives", type=int, default=20)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--skip", choices=("ingestion", "reads"), action="append", default=[])
    options = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    kinds = ("sqlite", "postgres") if options.database == "both" else (options.database,)
    results = Results()
    for kind in kinds:
        unreachable = kind == "postgres" and _postgres_version().startswith("unreachable")
        if unreachable and options.database == "both":
            print(f"== postgres: skipped, PostgreSQL {_postgres_version()} at {POSTGRES}")
            continue
        print(f"== {kind}: accord serve, {'embedded' if kind == 'sqlite' else 'PostgreSQL'}")
        with serve(kind) as deployment:
            set_up_people(deployment)
            if "ingestion" not in options.skip:
                results.ingestion[kind] = bench_ingestion(deployment, options)
            if "reads" not in options.skip:
                results.reads[kind] = bench_reads(deployment, options)
    results.print_tables()


if __name__ == "__main__":
    main()
