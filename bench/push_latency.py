"""Push latency under load, with the duplicate index against the code before it.

Usage: .venv/bin/python -m bench.push_latency [--batches 600] [--batch-size 200]
       [--pushers 2] [--readers 2] [--baseline REF] [--repeat 1]

Issue 10 §7: every push re-read all earlier batch files of its source to drop duplicates, so
push latency grew with the source (48 → 91 ms over 600 batches) and p99 under load reached
5 s. Pushes now look event ids up in an index (``batch_keys``). This benchmark measures both
in the same run, on the same machine: for each code tree (``baseline``: the source of
``--baseline`` as ``git archive`` gives it, run with ``PYTHONPATH`` pointing at it; ``index``:
this tree) it starts ``accord serve`` on the embedded SQLite default (bench.service), creates
the company and partner, uploads the payments agreement with its ``authorisations`` source
pushed, then ``--pushers`` clients push ``--batches`` JSON-lines batches of ``--batch-size``
new events into that one source while ``--readers`` clients list verdicts and batches without
pause. Each batch also repeats 5 events of the batch before it (a retry's overlap), so
duplicates are found and counted, and the run checks they were.

It prints, per tree and run: push latency p50 / p99 / max, the median latency of the first
and of the last 50 pushes (does a push cost more as the source grows?), and the reads
served; then the ratios index / baseline of the medians over ``--repeat`` runs. The default
baseline is the parent of the commit that added the index's table (HEAD before that commit
exists). Only 127.0.0.1 is contacted; every loop is bounded by ``--batches``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.ingest import events
from bench.service import (
    NDJSON,
    ROOT,
    Deployment,
    machine,
    payments_agreement,
    serve,
    set_up_people,
    upload,
)

#: The index's table, as the commit that added it spelt it.
INDEX_TABLE = "class BatchKeyRow"
SLUG = "payments-latency"
OVERLAP = 5
SPAN = 50


def _git(*arguments: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), *arguments], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def default_baseline() -> str:
    """The parent of the commit that added the index's table; HEAD before it exists."""
    added = _git("log", "--format=%H", "-S", INDEX_TABLE, "--", "src/accord/store/tables.py")
    return f"{added.splitlines()[-1]}^" if added else "HEAD"


@contextlib.contextmanager
def source_tree(ref: str) -> Iterator[Path]:
    """The ``src`` folder of ``ref``, extracted to a temporary folder (the repository's
    work trees are left alone)."""
    with tempfile.TemporaryDirectory(prefix="accord-bench-baseline-") as scratch:
        archive = Path(scratch) / "src.tar"
        archive.write_bytes(
            subprocess.run(
                ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
                capture_output=True,
                check=True,
            ).stdout
        )
        with tarfile.open(archive) as tar:
            tar.extractall(scratch, filter="data")
        yield Path(scratch) / "src"


@contextlib.contextmanager
def deployed(python_path: Path | None) -> Iterator[Deployment]:
    """``accord serve`` on SQLite running the code at ``python_path`` (None: this tree)."""
    saved = os.environ.get("PYTHONPATH")
    if python_path is not None:
        os.environ["PYTHONPATH"] = str(python_path)
    try:
        with serve("sqlite") as deployment:
            yield deployment
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def bodies(count: int, size: int) -> list[tuple[bytes, int]]:
    """JSON-lines bodies and how many of each body's events are new: each batch brings
    ``size`` new events and repeats the last ``OVERLAP`` of the batch before it."""
    made = []
    for index in range(count):
        first = index * size
        start = max(0, first - OVERLAP)
        batch = events(first + size - start, first=start)
        made.append(("".join(json.dumps(e) + "\n" for e in batch).encode(), size))
    return made


@dataclass(frozen=True)
class Run:
    latencies_ms: list[float]
    """Of every push, in the order the batches were taken."""
    reads: int

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def first(self) -> float:
        return statistics.median(self.latencies_ms[:SPAN])

    @property
    def last(self) -> float:
        return statistics.median(self.latencies_ms[-SPAN:])


