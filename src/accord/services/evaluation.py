"""Use case: evaluate an agreement file against a data directory for a period, with no store
(``accord evaluate``, ``explain``, the demo, evidence bundles)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.sources import SourceFormat
from accord.core.periods import check_instant, parse_period
from accord.core.versions import judge_by_versions_in_force
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.sources import BadRowPolicy, DataError, SourceReader
from accord.services.agreements import AgreementFiles, VersionSeriesError
from accord.services.external import fetch_external
from accord.services.measuring import Measuring, spark_for
from accord.services.ports import SourceFetcher

# ``BadRowPolicy``, ``DataError`` and ``VersionSeriesError`` are part of this use case's
# interface: interfaces name the policy and catch the errors without reaching elsewhere.
__all__ = [
    "BadRowPolicy",
    "DataError",
    "EvaluateCommand",
    "FileEvaluations",
    "VersionSeriesError",
]


@dataclass(frozen=True)
class EvaluateCommand:
    """What the user asked for. ``now`` is the caller's clock reading (UTC)."""

    agreement: Path
    data_dir: Path
    period: str
    now: dt.datetime
    as_of: dt.datetime | None = None
    policy: BadRowPolicy = BadRowPolicy.QUARANTINE
    quarantine_dir: Path | None = None
    progress: Callable[[int, int, str], None] | None = None
    #: Reads the sources that live outside Accord (Prometheus); None: there are none.
    fetcher: SourceFetcher | None = None
    #: Where to measure (DuckDB unless told otherwise).
    measuring: Measuring = field(default_factory=Measuring)
    #: Also list the items behind the verdicts (tickets, bad slices, worst hours).
    items: bool = False
    #: The files of pushed sources (their batches), by source; a pushed source not named
    #: has no data.
    pushed: Mapping[str, Sequence[Path]] = field(default_factory=dict)
    #: Later versions of the same agreement (same ``metadata.id``), each declaring when it
    #: takes effect (``metadata.effective``): every window is judged by the version in force
    #: at its start (``accord.core.versions``); ``agreement`` governs before the first.
    later_versions: tuple[Path, ...] = ()
    #: Exported rows of recorded sources (incidents, obligations the service keeps): files
    #: by source. A recorded source not named has no rows in a file evaluation.
    recorded_files: Mapping[str, Sequence[Path]] = field(default_factory=dict)


def _check_recorded_files(agreements: Iterable[Agreement], named: Iterable[str]) -> None:
    recorded = sorted(
        {
            source.id
            for agreement in agreements
            for source in agreement.sources
            if source.format is SourceFormat.RECORDED
        }
    )
    unknown = sorted(set(named) - set(recorded))
    if unknown:
        raise DataError(
            f"--records names {', '.join(unknown)}, not a recorded source of the agreement; "
            f"its recorded sources: {', '.join(recorded) or 'none'}"
        )


class FileEvaluations:
    """Agreement files judged against data files; the files are read through the reader
    port (``accord.connectors.files``, wired by ``accord.bootstrap``)."""

    def __init__(self, reader: SourceReader) -> None:
        self.reader = reader
        self.files = AgreementFiles()

    def evaluate(self, command: EvaluateCommand) -> Evaluation:
        """Load and check the agreement (and its later versions), then evaluate it.

        Raises ``AgreementFileError`` (invalid agreement), ``PeriodError`` (bad period),
        ``VersionSeriesError`` (versions that do not form a series), ``DataError``
        (unreadable or rejected data, or an outside source that cannot be read) or
        ``SparkUnavailable`` (measuring on Spark, which cannot start here).
        """
        versions = self.files.versions(command.agreement, command.later_versions)
        _check_recorded_files(versions.values(), command.recorded_files)
        first = next(iter(versions.values()))
        period = parse_period(command.period, first.timezone)
        as_of = command.as_of or min(command.now, period.end_at)
        if as_of.tzinfo is None:
            raise ValueError("as_of must carry a time zone")
        check_instant(as_of, "--as-of")
        as_of = as_of.astimezone(dt.UTC)
        spark = spark_for(command.measuring)

        def judge(agreement: Agreement) -> Evaluation:
            external = fetch_external(
                agreement,
                period,
                as_of,
                fetcher=command.fetcher,
                now=command.now,
                policy=command.policy,
            )
            request = EvaluationRequest(
                data_dir=command.data_dir,
                period=period,
                as_of=as_of,
                reader=self.reader,
                policy=command.policy,
                quarantine_dir=command.quarantine_dir,
                pushed={**command.pushed, **external.files},
                progress=command.progress,
                spark=spark,
                items=command.items,
                recorded_files=command.recorded_files,
            )
            return external.restore(evaluate(external.agreement, request))

        return judge_by_versions_in_force(versions, period, judge)
