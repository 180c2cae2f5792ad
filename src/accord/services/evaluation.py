"""Use case: evaluate an agreement file against a data directory for a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from accord.core.evaluation import Evaluation
from accord.core.periods import check_instant, parse_period
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.sources import BadRowPolicy, DataError
from accord.services.agreements import load_valid
from accord.services.external import fetch_external
from accord.services.measuring import Measuring, spark_for
from accord.services.ports import SourceFetcher

# ``BadRowPolicy`` and ``DataError`` are part of this use case's interface: interfaces name
# the policy and catch the error without reaching into the engine.
__all__ = ["BadRowPolicy", "DataError", "EvaluateCommand", "evaluate_file"]


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
    #: Also list the items behind the verdicts (tickets, worst hours).
    items: bool = False


def evaluate_file(command: EvaluateCommand) -> Evaluation:
    """Load and check the agreement, then evaluate it.

    Raises ``AgreementFileError`` (invalid agreement), ``PeriodError`` (bad period),
    ``DataError`` (unreadable or rejected data, or an outside source that cannot be read) or
    ``SparkUnavailable`` (measuring on Spark, which cannot start here).
    """
    loaded = load_valid(command.agreement)
    assert loaded.agreement is not None
    agreement = loaded.agreement
    period = parse_period(command.period, agreement.timezone)
    as_of = command.as_of or min(command.now, period.end_at)
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a time zone")
    check_instant(as_of, "--as-of")
    as_of = as_of.astimezone(dt.UTC)
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
        policy=command.policy,
        quarantine_dir=command.quarantine_dir,
        pushed=external.files,
        progress=command.progress,
        spark=spark_for(command.measuring),
        items=command.items,
    )
    return external.restore(evaluate(external.agreement, request))
