"""A party's own data in a dispute (issue 12 §3), evaluated side by side with ours.

A disputing party (or the other side, answering) hands over its own measurements for one of
the agreement's sources: a CSV, JSON-lines or Parquet file of rows keyed by the source's
column names, as a pushed batch would be. The rows go through the batch writer's checks (the
engine's value-by-value checks, the same reasons and samples, bad rows counted and kept in a
quarantine file beside the evidence, never dropped unsaid); the checked rows are kept as
Parquet in the dispute's evidence folder, never as a measurement batch of the agreement, so
no recorded verdict ever reads them.

The comparison judges the disputed verdict's window again from what the verdict was judged on
(``accord.services.drilldown.judged_from``: its agreement version, its run's period and as-of
instant, the batches received by the run's start, fetched sources read again): once as it
is, once with the evidence's source read from the party's rows instead (everything else the
same; a file, pushed or fetched source alike becomes a pushed one that reads the checked
rows, as fetched sources are lowered for the engine). Nothing is recorded: no run, no
verdict, no ledger entry.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.measurement import Source, SourceFormat
from accord.core.remedies import ChronicFailure, CreditScheme
from accord.core.verdicts import Verdict, show_value
from accord.engine.sources import BadRowPolicy, DataError
from accord.services.drilldown import BatchRead, JudgedFrom, judge_again, judged_from
from accord.services.errors import Invalid, NotFound
from accord.services.in_force import parsed
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.governance_rows import DisputeEvidenceRow, DisputeRow
from accord.store.repositories import VerdictFilter
from accord.store.tables import AgreementRow

__all__ = [
    "CheckedData",
    "CreditSide",
    "DataComparison",
    "DisputeComparison",
    "ObjectiveComparison",
    "Side",
    "check_data",
    "compare",
    "compared_verdict",
    "version_of",
]

#: The suffixes a party's data is read by (as a batch handed over as a file is).
_SUFFIXES: Final = {
    ".csv": ".csv",
    ".parquet": ".parquet",
    ".jsonl": ".jsonl",
    ".ndjson": ".jsonl",
    ".json": ".jsonl",
}
#: Outside sources fetched through a connector: lowered to pushed rows when replaced.
_FETCHED: Final = {"prometheus": None, "export": None, "status_feed": None}


@dataclass(frozen=True)
class CheckedData:
    """A party's data as the source's checks found it."""

    source: str
    received: int
    accepted: int
    duplicates: int
    rejected: int
    issues: list[dict[str, Any]]
    #: The checked rows (Parquet) and the rejected ones (CSV), under the data directory.
    rows: str
    quarantine: str | None

    def as_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


def _source_of(agreement: Agreement, source_id: str, slug: str) -> Source:
    source = next((s for s in agreement.sources if s.id == source_id), None)
    if source is None:
        known = ", ".join(s.id for s in agreement.sources)
        raise Invalid(
            f"data for source {source_id!r}: agreement {slug!r} (version "
            f"{agreement.metadata.version}) has no such source; its sources: {known}"
        )
    if source.format is SourceFormat.RECORDED:
        raise Invalid(
            f"data for source {source_id!r}: the source is Accord's own records "
            f"({source.kind.value}); dispute them with references to incidents instead"
        )
    return source


def _issues_text(source: Source, checked: Sequence[dict[str, Any]]) -> str:
    """The checks' reasons with the file's own column names and sample rows (each sample
    is the file's name, then the row's values)."""
    said = []
    for issue in checked:
        name, colon, why = str(issue["reason"]).partition(": ")
        column = source.columns.get(name)
        reason = (
            f"column {column.column!r} ({name}): {why}" if colon and column else name + colon + why
        )
        rows = " | ".join(issue["samples"][:2])
        said.append(f"{reason}: {issue['count']} row(s), e.g. {rows}")
    return "; ".join(said)


def check_data(  # noqa: PLR0913 (one upload's facts, keyword-only)
    context: ServiceContext,
    *,
    agreement: Agreement,
    slug: str,
    source_id: str,
    name: str,
    content: bytes,
    folder: Path,
) -> CheckedData:
    """Check a party's rows (``name``: the file's cleaned name, its suffix saying how it is
    read) against the agreement's source and keep the good ones under ``folder``
    (``Invalid`` naming the source, the column or the rows, when none can be used)."""
    source = _source_of(agreement, source_id, slug)
    suffix = _SUFFIXES.get(Path(name).suffix.lower())
    if suffix is None:
        raise Invalid(
            f"data for source {source_id!r}: {name!r} is read as CSV (.csv), JSON lines "
            "(.jsonl, .ndjson, .json) or Parquet (.parquet)"
        )
    try:
        return _checked(context, source, name, content, folder)
    except Invalid:
        shutil.rmtree(folder, ignore_errors=True)  # nothing half-kept of refused data
        raise


def _checked(
    context: ServiceContext, source: Source, name: str, content: bytes, folder: Path
) -> CheckedData:
    suffix = _SUFFIXES[Path(name).suffix.lower()]
    source_id = source.id
    with tempfile.TemporaryDirectory(prefix="accord-dispute-data-") as scratch:
        upload = Path(scratch) / f"data{suffix}"
        upload.write_bytes(content)
        try:
            written = context.batch_writer(
                source=source,
                events=upload,
                batch_dir=folder / "rows" / source.id,
                batch_id=name[:100],
                known=lambda keys: set(),
                policy=BadRowPolicy.QUARANTINE,
                quarantine_dir=folder / "rejected" / source.id,
            )
        except (DataError, ValueError) as exc:
            raise Invalid(f"data for source {source_id!r} ({name}): {exc}") from None
    issues = [
        {"reason": i.reason, "count": i.count, "samples": list(i.samples)} for i in written.issues
    ]
    if written.path is None:
        raise Invalid(
            f"data for source {source_id!r} ({name}): no usable row among {written.received}"
            + (f": {_issues_text(source, issues)}" if issues else "")
        )
    data_dir = context.data_dir
    quarantine = written.quarantine_path
    return CheckedData(
        source=source.id,
        received=written.received,
        accepted=written.accepted,
        duplicates=written.duplicates,
        rejected=written.rejected,
        issues=issues,
        rows=written.path.relative_to(data_dir).as_posix(),
        quarantine=None if quarantine is None else quarantine.relative_to(data_dir).as_posix(),
    )


def compared_verdict(uow: UnitOfWork, row: AgreementRow, dispute: DisputeRow) -> int:
    """The verdict a dispute's data is compared on: the disputed verdict, or for a credit the
    current verdict of the credit's objective in its window."""
    if dispute.verdict_id is not None:
        return dispute.verdict_id
    entries = [
        e
        for e in uow.credits.all(row.id, dispute.window_label)
        if e.scheme == dispute.scheme and e.objective
    ]
    for entry in reversed(entries):
        wanted = VerdictFilter(objective=entry.objective, window_label=dispute.window_label)
        found, _ = uow.verdicts.search(row.id, wanted, limit=1, offset=0)
        if found:
            return found[0].id
    raise NotFound(f"dispute {dispute.id}: no verdict of credit {dispute.scheme!r} is recorded")


