"""The evidence bundle of a recorded verdict, from the web app: the agreement version it was
judged under, the data files it read and the verdict, exported exactly as ``accord evidence
export`` does (``accord.services.evidence``), which refuses to write a bundle that would not
reproduce the verdict. Agreements whose sources are pushed or fetched have no bundle here yet:
their rows live in batches, outside systems or the service's own records rather than in the
data folder (a verdict whose objective reads only files has one all the same)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from accord.core.model import Agreement
from accord.core.model.sources import SourceFormat
from accord.services.agreements import AgreementFileError
from accord.services.errors import Invalid, NotFound
from accord.services.evaluation import DataError, EvaluateCommand
from accord.services.evidence import EvidenceBundles, EvidenceError, ExportCommand, Selection
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, parsed
from accord.services.uow import ServiceContext

__all__ = ["Bundles"]

_FILES = frozenset({SourceFormat.CSV, SourceFormat.PARQUET, SourceFormat.JSONL})


class Bundles:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def export(
        self, principal: Principal, slug: str, verdict_id: int, exporter: EvidenceBundles
    ) -> bytes:
        """The zip of the verdict's evidence, written by ``exporter``; ``Invalid`` saying
        why when there is none."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            verdict = uow.verdicts.find(row.id, verdict_id)
            if verdict is None:
                raise NotFound(f"agreement {slug!r} has no verdict {verdict_id}")
            version = uow.agreements.find_version_by_id(verdict.version_id)
            run = uow.runs.find(verdict.run_id)
            assert version is not None  # recorded with the verdict
            assert run is not None
        agreement = parsed(version)
        read = _sources_read(agreement, verdict.objective)
        outside = sorted(s.id for s in agreement.sources if s.id in read and s.format not in _FILES)
        if outside:
            raise Invalid(
                f"no evidence bundle here for sources {', '.join(outside)}: they are pushed "
                "or fetched; download the verdict record instead"
            )
        with tempfile.TemporaryDirectory(prefix="accord-bundle-") as folder:
            text = Path(folder) / f"{slug}.yaml"
            text.write_text(version.text, encoding="utf-8")
            command = ExportCommand(
                evaluation=EvaluateCommand(
                    agreement=text,
                    data_dir=self._context.data_dir / "files",
                    period=run.period,
                    now=self._context.clock.now(),
                    as_of=run.as_of,
                ),
                selection=Selection(
                    objective=verdict.objective,
                    scope=json.loads(verdict.scope_key),
                    window=verdict.window_label,
                ),
                output=Path(folder) / "bundle.zip",
            )
            try:
                exporter.export(command)
            except (EvidenceError, DataError, AgreementFileError) as exc:
                raise Invalid(f"the evidence bundle cannot be made: {exc}") from None
            return (Path(folder) / "bundle.zip").read_bytes()


def _sources_read(agreement: Agreement, objective_id: str) -> set[str]:
    """The sources an objective's verdicts are measured from: its indicator's, the status
    changes that pause its clock, and those of the exclusions that apply to it."""
    objective = next(o for o in agreement.objectives if o.id == objective_id)
    indicator = next(i for i in agreement.indicators if i.id == objective.indicator)
    read = {indicator.source}
    pauses = getattr(indicator, "pauses", None)
    if pauses is not None:
        read.add(pauses.source)
    chosen = objective.exclusions
    read |= {
        e.source
        for e in agreement.exclusions
        if e.source is not None and (chosen is None or e.id in chosen)
    }
    return read
