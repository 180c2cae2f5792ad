"""Side by side: the evaluation and ingestion benchmarks of this checkout against a baseline
commit, in one run, on the same data, alternating the two sides round by round.

Usage: .venv/bin/python -m bench.compare --baseline COMMIT [--rounds 2] [--events 2000000]
    [--batches 10] [--repeat 3]

The baseline is checked out into a temporary ``git worktree`` (removed afterwards) and run
with this checkout's virtual environment, its own ``src`` first on ``PYTHONPATH``. Each round
runs ``bench.run_events`` (workload (a): engine and hand-written DuckDB, same data) and
``bench.ingest`` (``write_batch`` on lists and JSON-lines files) on both sides, baseline
first. The script prints every figure, the medians per side, and the ratios current ÷
baseline: above 1 for times and below 1 for rates means slower.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from bench.ingest import machine

HERE: Final = Path(__file__).resolve().parent.parent
#: The figures each benchmark prints, by name.
FIGURES: Final = {
    "bench.run_events": {
        "engine s": re.compile(r"^engine\s+([\d.]+) s", re.M),
        "hand-written s": re.compile(r"^hand-written\s+([\d.]+) s", re.M),
    },
    "bench.ingest": {
        "list events/s": re.compile(r"^list of events\s+[\d.]+ s\s+([\d,]+) events/s", re.M),
        "files events/s": re.compile(r"^JSON-lines files\s+[\d.]+ s\s+([\d,]+) events/s", re.M),
    },
}


@contextmanager
def checkout(commit: str) -> Iterator[Path]:
    """The baseline commit in a temporary worktree of this repository."""
    with tempfile.TemporaryDirectory(prefix="accord-baseline-") as folder:
        path = Path(folder) / "baseline"
        git = ["git", "-C", str(HERE), "worktree"]
        subprocess.run([*git, "add", "--detach", str(path), commit], check=True)
        try:
            yield path
        finally:
            subprocess.run([*git, "remove", "--force", str(path)], check=False)


def run(side: Path, module: str, arguments: list[str]) -> dict[str, float]:
    """One run of a benchmark module in a checkout: its figures."""
    env = {**os.environ, "PYTHONPATH": f"{side / 'src'}{os.pathsep}{side}"}
    done = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=side,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    print(done.stdout, end="", flush=True)
    figures = {}
    for name, pattern in FIGURES[module].items():
        found = pattern.search(done.stdout)
        if found is None:
            raise SystemExit(f"{module} in {side} printed no {name!r}")
        figures[name] = float(found.group(1).replace(",", ""))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="Commit to compare against.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.gettempdir()) / "accord-bench-compare"
    benchmarks = {
        "bench.run_events": [
            f"--events={args.events}",
            f"--repeat={args.repeat}",
            f"--data={data}",
        ],
        "bench.ingest": [f"--batches={args.batches}", f"--repeat={args.repeat}"],
    }
    print(f"machine: {machine()}")
    found: dict[tuple[str, str], list[float]] = {}
    with checkout(args.baseline) as baseline:
        sides = {"baseline": baseline, "current": HERE}
        for round_number in range(1, args.rounds + 1):
            for module, arguments in benchmarks.items():
                for side, path in sides.items():
                    print(f"-- round {round_number}, {module}, {side}", flush=True)
                    for name, value in run(path, module, arguments).items():
                        found.setdefault((side, name), []).append(value)
    print(f"\nmedians of {args.rounds} rounds (baseline {args.baseline}):")
    names = [name for figures in FIGURES.values() for name in figures]
    for name in names:
        before = statistics.median(found["baseline", name])
        after = statistics.median(found["current", name])
        print(
            f"{name:16} baseline {before:14,.2f}  current {after:14,.2f}  "
            f"ratio {after / before:.3f}"
        )
    for side in ("baseline", "current"):
        engine = statistics.median(found[side, "engine s"])
        floor = statistics.median(found[side, "hand-written s"])
        print(f"{side}: engine / hand-written {engine / floor:.2f}×")


if __name__ == "__main__":
    main()
