"""The evidence bundle of a recorded verdict, from the web app: the agreement version it was
judged under, the data it read and the verdict, exported exactly as ``accord evidence
export`` does (``accord.services.evidence``), which refuses to write a bundle that would not
reproduce the verdict. Pushed sources bring the batches received by the time the verdict's
run started (with their ids and digests); fetched sources (Prometheus, status feeds) the
rows read again for the span the run read (``accord.services.drilldown``). A verdict whose
objective reads the service's own records (incidents, obligations) has no bundle yet."""

from __future__ import annotations

import tempfile
from pathlib import Path

from accord.core.model import Agreement
from accord.core.model.sources import SourceFormat
from accord.services.agreements import AgreementFileError
from accord.services.drilldown import JudgedFrom, fetched_for, judged_from
from accord.services.errors import Invalid
from accord.services.evaluation import DataError, EvaluateCommand
from accord.services.evidence import (
    BundledInput,
    EvidenceBundles,
    EvidenceError,
    ExportCommand,
    Selection,
)
from accord.services.permissions import Principal
from accord.services.uow import ServiceContext

__all__ = ["Bundles"]


class Bundles:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def export(
        self, principal: Principal, slug: str, verdict_id: int, exporter: EvidenceBundles
    ) -> bytes:
        """The zip of the verdict's evidence, written by ``exporter``; ``Invalid`` saying
        why when there is none."""
        judged = judged_from(self._context, principal, slug, verdict_id)
        read = _sources_read(judged.agreement, judged.objective)
        records = sorted(
            s.id
            for s in judged.agreement.sources
            if s.id in read and s.format is SourceFormat.RECORDED
        )
        if records:
            raise Invalid(
                f"no evidence bundle here for sources {', '.join(records)}: they are the "
                "service's own records; download the verdict record instead"
            )
        inputs = self._inputs(judged)
        with tempfile.TemporaryDirectory(prefix="accord-bundle-") as folder:
            text = Path(folder) / f"{slug}.yaml"
            text.write_text(judged.version_text, encoding="utf-8")
            command = ExportCommand(
                evaluation=EvaluateCommand(
                    agreement=text,
                    data_dir=self._context.data_dir / "files",
                    period=judged.period,
                    now=self._context.clock.now(),
                    as_of=judged.as_of,
                ),
                selection=Selection(
                    objective=judged.objective, scope=judged.scope, window=judged.window
                ),
                output=Path(folder) / "bundle.zip",
                inputs=inputs,
            )
            try:
                exporter.export(command)
            except (EvidenceError, DataError, AgreementFileError) as exc:
                raise Invalid(f"the evidence bundle cannot be made: {exc}") from None
            return (Path(folder) / "bundle.zip").read_bytes()

    def _inputs(self, judged: JudgedFrom) -> tuple[BundledInput, ...]:
        """The verdict's batches, and its fetched sources' rows read again."""
        batches = [
            BundledInput(b.source, b.path, b.batch_id, b.digest, b.received_at.isoformat())
            for b in judged.batches
            if b.source in judged.pushed()
        ]
        fetched = [
            BundledInput(source, path)
            for source, paths in sorted(fetched_for(self._context, judged).files.items())
            for path in paths
        ]
        return (*batches, *fetched)


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
