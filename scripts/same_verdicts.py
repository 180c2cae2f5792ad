"""Same verdicts before and after a change: the demo's verdicts and evidence, compared byte
for byte between a base revision's code and this tree's.

Usage: .venv/bin/python scripts/same_verdicts.py BASE_SRC [--out DIR] [--keep]

``BASE_SRC`` is the ``src`` folder of a checkout of the base revision (for example a
worktree: ``git worktree add --detach /tmp/base <rev>`` then ``/tmp/base/src``). Both trees
run with this virtual environment, the base's code put first on ``PYTHONPATH``, over the
base's ``examples`` (so an example added since cannot make a difference by itself), and
produce, each in its own folder:

- ``demo/verdicts/*.json``: ``accord demo`` (October 2026 as of its end: the demo's clock
  is the period's end, so nothing depends on the time of the run);
- ``open/*.json``: every example evaluated as of 2026-10-20T09:30Z (windows still open:
  burn rates, open tickets, partial coverage) and ``q3/*.json`` over 2026-Q3;
- ``evidence/*``: an evidence bundle of the first objective of every indicator kind (and
  method) in each example, unpacked member by member.

Every file must be identical, except where the verdict format changed on purpose: from
``accord.verdicts/v1`` (decimals as JSON floats, a budget's ``projected_exhaustion_at``
either ``"exhausted"`` or an instant) to ``v2`` (decimals as strings, ``exhausted`` apart).
A JSON file then matches when every number of the base equals the new decimal read as a
float (the base wrote ``float(round(x, 10))``, the new writes ``round(x, 10)`` exactly), the
budget's states agree and all else is equal; a bundle's README matches with the format's
name changed; its manifest matches except the hashes of those two files. A bundle may hold
``items.csv`` (the drill-down) that the base's bundles lack: a member added on purpose, so it
is not a difference, nor is its entry in the manifest. Only the bundles' manifests
(``evidence/…/manifest.json``) are read as such; any other ``manifest.json`` (the demo's
reports write one) is compared as JSON. Exit status 0 when they all are, 1 otherwise
(naming each difference).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
OPEN_AS_OF = "2026-10-20T09:30:00+00:00"


def _accord(src: Path, *arguments: str) -> None:
    # The demo serves the web app unless told not to; here it only writes its files.
    environment = {**os.environ, "PYTHONPATH": str(src), "ACCORD_DEMO_SERVE": "0"}
    entry = "import sys; from accord.cli.main import run; sys.argv[0] = 'accord'; run()"
    command = [sys.executable, "-c", entry, *arguments]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed ({src}):\n{done.stdout}{done.stderr}")


def _kind_of(indicator: dict[str, object]) -> str:
    """An indicator's kind with the field that changes its plan (statistic, method)."""
    variant = indicator.get("statistic") or indicator.get("method") or ""
    return f"{indicator['kind']}:{variant}"


def _bundled_objectives(example: Path, verdicts: Path) -> list[str]:
    """The first objective of each indicator kind (and statistic or method) that has a
    verdict in the demo's period (a peak period may leave an objective without one)."""
    document = YAML(typ="rt").load(example.read_text(encoding="utf-8"))
    judged = {v["objective"] for v in json.loads(verdicts.read_text())["verdicts"]}
    kinds = {i["id"]: _kind_of(i) for i in document.get("indicators", [])}
    chosen: dict[str, str] = {}
    for objective in document.get("objectives", []):
        if objective["id"] in judged:
            chosen.setdefault(kinds[objective["indicator"]], objective["id"])
    return list(chosen.values())


def _run(src: Path, examples: Path, out: Path) -> None:
    demo = out / "demo"
    _accord(src, "demo", "--out", str(demo), "--examples", str(examples))
    shutil.rmtree(demo / "documents")  # rendering is not the engine's (PDFs carry dates)
    # The service's store (database, keys, stored reports stamped with the time they were
    # generated) is not the engine's either: its verdicts are those in demo/verdicts.
    shutil.rmtree(demo / "store", ignore_errors=True)
    data = demo / "data"
    for example in sorted(examples.glob("*.yaml")):
        for folder, extra in (("open", ["--as-of", OPEN_AS_OF]), ("q3", [])):
            period = "2026-10" if folder == "open" else "2026-Q3"
            target = out / folder / f"{example.stem}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            _accord(
                src,
                "evaluate",
                str(example),
                "--data",
                str(data),
                "--period",
                period,
                "--format",
                "json",
                "-o",
                str(target),
                *extra,
            )
        verdicts = demo / "verdicts" / f"{example.stem}.json"
        for objective in _bundled_objectives(example, verdicts):
            bundle = out / f"{example.stem}-{objective}.zip"
            _accord(
                src,
                "evidence",
                "export",
                str(example),
                "--data",
                str(data),
                "--period",
                "2026-10",
                "--objective",
                objective,
                "-o",
                str(bundle),
            )
            with zipfile.ZipFile(bundle) as archive:
                archive.extractall(out / "evidence" / f"{example.stem}-{objective}")
            bundle.unlink()
    shutil.rmtree(data)  # generated by each side from the same seed: compared via results


