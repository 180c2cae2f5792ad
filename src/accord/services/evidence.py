"""Use cases: export an evidence bundle for verdicts, and verify one with nothing but Accord.

A bundle is one archive file (a zip, written and read by ``accord.connectors.archives``
behind the ``BundleArchive`` port):

- ``agreement.yaml``: the agreement file, byte for byte;
- ``data/…``: the rows the verdicts need, at paths the sources' patterns match (the rule is
  in ``accord.engine.evidence``);
- ``verdict.json``: the verdicts in the ``accord.verdicts/v2`` form, with the period label,
  the as-of instant and the selection, so that the same evaluation can be repeated;
- ``items.csv`` (when the verdicts have a drill-down): the items behind them, one row each:
  tickets with their due instants and on time / late, bad slices, or worst hours;
- ``inputs/…`` and ``inputs.json`` (when sources are pushed or fetched): the Parquet files
  of the pushed batches, byte for byte (their sha256 is the digest recorded at the push),
  and of the rows fetched from outside (Prometheus, status feeds) as the evaluation read
  them; ``inputs.json`` says which source each file is, with the batch id, digest and
  arrival of each batch. Verifying reads them as the evaluation did;
- ``README.txt``: how to recompute, by hand and with ``accord evidence verify``;
- ``manifest.json`` (last): the sha256 of every other file and the agreement's version hash.

Verifying checks every file against the manifest, the agreement's version hash, then
evaluates the bundled data again and compares outcome, value, target, tolerance, counts,
coverage and credit with the recorded verdicts. The manifest proves that nothing changed
after export; the recomputation proves that the verdicts follow from the bundled data and
agreement, which catches a forger who changes data and re-hashes the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Final, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from accord.core.declared import DeclaredIncident
from accord.core.documents import evaluation_header, items_csv, items_of
from accord.core.evaluation import Evaluation, SourceReport
from accord.core.model import Agreement
from accord.core.model.sources import Source, SourceFormat
from accord.core.periods import PeriodError
from accord.core.records import CoverageRecord, RecordError, VerdictRecord
from accord.core.units import format_decimal
from accord.core.verdicts import Verdict
from accord.engine.evidence import Judged, PlacementError, SourceRows, copy_evidence_rows
from accord.engine.sources import BadRowPolicy, DataError
from accord.services.evaluation import EvaluateCommand, FileEvaluations
from accord.services.ports import ArchiveError, BundleArchive
from accord.services.rendering import ReadmeFacts, Rendering

__all__ = [
    "FORMAT",
    "BundledInput",
    "Difference",
    "EvidenceBundles",
    "EvidenceError",
    "ExportCommand",
    "Exported",
    "Selection",
    "Verification",
    "select_verdicts",
]

FORMAT: Final = "accord.evidence/v1"
AGREEMENT: Final = "agreement.yaml"
VERDICTS: Final = "verdict.json"
README: Final = "README.txt"
MANIFEST: Final = "manifest.json"
ITEMS: Final = "items.csv"
INPUTS: Final = "inputs.json"
INPUT_DIR: Final = "inputs"
_FILE_FORMATS: Final = frozenset({SourceFormat.CSV, SourceFormat.PARQUET, SourceFormat.JSONL})
DATA: Final = "data"
#: What a recomputed verdict must repeat, in the order differences are listed.
COMPARED: Final = ("outcome", "value", "target", "tolerance", "counts", "coverage", "credit")
#: Numbers agree when they differ by less than this share: floating-point sums (a mean of
#: durations) may differ in their last bits between runs, a changed row does far more.
_RELATIVE: Final = Decimal("1e-9")
_ABSOLUTE: Final = Decimal("1e-12")
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_CHUNK: Final = 1 << 20


class EvidenceError(Exception):
    """A bundle that cannot be made or read; the message says why, in plain words."""


@dataclass(frozen=True)
class Selection:
    """Which verdicts to bundle: an objective, scope values and a window (explain's rules)."""

    objective: str
    scope: Mapping[str, str] = field(default_factory=dict)
    window: str | None = None


@dataclass(frozen=True)
class BundledInput:
    """Rows read from outside the data folder, carried by the bundle as they were read: a
    pushed batch (its id, the digest recorded at the push, its arrival) or, without a batch
    id, the rows of a fetched source (Prometheus, a status feed) as a Parquet file."""

    source: str
    path: Path
    batch_id: str | None = None
    digest: str | None = None
    received_at: str | None = None


@dataclass(frozen=True)
class ExportCommand:
    """Evaluate as ``accord evaluate`` does, pick the selected verdicts, write ``output``;
    ``inputs`` are the pushed and fetched rows the evaluation reads besides the data folder."""

    evaluation: EvaluateCommand
    selection: Selection
    output: Path
    inputs: tuple[BundledInput, ...] = ()


@dataclass(frozen=True)
class _Replay:
    """A fetcher that gives back rows fetched before (a bundle's, or the export's own)."""

    files: Mapping[str, Sequence[Path]]

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> _Fetched:
        del start_at, end_at, now
        return _Fetched(tuple(self.files.get(source.id, ())))


@dataclass(frozen=True)
class _Fetched:
    files: Sequence[Path]
    report: SourceReport | None = None
    declared: Sequence[DeclaredIncident] = ()


def _reading(command: EvaluateCommand, inputs: Sequence[BundledInput]) -> EvaluateCommand:
    """The evaluation reading the inputs: batches as the pushed sources' files, fetched rows
    through a fetcher that gives them back."""
    pushed: dict[str, list[Path]] = {}
    fetched: dict[str, list[Path]] = {}
    for item in inputs:
        found = pushed if item.batch_id is not None else fetched
        found.setdefault(item.source, []).append(item.path)
    if not inputs:
        return command
    return replace(
        command,
        pushed={**command.pushed, **pushed},
        fetcher=_Replay(fetched) if fetched else command.fetcher,
    )


@dataclass(frozen=True)
class BundledFile:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the verdicts (as JSON data), the files and the rows per source."""

    output: Path
    verdicts: list[dict[str, Any]]
    files: list[BundledFile]
    sources: list[SourceRows]
    #: Sources with rows set aside as bad during evaluation (not in the bundle): id → rows.
    set_aside: dict[str, int]


@dataclass(frozen=True)
class Difference:
    """One way the recomputation disagrees with the bundle."""

    verdict: str
    field: str
    recorded: str
    recomputed: str

    def __str__(self) -> str:
        return (
            f"{self.verdict}: {self.field} recorded {self.recorded}, recomputed {self.recomputed}"
        )


@dataclass(frozen=True)
class Verification:
    """The result of verifying a bundle.

    ``tampered`` lists files that changed, went missing or appeared, and a mismatched
    agreement version; ``problems`` says why the recomputation could not run; ``differences``
    lists what it computed differently; ``recomputed`` the recomputed verdicts as JSON data.
    """

    agreement: str
    tampered: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    recomputed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.tampered or self.problems or self.differences)


# -- selecting verdicts -------------------------------------------------------------------


def select_verdicts(evaluation: Evaluation, selection: Selection) -> list[Verdict]:
    """The verdicts of the objective whose scope has the given values, in the given window
    (``accord explain``'s rules); ``EvidenceError`` naming the choices when none matches."""
    objectives = [o.id for o in evaluation.agreement.objectives]
    if selection.objective not in objectives:
        raise EvidenceError(
            f"no objective {selection.objective!r} in the agreement; "
            f"objectives: {', '.join(objectives)}"
        )
    matches = [
        v
        for v in evaluation.verdicts
        if v.objective == selection.objective
        and all(v.scope.get(k) == value for k, value in selection.scope.items())
        and (selection.window is None or v.window.label == selection.window)
    ]
    if not matches:
        known = sorted(
            {f"{v.objective} [{v.scope_label}] {v.window.label}" for v in evaluation.verdicts}
        )
        raise EvidenceError(f"no verdict matches; verdicts: {'; '.join(known)}")
    return matches


def _judged(evaluation: Evaluation, chosen: Sequence[Verdict]) -> list[Judged]:
    """The chosen objective and, in the same windows, every objective that shares a credit
    scheme with it: the worst of them decides which tier is owed, and to which verdict."""
    agreement = evaluation.agreement
    objective = chosen[0].objective
    related = {objective}
    for scheme in agreement.remedies.credits if agreement.remedies else []:
        if objective in scheme.objectives:
            related |= set(scheme.objectives)
    labels = {v.window.label for v in chosen}
    judged = []
    for item in agreement.objectives:
        if item.id not in related:
            continue
        spans = {
            v.window.label: v.window
            for v in evaluation.verdicts
            if v.objective == item.id and v.window.label in labels
        }
        if spans:
            judged.append(Judged(item, tuple(spans[label] for label in sorted(spans))))
    return judged


class EvidenceBundles:
    """Export and verify evidence bundles. READMEs are written through the rendering port,
    the bundle's container (a zip file) through the archive port; data files are read (to
    evaluate and to copy the rows) through the evaluations' reader port."""

    def __init__(
        self, rendering: Rendering, archive: BundleArchive, evaluations: FileEvaluations
    ) -> None:
        self._rendering = rendering
        self._archive = archive
        self._evaluations = evaluations

    def export(self, command: ExportCommand) -> Exported:
        """Evaluate, select the verdicts, and write a bundle that recomputes them (see
        ``_export``)."""
        return _export(command, self._rendering, self._archive, self._evaluations)

    def verify(self, bundle: Path) -> Verification:
        """Check a bundle's files, its agreement version, and recompute its verdicts (see
        ``_verify``)."""
        return _verify(bundle, self._archive, self._evaluations)


# -- export -------------------------------------------------------------------------------


def _export(
    command: ExportCommand,
    rendering: Rendering,
    archive: BundleArchive,
    evaluations: FileEvaluations,
) -> Exported:
    """Evaluate, select the verdicts, and write a bundle that recomputes them.

    The as-of instant defaults (as in ``accord evaluate``) to now or the period's end, here
    to the second, so that it can be given back on the command line. Before the bundle is
    written, its data is evaluated again: a bundle that would not reproduce its verdicts is
    never written. Raises ``EvidenceError``, ``AgreementFileError``, ``PeriodError`` or
    ``DataError``.
    """
    request = replace(
        command.evaluation,
        now=command.evaluation.now.replace(microsecond=0),
        quarantine_dir=None,
        items=True,
    )
    evaluation = evaluations.evaluate(_reading(request, command.inputs))
    chosen = select_verdicts(evaluation, command.selection)
    with tempfile.TemporaryDirectory(prefix="accord-evidence-") as folder:
        stage = Path(folder)
        shutil.copyfile(request.agreement, stage / AGREEMENT)
        _stage_inputs(stage, command.inputs)
        try:
            sources = copy_evidence_rows(
                _as_read(evaluation.agreement),
                _judged(evaluation, chosen),
                evaluations.reader,
                request.data_dir,
                stage / DATA,
            )
        except PlacementError as exc:
            raise EvidenceError(str(exc)) from None
        recorded = _recorded(evaluation, chosen, command.selection)
        _write_json(stage / VERDICTS, recorded)
        _write_items(stage / ITEMS, evaluation, chosen)
        selection = command.selection
        facts = ReadmeFacts(
            evaluation,
            chosen,
            selection.scope,
            selection.window,
            sources,
            command.output.name,
            items=(stage / ITEMS).is_file(),
            inputs=[i.source for i in command.inputs],
        )
        (stage / README).write_text(rendering.evidence_readme(facts), encoding="utf-8")
        check = _recompute(stage, recorded, evaluation.agreement.version_hash(), evaluations)
        if not check.ok:
            found = "; ".join([*check.tampered, *check.problems, *map(str, check.differences)])
            raise EvidenceError(f"the bundle would not reproduce its verdicts ({found})")
        version = evaluation.agreement.version_hash()
        files = _write_bundle(stage, command.output, version, archive)
    set_aside = {r.source: r.rows_rejected for r in evaluation.sources if r.rows_rejected}
    return Exported(command.output, recorded["verdicts"], files, sources, set_aside)


def _recorded(
    evaluation: Evaluation, chosen: Sequence[Verdict], selection: Selection
) -> dict[str, Any]:
    """The verdicts in the ``accord.verdicts/v2`` form, with what repeats the evaluation."""
    return {
        **evaluation_header(evaluation),
        "selection": {
            "objective": selection.objective,
            "scope": dict(selection.scope),
            "window": selection.window,
        },
        "verdicts": [evaluation.record(v).to_json() for v in chosen],
    }


def _as_read(agreement: Agreement) -> Agreement:
    """The agreement with every source that is not a data file read as pushed: its rows are
    the bundle's inputs, not files to copy from the data folder."""
    sources = [
        s if s.format in _FILE_FORMATS else s.model_copy(update={"format": SourceFormat.PUSH})
        for s in agreement.sources
    ]
    return agreement.model_copy(update={"sources": sources})


def _stage_inputs(stage: Path, inputs: Sequence[BundledInput]) -> None:
    """Copy the inputs to ``inputs/<source>/`` and list them in ``inputs.json``."""
    if not inputs:
        return
    listed = []
    for number, item in enumerate(inputs, start=1):
        name = (
            f"batch-{number}.parquet" if item.batch_id is not None else f"fetched-{number}.parquet"
        )
        path = f"{INPUT_DIR}/{item.source}/{name}"
        (stage / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item.path, stage / path)
        entry: dict[str, str] = {"source": item.source, "path": path}
        if item.batch_id is not None:
            entry |= {
                "batch_id": item.batch_id,
                "digest": item.digest or "",
                "received_at": item.received_at or "",
            }
        listed.append(entry)
    _write_json(stage / INPUTS, {"inputs": listed})


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    path: str
    batch_id: str | None = None
    digest: str | None = None
    received_at: str | None = None


class _Inputs(BaseModel):
    inputs: list[_Input]


def _read_inputs(root: Path) -> list[BundledInput]:
    """A bundle's inputs (none without ``inputs.json``); a path leaving ``inputs/`` is
    refused."""
    if not (root / INPUTS).is_file():
        return []
    found = _parse(_Inputs, root / INPUTS)
    inputs = []
    for item in found.inputs:
        parts = PurePosixPath(item.path).parts
        if len(parts) < 2 or parts[0] != INPUT_DIR or ".." in parts:
            raise EvidenceError(f"{INPUTS}: {item.path!r} is not a file under {INPUT_DIR}/")
        inputs.append(
            BundledInput(
                item.source, root / item.path, item.batch_id, item.digest, item.received_at
            )
        )
    return inputs


def _write_items(path: Path, evaluation: Evaluation, chosen: Sequence[Verdict]) -> None:
    """The chosen verdicts' drill-down as one CSV (nothing when they have none)."""
    items = [
        item
        for v in chosen
        for item in items_of(evaluation, v.objective, v.window.label, v.scope_label)[1]
    ]
    if items:
        path.write_text(items_csv(items), encoding="utf-8", newline="")


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _write_bundle(
    stage: Path, output: Path, version: str, archive: BundleArchive
) -> list[BundledFile]:
    """The staged files and their manifest (last) as one archive at ``output``."""
    data = sorted(p.relative_to(stage).as_posix() for p in (stage / DATA).rglob("*") if p.is_file())
    items = [ITEMS] if (stage / ITEMS).is_file() else []
    inputs = (
        [
            INPUTS,
            *sorted(
                p.relative_to(stage).as_posix()
                for p in (stage / INPUT_DIR).rglob("*")
                if p.is_file()
            ),
        ]
        if (stage / INPUTS).is_file()
        else []
    )
    names = [AGREEMENT, VERDICTS, *items, README, *inputs, *data]
    files = [
        BundledFile(name, _digest(stage / name), (stage / name).stat().st_size) for name in names
    ]
    manifest = {
        "format": FORMAT,
        "agreement_version": version,
        "files": [{"path": f.path, "sha256": f.sha256, "bytes": f.size} for f in files],
    }
    _write_json(stage / MANIFEST, manifest)
    try:
        archive.pack(stage, [*names, MANIFEST], output)
    except OSError as exc:
        raise EvidenceError(f"cannot write {output}: {exc.strerror or exc}") from None
    return files


# -- verify -------------------------------------------------------------------------------


class _ManifestFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    sha256: str
    bytes: int


class _Manifest(BaseModel):
    format: Literal["accord.evidence/v1"]
    agreement_version: str
    files: list[_ManifestFile]


class _Window(BaseModel):
    label: str


class _RecordedVerdict(BaseModel):
    objective: str
    scope: dict[str, str]
    window: _Window
    agreement_version: str


class _Label(BaseModel):
    label: str


class _Hash(BaseModel):
    hash: str


class _Recorded(BaseModel):
    format: Literal["accord.verdicts/v1", "accord.verdicts/v2"]
    agreement: _Hash
    period: _Label
    as_of: AwareDatetime
    verdicts: list[_RecordedVerdict] = Field(min_length=1)


def _verify(bundle: Path, archive: BundleArchive, evaluations: FileEvaluations) -> Verification:
    """Check a bundle's files, its agreement version, and recompute its verdicts.

    Raises ``EvidenceError`` for a file that is not a bundle or would unpack outside its
    folder, and ``AgreementFileError`` for an agreement that does not load.
    """
    with tempfile.TemporaryDirectory(prefix="accord-verify-") as folder:
        root = Path(folder)
        try:
            digests = archive.unpack(bundle, root, required=MANIFEST)
        except ArchiveError as exc:
            raise EvidenceError(str(exc)) from None
        manifest = _parse(_Manifest, root / MANIFEST)
        tampered = _tampered(manifest, digests)
        if tampered:
            return Verification(agreement="", tampered=tampered)
        try:
            recorded = json.loads((root / VERDICTS).read_bytes())
        except ValueError as exc:
            return Verification("", problems=[f"{VERDICTS} is not JSON: {exc}"])
        return _recompute(root, recorded, manifest.agreement_version, evaluations)


_Model = TypeVar("_Model", bound=BaseModel)


def _parse(model: type[_Model], path: Path) -> _Model:
    try:
        return model.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise EvidenceError(f"not an evidence bundle: {_first_error(path.name, exc)}") from None


def _first_error(name: str, exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the top"
    return f"{name} is not valid at {where}: {first['msg']}"


def _tampered(manifest: _Manifest, digests: Mapping[str, str]) -> list[str]:
    """Files that changed, went missing or were added since the manifest was written."""
    listed = {f.path: f.sha256 for f in manifest.files}
    found = []
    for path, sha in listed.items():
        if path not in digests:
            found.append(f"missing: {path}")
        elif digests[path] != sha:
            found.append(f"changed: {path}")
    found += [f"extra: {path}" for path in sorted(digests) if path not in {*listed, MANIFEST}]
    for required in (AGREEMENT, VERDICTS):
        if required not in listed:
            found.append(f"missing: {required} (the manifest does not list it)")
    return found


def _recompute(
    root: Path, recorded_data: object, version: str, evaluations: FileEvaluations
) -> Verification:
    """Evaluate the bundled data as recorded and compare with the recorded verdicts."""
    try:
        recorded = _Recorded.model_validate(recorded_data)
    except ValidationError as exc:
        return Verification("", problems=[_first_error(VERDICTS, exc)])
    command = EvaluateCommand(
        agreement=root / AGREEMENT,
        data_dir=root / DATA,
        period=recorded.period.label,
        now=recorded.as_of,
        as_of=recorded.as_of,
        policy=BadRowPolicy.REJECT,
    )
    try:
        evaluation = evaluations.evaluate(_reading(command, _read_inputs(root)))
    except (PeriodError, DataError) as exc:
        return Verification("", problems=[f"the bundled data cannot be evaluated: {exc}"])
    agreement = evaluation.agreement
    verification = Verification(_describe(agreement))
    verification.tampered.extend(_versions(agreement, version, recorded))
    if verification.tampered:
        return verification
    raw = recorded_data["verdicts"] if isinstance(recorded_data, dict) else []
    for number, (data, parsed) in enumerate(zip(raw, recorded.verdicts, strict=True)):
        try:
            before = VerdictRecord.from_json(data)
        except RecordError as exc:
            verification.problems.append(f"{VERDICTS} verdict {number + 1}: {exc}")
            continue
        verdict = _find(evaluation, parsed)
        if verdict is None:
            verification.problems.append(
                f"{before.objective} [{before.scope_label}] {before.window.label}: "
                "no such verdict when the bundled data is evaluated"
            )
            continue
        again = evaluation.record(verdict)
        verification.recomputed.append(again.to_json())
        verification.differences.extend(_differences(before, again))
    return verification


def _describe(agreement: Agreement) -> str:
    return (
        f"{agreement.metadata.id} version {agreement.metadata.version} "
        f"(sha256 {agreement.version_hash()})"
    )


def _versions(agreement: Agreement, version: str, recorded: _Recorded) -> Iterator[str]:
    actual = agreement.version_hash()
    claims = [("manifest.json", version), (VERDICTS, recorded.agreement.hash)]
    claims += [(f"{VERDICTS} ({v.objective})", v.agreement_version) for v in recorded.verdicts]
    for where, claimed in claims:
        if claimed != actual:
            yield (
                f"agreement version: {where} names {claimed}, but {AGREEMENT} has version "
                f"hash {actual}"
            )


def _find(evaluation: Evaluation, recorded: _RecordedVerdict) -> Verdict | None:
    return next(
        (
            v
            for v in evaluation.verdicts
            if v.objective == recorded.objective
            and v.scope == recorded.scope
            and v.window.label == recorded.window.label
        ),
        None,
    )


def _differences(recorded: VerdictRecord, again: VerdictRecord) -> Iterator[Difference]:
    label = f"{again.objective} [{again.scope_label}] {again.window.label}"
    old_json, new_json = recorded.to_json(), again.to_json()
    for name in COMPARED:
        if _same(getattr(recorded, name), getattr(again, name)):
            continue
        display = f"{name}_display"
        yield Difference(
            label,
            name,
            _show(getattr(recorded, name), old_json[name], old_json.get(display)),
            _show(getattr(again, name), new_json[name], new_json.get(display)),
        )


def _same(old: object, new: object) -> bool:
    """Equal, decimals within a relative 1e-9 (floating-point sums vary in their last bits)."""
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return abs(old - new) <= max(_RELATIVE * max(abs(old), abs(new)), _ABSOLUTE)
    if isinstance(old, CoverageRecord) and isinstance(new, CoverageRecord):
        return old.detail == new.detail and _same(old.ratio, new.ratio)
    return old == new


def _show(value: object, serialised: object, display: object) -> str:
    """A compared field as recorded or recomputed: a decimal as written, the rest as JSON."""
    shown = (
        format_decimal(value)
        if isinstance(value, Decimal)
        else json.dumps(serialised, ensure_ascii=False)
    )
    return f"{shown} ({display})" if isinstance(display, str) and display != shown else shown