def version_of(uow: UnitOfWork, row: AgreementRow, dispute: DisputeRow) -> Agreement:
    """The agreement version that judged the verdict the dispute's data is compared on."""
    verdict = uow.verdicts.find(row.id, compared_verdict(uow, row, dispute))
    assert verdict is not None  # found by id or by search just now
    version = uow.agreements.find_version_by_id(verdict.version_id)
    assert version is not None  # recorded with the verdict
    return parsed(version)


@dataclass(frozen=True)
class Side:
    """One side's judgement of an objective's window: value, state, counts, credit."""

    outcome: str
    value: Decimal | None
    shown: str
    counts: dict[str, int]
    credit: Decimal | None


@dataclass(frozen=True)
class ObjectiveComparison:
    objective: str
    scope: str
    window: str
    ours: Side
    theirs: Side
    #: Their value less ours (``None`` when either has none).
    difference: Decimal | None
    shown_difference: str
    #: Their credit less ours.
    credit_difference: Decimal | None


@dataclass(frozen=True)
class CreditSide:
    scheme: str
    window: str
    currency: str
    ours: Decimal
    theirs: Decimal
    difference: Decimal


@dataclass(frozen=True)
class DataComparison:
    """Our verdicts against the same window judged with one evidence's data."""

    evidence: int
    source: str
    party: str
    reference: str
    sha256: str | None
    received: int
    accepted: int
    rejected: int
    objectives: list[ObjectiveComparison] = field(default_factory=list)
    credits: list[CreditSide] = field(default_factory=list)