async def _load(deployment: Deployment, options: argparse.Namespace) -> Run:
    pushes = bodies(options.batches, options.batch_size)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(pushes)):
        queue.put_nowait(index)
    latencies: list[float] = [0.0] * len(pushes)
    done = asyncio.Event()
    reads = 0
    counted = {"accepted": 0, "duplicates": 0}
    push_headers = {**NDJSON, "Authorization": f"Bearer {deployment.tokens['push@payco.example']}"}
    read_headers = {"Authorization": f"Bearer {deployment.tokens['manager@acme.example']}"}
    path = f"/api/v1/agreements/{SLUG}/sources/authorisations/batches"

    async def pusher(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            index = queue.get_nowait()
            body, _ = pushes[index]
            start = time.perf_counter()
            response = await http.put(f"{path}/b-{index:06d}", content=body, headers=push_headers)
            latencies[index] = (time.perf_counter() - start) * 1000
            if response.status_code != 201:
                raise RuntimeError(f"batch {index}: {response.status_code} {response.text[:500]}")
            receipt = response.json()
            counted["accepted"] += receipt["accepted"]
            counted["duplicates"] += receipt["duplicates"]

    async def reader(http: httpx.AsyncClient, number: int) -> None:
        nonlocal reads
        targets = (f"/api/v1/agreements/{SLUG}/verdicts", path)
        while not done.is_set():
            response = await http.get(targets[(reads + number) % 2], headers=read_headers)
            if response.status_code != 200:
                raise RuntimeError(f"read: {response.status_code} {response.text[:500]}")
            reads += 1

    limits = httpx.Limits(max_connections=options.pushers + options.readers)
    async with httpx.AsyncClient(base_url=deployment.base_url, timeout=120, limits=limits) as http:
        readers = [asyncio.create_task(reader(http, n)) for n in range(options.readers)]
        try:
            await asyncio.gather(*(pusher(http) for _ in range(options.pushers)))
        finally:
            done.set()
            await asyncio.gather(*readers)
    # Whichever of two overlapping batches came first, each repeated event counts once.
    expected = {
        "accepted": sum(new for _, new in pushes),
        "duplicates": OVERLAP * (len(pushes) - 1),
    }
    if counted != expected:
        raise RuntimeError(f"pushes counted {counted}, expected {expected}")
    return Run(latencies, reads)


def measure(python_path: Path | None, options: argparse.Namespace) -> Run:
    with deployed(python_path) as deployment:
        set_up_people(deployment)
        upload(deployment, payments_agreement(SLUG))
        return asyncio.run(_load(deployment, options))


def _line(name: str, run: Run) -> str:
    return (
        f"   {name:8} p50 {run.quantile(0.5):7.1f} ms  p99 {run.quantile(0.99):7.1f} ms  "
        f"max {max(run.latencies_ms):7.1f} ms  first {SPAN} {run.first:6.1f} ms  "
        f"last {SPAN} {run.last:6.1f} ms  reads {run.reads}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--pushers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline", default=None, help="git ref of the code to compare with")
    options = parser.parse_args()
    if options.batches < 2 * SPAN:
        parser.error(f"--batches must be at least {2 * SPAN}")
    baseline = options.baseline or default_baseline()
    print(f"machine: {machine()}")
    print(
        f"-- push latency on SQLite: {options.batches} batches of {options.batch_size} new "
        f"events (+{OVERLAP} repeated) into one source, {options.pushers} pushers, "
        f"{options.readers} readers; baseline {baseline} ({_git('rev-parse', baseline)[:10]})",
        flush=True,
    )
    results: dict[str, list[Run]] = {"baseline": [], "index": []}
    with source_tree(baseline) as old:
        for number in range(1, options.repeat + 1):
            for name, python_path in (("baseline", old), ("index", None)):
                run = measure(python_path, options)
                results[name].append(run)
                print(f"{_line(name, run)}  (run {number})", flush=True)

    def median(name: str, value: str) -> float:
        runs = results[name]
        return statistics.median(
            run.quantile(0.5)
            if value == "p50"
            else run.quantile(0.99)
            if value == "p99"
            else getattr(run, value)
            for run in runs
        )

    print(f"   ratios index / baseline (medians of {options.repeat} run(s)):")
    for value in ("p50", "p99", "first", "last"):
        old_value, new_value = median("baseline", value), median("index", value)
        label = {"first": f"first {SPAN}", "last": f"last {SPAN}"}.get(value, value)
        print(
            f"     {label:9} {new_value:7.1f} / {old_value:7.1f} ms = {new_value / old_value:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
