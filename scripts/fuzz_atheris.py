"""Coverage-guided fuzzing with atheris (libFuzzer) of the agreement loader and the CSV batch
parser, for a bounded time; not part of CI (the Hypothesis fuzz tests are).

Usage:
    .venv/bin/pip install atheris        # once; not in the lock file
    .venv/bin/python scripts/fuzz_atheris.py agreement [-max_total_time=300] [libFuzzer flags]
    .venv/bin/python scripts/fuzz_atheris.py csv [-max_total_time=300]

``agreement``: the input, as text (UTF-8; other bytes as lone surrogates), goes to
``accord.core.loader.load_agreement``; the answer must be an agreement or problems placed at
a line and column, never an exception. Seeds: the agreements in ``examples/``.

``csv``: the input, as a CSV file, is pushed through ``accord.connectors.batches.write_batch``
to a source like the service's (typed columns, a key, quarantine policy); the answer must be a
batch result or ``DataError`` (unreadable, missing columns, rejected), never anything else.
Seeds: a clean batch and one with bad rows.

A crash leaves ``crash-<sha1>`` in the working directory (libFuzzer's way): replay it with
``scripts/fuzz_atheris.py <target> crash-<sha1>`` and turn it into a regression test.
Results of the runs so far: bench/README.md, "Fuzzing with atheris".
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["accord"]):
    from accord.connectors.batches import write_batch
    from accord.core.loader import load_agreement
    from accord.core.model.measurement import Source
    from accord.engine.sources import BadRowPolicy, DataError

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Source.model_validate(
    {
        "id": "requests",
        "kind": "events",
        "format": "push",
        "timestamp": "at",
        "key": "id",
        "columns": {
            "at": {"column": "ts", "type": "timestamp"},
            "id": {"column": "request_id", "type": "string"},
            "status": {"column": "status", "type": "integer"},
            "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
            "ok": {"column": "ok", "type": "boolean"},
            "region": {"column": "region", "type": "string"},
        },
    }
)
CSV_SEEDS = (
    "ts,request_id,status,latency_ms,ok,region\n"
    "2026-10-05T10:00:00Z,r1,200,700,true,eu\n"
    "2026-10-05T12:00:00+02:00,r2,503,1100.5,false,\n",
    "ts,request_id,status,latency_ms,ok,region\n"
    "2026-10-05 10:00,r1,2x0,-5,maybe,eu\n"
    ",,,,,\n"
    '"2026-10-05T10:00:00Z","r""1",200,"7,0",TRUE,"e\nu"\n',
)
_SCRATCH = Path(tempfile.mkdtemp(prefix="accord-fuzz-"))


def agreement(data: bytes) -> None:
    # As a file's bytes would be read; bytes that are not UTF-8 become lone surrogates,
    # which text from JSON can also carry.
    text = data.decode("utf-8", errors="surrogateescape")
    loaded = load_agreement(text, "fuzz.yaml")
    for problem in loaded.problems:
        if problem.line < 1 or problem.column < 1 or not problem.message:
            raise AssertionError(f"a problem without a place or message: {problem}")


def csv(data: bytes) -> None:
    batch = _SCRATCH / "batch.csv"
    batch.write_bytes(data)
    try:
        result = write_batch(
            source=SOURCE,
            events=batch,
            batch_dir=_SCRATCH / "batches",
            batch_id="fuzz",
            known=set[str]().intersection,
            policy=BadRowPolicy.QUARANTINE,
            quarantine_dir=_SCRATCH / "quarantine",
        )
    except DataError:
        return
    if result.received != result.accepted + result.duplicates + result.rejected:
        raise AssertionError(f"counts do not add up: {result}")


def _seeds(target: str) -> Path:
    corpus = _SCRATCH / f"seeds-{target}"
    corpus.mkdir(exist_ok=True)
    if target == "agreement":
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            (corpus / example.name).write_bytes(example.read_bytes())
    else:
        for number, seed in enumerate(CSV_SEEDS):
            (corpus / f"seed-{number}.csv").write_text(seed)
    return corpus


def main() -> None:
    targets = {"agreement": agreement, "csv": csv}
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        sys.exit(f"usage: {sys.argv[0]} agreement|csv [libFuzzer flags or a crash file]")
    target = sys.argv[1]
    flags = sys.argv[2:]
    replay = [flag for flag in flags if not flag.startswith("-")]
    arguments = [sys.argv[0], *flags, *([] if replay else [str(_seeds(target))])]
    atheris.Setup(arguments, targets[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