@dataclass(frozen=True)
class DisputeComparison:
    dispute: int
    agreement: str
    verdict: int
    objective: str
    window: str
    #: The version that judged the verdict (its number as written in the agreement).
    version: str
    #: Always ``False``: a comparison records no run, no verdict and no ledger entry.
    recorded: bool = False
    data: list[DataComparison] = field(default_factory=list)


@dataclass(frozen=True)
class _Data:
    evidence: DisputeEvidenceRow
    checks: CheckedData


def _data_evidence(uow: UnitOfWork, dispute: DisputeRow) -> list[_Data]:
    found = []
    for item in uow.disputes.evidence(dispute.id):
        if item.kind != "data" or item.checks is None or item.purged_at is not None:
            continue
        found.append(_Data(item, CheckedData(**json.loads(item.checks))))
    return found


def compare(
    context: ServiceContext, principal: Principal, slug: str, dispute_id: int
) -> DisputeComparison:
    """Each data evidence of the dispute judged beside our data (nothing recorded)."""
    principal.require(Permission.READ)
    with context.uow(principal) as uow:
        row = get_agreement(uow, slug)
        dispute = uow.disputes.find(row.id, dispute_id)
        if dispute is None:
            raise NotFound(f"agreement {slug!r} has no dispute {dispute_id}")
        verdict_id = compared_verdict(uow, row, dispute)
        data = _data_evidence(uow, dispute)
    judged = judged_from(context, principal, slug, verdict_id)
    found = DisputeComparison(
        dispute=dispute_id,
        agreement=slug,
        verdict=verdict_id,
        objective=judged.objective,
        window=judged.window,
        version=judged.agreement.metadata.version,
    )
    judged_ours: dict[frozenset[str], Evaluation] = {}
    for item in data:
        wanted = _fed_by(judged.agreement, item.checks.source) | {judged.objective}
        narrowed = replace(judged, agreement=_narrowed(judged.agreement, wanted))
        kept = frozenset(o.id for o in narrowed.agreement.objectives)
        if kept not in judged_ours:
            judged_ours[kept] = judge_again(context, narrowed)
        theirs = judge_again(context, _swapped(context, narrowed, item))
        found.data.append(_compared(narrowed, item, judged_ours[kept], theirs))
    return found


def _narrowed(agreement: Agreement, wanted: set[str]) -> Agreement:
    """The objectives compared, with every objective a credit scheme or chronic clause ties
    to them (so that their credits are the agreement's), and only those schemes and clauses:
    the other objectives change nothing compared, and judging them would read their sources
    for nothing (a year of probes, say). Caps across schemes apply to the schemes kept."""
    remedies = agreement.remedies
    clauses: list[CreditScheme | ChronicFailure] = []
    if remedies is not None:
        clauses = [*remedies.credits, *remedies.chronic]
    kept = set(wanted)
    grown = True
    while grown:
        grown = False
        for clause in clauses:
            tied = set(clause.objectives)
            if tied & kept and not tied <= kept:
                kept |= tied
                grown = True
    if remedies is not None:
        remedies = remedies.model_copy(
            update={
                "credits": [c for c in remedies.credits if set(c.objectives) <= kept],
                "chronic": [c for c in remedies.chronic if set(c.objectives) <= kept],
            }
        )
    return agreement.model_copy(
        update={
            "objectives": [o for o in agreement.objectives if o.id in kept],
            "remedies": remedies,
        }
    )