def _files(folder: Path) -> set[Path]:
    return {path.relative_to(folder) for path in folder.rglob("*") if path.is_file()}


_FORMATS = {"accord.verdicts/v1": "accord.verdicts/v2"}
#: Files whose bytes change with the verdict format; the manifest hashes them.
_REFORMATTED = {"verdict.json", "README.txt"}
#: Bundle members added since the base (the drill-down); absent from the base's bundles.
_ADDED = {"items.csv"}


def _bundle_member(path: Path) -> bool:
    """Whether a file is a member of an unpacked evidence bundle (``evidence/<bundle>/…``)."""
    return len(path.parts) >= 3 and path.parts[0] == "evidence"


def _v1_budget(budget: dict[str, object]) -> dict[str, object]:
    """A v1 budget in v2's shape: ``exhausted`` apart from the projected instant."""
    shaped: dict[str, object] = {}
    for key, value in budget.items():
        if key == "projected_exhaustion_at":
            shaped["exhausted"] = value == "exhausted"
            value = None if value == "exhausted" else value  # noqa: PLW2901
        shaped[key] = value
    return shaped


def _same_json(base: object, new: object, where: str) -> list[str]:  # noqa: PLR0911
    if isinstance(base, float) and isinstance(new, str):
        try:
            return [] if float(new) == base else [f"{where}: {base!r} → {new!r}"]
        except ValueError:
            return [f"{where}: {base!r} → {new!r}"]
    if isinstance(base, str) and base in _FORMATS:
        return [] if new == _FORMATS[base] else [f"{where}: {base!r} → {new!r}"]
    if isinstance(base, dict) and isinstance(new, dict):
        if "spent_events" in base and "exhausted" not in base:
            base = _v1_budget(base)
        if list(base) != list(new):
            return [f"{where}: keys {list(base)} → {list(new)}"]
        return [d for k in base for d in _same_json(base[k], new[k], f"{where}.{k}")]
    if isinstance(base, list) and isinstance(new, list):
        if len(base) != len(new):
            return [f"{where}: {len(base)} items → {len(new)}"]
        return [
            d
            for i, (b, n) in enumerate(zip(base, new, strict=True))
            for d in _same_json(b, n, f"{where}[{i}]")
        ]
    same = type(base) is type(new) and base == new
    return [] if same else [f"{where}: {base!r} → {new!r}"]


def _same_file(base: Path, new: Path, path: Path) -> list[str]:
    if filecmp.cmp(base, new, shallow=False):
        return []
    if path.name == "README.txt":
        old = base.read_text(encoding="utf-8")
        for before, after in _FORMATS.items():
            old = old.replace(before, after)
        return [] if old == new.read_text(encoding="utf-8") else [f"differs: {path}"]
    if path.suffix != ".json":
        return [f"differs: {path}"]
    old, now = json.loads(base.read_bytes()), json.loads(new.read_bytes())
    if path.name == "manifest.json" and _bundle_member(path):
        before = {item["path"] for item in old.get("files", [])}
        now["files"] = [
            item
            for item in now.get("files", [])
            if item["path"] in before or item["path"] not in _ADDED
        ]
        for document in (old, now):
            for item in document.get("files", []):
                if item["path"] in _REFORMATTED:
                    item["sha256"] = item["bytes"] = "(compared as a file)"
    return [f"differs: {path}: {d}" for d in _same_json(old, now, "")[:5]]


def _compare(base: Path, new: Path) -> list[str]:
    differences = []
    base_files, new_files = _files(base), _files(new)
    differences += [f"only in base: {path}" for path in sorted(base_files - new_files)]
    differences += [
        f"only in new: {path}"
        for path in sorted(new_files - base_files)
        if not (_bundle_member(path) and path.name in _ADDED)
    ]
    for path in sorted(base_files & new_files):
        differences += _same_file(base / path, new / path, path)
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_src", type=Path, help="the src folder of the base revision")
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs here")
    args = parser.parse_args()
    base_src = args.base_src.resolve()
    examples = base_src.parent / "examples"
    out = args.out or Path(tempfile.mkdtemp(prefix="accord-same-verdicts-"))
    for side, src in (("base", base_src), ("new", ROOT / "src")):
        # Both sides write to the same paths: rows set aside name the file they came from.
        shutil.rmtree(out / "run", ignore_errors=True)
        shutil.rmtree(out / side, ignore_errors=True)
        _run(src, examples, out / "run")
        (out / "run").rename(out / side)
    differences = _compare(out / "base", out / "new")
    compared = len(_files(out / "base"))
    if differences:
        print("\n".join(differences))
        print(f"{len(differences)} difference(s) among {compared} files ({out})")
        raise SystemExit(1)
    print(f"identical: {compared} files (verdict JSON and evidence bundles) in {out}")


if __name__ == "__main__":
    main()