def _swapped(context: ServiceContext, judged: JudgedFrom, item: _Data) -> JudgedFrom:
    """What the verdict was judged on, with the evidence's rows in its source's place."""
    source_id = item.checks.source
    lowered = [
        s.model_copy(update={"format": SourceFormat.PUSH, **_FETCHED}) if s.id == source_id else s
        for s in judged.agreement.sources
    ]
    theirs = BatchRead(
        source=source_id,
        batch_id=f"dispute-evidence-{item.evidence.id}",
        digest=item.evidence.sha256 or "",
        received_at=item.evidence.added_at,
        path=context.data_dir / item.checks.rows,
    )
    return replace(
        judged,
        agreement=judged.agreement.model_copy(update={"sources": lowered}),
        batches=(*(b for b in judged.batches if b.source != source_id), theirs),
    )


def _fed_by(agreement: Agreement, source_id: str) -> set[str]:
    """The objectives whose indicator reads the source (or pauses on it)."""
    indicators = {i.id: i for i in agreement.indicators}
    fed = set()
    for objective in agreement.objectives:
        indicator = indicators.get(objective.indicator)
        pauses = getattr(indicator, "pauses", None)
        if indicator is not None and source_id in (
            indicator.source,
            getattr(pauses, "source", None),
        ):
            fed.add(objective.id)
    return fed


def _credit(evaluation: Evaluation, verdict: Verdict) -> Decimal | None:
    amounts = [
        c.credit.amount.amount
        for c in evaluation.credits
        if c.window == verdict.window.label
        and c.credit.objective == verdict.objective
        and c.credit.scope == verdict.scope_label
    ]
    return sum(amounts, Decimal(0)) if amounts else None


def _side(evaluation: Evaluation, verdict: Verdict) -> Side:
    business = verdict.working_time is not None and verdict.working_time.is_business
    return Side(
        outcome=verdict.outcome.value,
        value=verdict.value,
        shown=show_value(verdict.value, verdict.value_kind, business=business),
        counts=dict(verdict.counts),
        credit=_credit(evaluation, verdict),
    )


def _key(verdict: Verdict) -> tuple[str, str, str]:
    return (verdict.objective, verdict.scope_label, verdict.window.label)


def _compared(
    judged: JudgedFrom, item: _Data, ours: Evaluation, theirs: Evaluation
) -> DataComparison:
    wanted = _fed_by(judged.agreement, item.checks.source) | {judged.objective}
    theirs_by_key = {_key(v): v for v in theirs.verdicts}
    objectives = []
    for verdict in ours.verdicts:
        other = theirs_by_key.get(_key(verdict))
        if verdict.objective not in wanted or verdict.window.label != judged.window or not other:
            continue
        mine, yours = _side(ours, verdict), _side(theirs, other)
        difference = None if mine.value is None or yours.value is None else yours.value - mine.value
        sign = "+" if difference is not None and difference > 0 else ""
        objectives.append(
            ObjectiveComparison(
                objective=verdict.objective,
                scope=verdict.scope_label,
                window=verdict.window.label,
                ours=mine,
                theirs=yours,
                difference=difference,
                shown_difference=sign + show_value(difference, verdict.value_kind),
                credit_difference=(yours.credit or Decimal(0)) - (mine.credit or Decimal(0)),
            )
        )
    return DataComparison(
        evidence=item.evidence.id,
        source=item.checks.source,
        party=item.evidence.party,
        reference=item.evidence.reference,
        sha256=item.evidence.sha256,
        received=item.checks.received,
        accepted=item.checks.accepted,
        rejected=item.checks.rejected,
        objectives=objectives,
        credits=_credits(judged.window, ours, theirs),
    )


def _credits(window: str, ours: Evaluation, theirs: Evaluation) -> list[CreditSide]:
    """Each scheme's credit for the window, ours beside theirs."""
    totals: dict[str, dict[str, Any]] = {}
    for side, evaluation in (("ours", ours), ("theirs", theirs)):
        for owed in evaluation.credits:
            if owed.window != window:
                continue
            amount = owed.credit.amount
            entry = totals.setdefault(
                owed.credit.scheme,
                {"currency": amount.currency, "ours": Decimal(0), "theirs": Decimal(0)},
            )
            entry[side] += amount.amount
    return [
        CreditSide(
            scheme=scheme,
            window=window,
            currency=entry["currency"],
            ours=entry["ours"],
            theirs=entry["theirs"],
            difference=entry["theirs"] - entry["ours"],
        )
        for scheme, entry in sorted(totals.items())
    ]
