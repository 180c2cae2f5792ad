"""Evaluating stored agreements and reading what was recorded: verdicts with their history
and explanation, error budgets, the credit ledger and the runs.

An evaluation reads the agreement version and the files of its recorded batches in a short
read transaction, runs the engine outside any transaction, then records the outcome
(``recording``) and its audit entry in one writing transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from accord.core.closing import close_at
from accord.core.documents import evaluation_document
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.measurement import SourceFormat
from accord.core.periods import PeriodError, check_instant, parse_period
from accord.core.versions import (
    STRADDLE_RULE,
    VersionSpan,
    in_force,
    judge_by_versions_in_force,
)
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.sources import DataError
from accord.engine.spark import SparkEngine
from accord.services.auto_open import auto_open
from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.external import fetch_external
from accord.services.in_force import agreement_in_force, parsed
from accord.services.measuring import SparkUnavailable, spark_for
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, get_version, version_spans
from accord.services.recorded import read_records
from accord.services.recording import (
    Closing,
    Recorded,
    StatedVersion,
    VerdictRecorder,
    scope_key,
    stored_evidence,
)
from accord.services.uow import ServiceContext, UnitOfWork
from accord.services.verdict_views import (
    BudgetView,
    CreditBalance,
    CreditEntryView,
    CreditLedger,
    RunView,
    VerdictDetail,
    VerdictPage,
    Views,
)
from accord.store.repositories import VerdictFilter
from accord.store.tables import AgreementRow, EvaluationRunRow, MeasurementBatchRow, VerdictRow

__all__ = [
    "MAX_PAGE",
    "RunEvaluation",
    "VerdictQuery",
    "Verdicts",
    "credit_ledger",
    "parse_scope",
    "verdict_page",
]

MAX_PAGE: Final = 500
_OUTCOMES: Final = ("met", "deviation", "breach", "no_data", "insufficient_data")


@dataclass(frozen=True, kw_only=True)
class RunEvaluation:
    agreement: str
    period: str
    #: Previews only: judge the whole period by this version. ``None``: each window by the
    #: version in force at its start (recorded evaluations always).
    version: int | None = None
    #: ``None``: now, or the end of the period if it is over.
    as_of: dt.datetime | None = None
    reason: str = "requested"


@dataclass(frozen=True, kw_only=True)
class VerdictQuery:
    objective: str | None = None
    #: ``region=eu,channel=web``; ``all`` for verdicts over the whole agreement.
    scope: str | None = None
    window: str | None = None
    outcome: str | None = None
    include_superseded: bool = False
    limit: int = 100
    offset: int = 0


def parse_scope(text: str | None) -> str | None:
    """``region=eu,channel=web`` → the stored scope key; ``all`` → the whole agreement."""
    if text is None:
        return None
    if text.strip() in ("", "all"):
        return scope_key({})
    scope: dict[str, str] = {}
    for part in text.split(","):
        name, equals, value = part.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise Invalid(f"scope {text!r}: write name=value pairs, e.g. region=eu,channel=web")
        scope[name.strip()] = value.strip()
    return scope_key(scope)


def _check_query(query: VerdictQuery) -> None:
    if not 1 <= query.limit <= MAX_PAGE:
        raise Invalid(f"limit must be between 1 and {MAX_PAGE}")
    if query.offset < 0:
        raise Invalid("offset must not be negative")
    if query.outcome is not None and query.outcome not in _OUTCOMES:
        raise Invalid(f"no outcome {query.outcome!r}; outcomes: {', '.join(_OUTCOMES)}")


@dataclass(frozen=True)
class _Recording:
    """How a run is recorded: ``once``, not when the same run is recorded already;
    ``keep_unchanged``, also when it changes no verdict and no credit."""

    once: bool = False
    keep_unchanged: bool = True
    #: Read every batch, also those that arrived after the period's data cutoff.
    all_data: bool = False
    #: Restate: change final windows too, then call this in the same transaction.
    restate: Callable[[UnitOfWork, EvaluationRunRow, Recorded], None] | None = None


@dataclass(frozen=True)
class _Version:
    """A stored version as an evaluation uses it."""

    id: int
    span: VersionSpan
    agreement: Agreement


@dataclass(frozen=True)
class _Prepared:
    agreement_id: int
    #: Every version of the agreement by when it takes effect; an asked-for version alone.
    versions: dict[VersionSpan, _Version]
    request: EvaluationRequest
    #: When the data was read: a batch received after it is not in the run.
    started_at: dt.datetime
    recording: _Recording
    closing: Closing

    def primary(self) -> _Version:
        """The version in force at the period's end (or the one asked for)."""
        last = self.request.period.end_at - dt.timedelta(microseconds=1)
        return self.versions[in_force(self.versions, last)]


def _batches(
    uow: UnitOfWork,
    row: AgreementRow,
    versions: Iterable[_Version],
    received_by: dt.datetime | None,
) -> dict[str, list[MeasurementBatchRow]]:
    """The recorded batches of the pushed sources of any version, received by ``received_by``
    (``None``: all of them)."""
    sources = {
        source.id
        for version in versions
        for source in version.agreement.sources
        if source.format is SourceFormat.PUSH
    }
    found: dict[str, list[MeasurementBatchRow]] = {source: [] for source in sorted(sources)}
    for batch in uow.batches.all(row.id):
        if batch.source in found and (received_by is None or batch.received_at <= received_by):
            found[batch.source].append(batch)
    return found


def _may_evaluate(
    principal: Principal, command: RunEvaluation, recording: _Recording | None
) -> None:
    """Recording can change recorded verdicts and credits: a company action, always by the
    versions in force. Anyone who may preview may see what another version would say."""
    if recording is None:
        principal.require(Permission.PREVIEW)
        return
    if not (principal.company and principal.can(Permission.EVALUATE)):
        raise Forbidden(
            f"{principal.name} may not record evaluations: only the company records them (a "
            f"role with {Permission.EVALUATE.value!r}); a partner may ask for a preview"
        )
    if command.version is not None:
        raise Invalid(
            "a recorded evaluation judges each window by the agreement version in force; "
            "to see the verdicts under another version, ask for a preview"
        )


class Verdicts:
    """Use cases on evaluations and their results."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def evaluate(self, principal: Principal, command: RunEvaluation) -> RunView:
        """Evaluate and record: a company action; each window judged by its version in force."""
        view = self._evaluate(principal, command, _Recording())
        assert view is not None  # recorded unconditionally
        return view

    def evaluate_job(
        self, principal: Principal, command: RunEvaluation, *, keep_unchanged: bool
    ) -> RunView | None:
        """A scheduled evaluation (``accord.services.scheduling``), recorded at most once:
        nothing when a run of the same period, version, as-of instant and reason is recorded
        already (another worker did the job), and nothing, unless ``keep_unchanged``, when it
        changes no verdict and no credit. ``None`` when nothing was recorded."""
        return self._evaluate(principal, command, _Recording(True, keep_unchanged))

    def restate(
        self,
        principal: Principal,
        command: RunEvaluation,
        applied: Callable[[UnitOfWork, EvaluationRunRow, Recorded], None],
    ) -> RunView:
        """Evaluate with every batch and record, final windows included (a restatement,
        ``accord.services.books``); ``applied`` is called in the recording transaction."""
        view = self._evaluate(principal, command, _Recording(all_data=True, restate=applied))
        assert view is not None  # recorded unconditionally
        return view

    def preview(self, principal: Principal, command: RunEvaluation) -> dict[str, Any]:
        """Evaluate without recording anything: what the verdicts and credits would be, by
        the versions in force or, when asked, by one version for the whole period. Partners
        may preview; only the company records."""
        prepared = self._prepare(principal, command, None)
        evaluation = self._judge(prepared)
        found = evaluation_document(evaluation)
        primary = prepared.primary()
        found["preview"] = {
            "recorded": False,
            "versions": sorted(span.number for span in prepared.versions),
            "rule": (
                f"every window judged by version {primary.span.number}, as asked"
                if command.version is not None
                else STRADDLE_RULE
            ),
        }
        return found

    def _evaluate(
        self, principal: Principal, command: RunEvaluation, recording: _Recording
    ) -> RunView | None:
        prepared = self._prepare(principal, command, recording)
        return self._record(principal, command, prepared, self._judge(prepared))

    def _judge(self, prepared: _Prepared) -> Evaluation:
        """Each window judged by the version in force at its start (``STRADDLE_RULE``)."""
        return judge_by_versions_in_force(
            {span: version.agreement for span, version in prepared.versions.items()},
            prepared.request.period,
            lambda agreement: self._judge_by(prepared, agreement),
        )

    def _judge_by(self, prepared: _Prepared, agreement: Agreement) -> Evaluation:
        try:
            external = fetch_external(
                agreement,
                prepared.request.period,
                prepared.request.as_of,
                fetcher=self._context.fetcher,
                now=self._context.clock.now(),
                policy=prepared.request.policy,
            )
            request = replace(
                prepared.request, pushed={**prepared.request.pushed, **external.files}
            )
            return external.restore(evaluate(external.agreement, request))
        except DataError as exc:
            raise Invalid(str(exc)) from None

    def _spark(self) -> SparkEngine | None:
        try:
            return spark_for(self._context.measuring)
        except SparkUnavailable as exc:
            raise Invalid(f"this service measures on Spark, which cannot start: {exc}") from None

    def _prepare(
        self, principal: Principal, command: RunEvaluation, recording: _Recording | None
    ) -> _Prepared:
        """Read the versions and the batch files; ``recording`` ``None``: a preview."""
        started_at = self._context.clock.now()
        asked_as_of = command.as_of
        if asked_as_of is not None and asked_as_of.tzinfo is None:
            raise Invalid("as_of must carry a time zone")
        try:
            if asked_as_of is not None:
                check_instant(asked_as_of, "as_of")
        except PeriodError as exc:
            raise Invalid(str(exc)) from None
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, command.agreement)
            _may_evaluate(principal, command, recording)
            if command.version is None:
                rows = version_spans(uow, row)
            else:
                asked = get_version(uow, row, command.version)
                rows = {VersionSpan(asked.effective_at, asked.number): asked}
            versions = {span: _Version(v.id, span, parsed(v)) for span, v in rows.items()}
            timezone = next(iter(versions.values())).agreement.timezone
            try:
                period = parse_period(command.period, timezone)
            except PeriodError as exc:
                raise Invalid(str(exc)) from None
            last = period.end_at - dt.timedelta(microseconds=1)
            cutoff = versions[in_force(versions, last)].agreement.cutoff()
            received_by = None
            closes_at = close_at(period.end_at, cutoff, timezone)
            every = recording is None or recording.all_data
            if (
                not every
                and started_at >= closes_at
                and not uow.books.closed(row.id, [period.label])
            ):
                received_by = closes_at  # closing now: only the data in by the cutoff
            batches = _batches(uow, row, versions.values(), received_by)
            as_of = (asked_as_of or min(started_at, period.end_at)).astimezone(dt.UTC)
            recorded = read_records(
                uow, row.id, (version.agreement for version in versions.values()), as_of
            )
        data_dir = self._context.data_dir
        request = EvaluationRequest(
            data_dir=data_dir / "files",
            period=period,
            as_of=as_of,
            reader=self._context.reader,
            quarantine_dir=data_dir / "quarantine" / row.slug / "evaluations",
            pushed={
                source: [data_dir / b.file_path for b in found if b.file_path]
                for source, found in batches.items()
            },
            spark=self._spark(),
            recorded=recorded,
        )
        read = tuple(
            {
                "source": b.source,
                "batch_id": b.batch_id,
                "digest": b.digest,
                "received_at": b.received_at.isoformat(),
            }
            for found in batches.values()
            for b in found
        )
        return _Prepared(
            row.id,
            versions,
            request,
            started_at,
            recording or _Recording(),
            Closing(started_at, cutoff, timezone, batches=read),
        )

    def _record(
        self,
        principal: Principal,
        command: RunEvaluation,
        prepared: _Prepared,
        evaluation: Evaluation,
    ) -> RunView | None:
        recording = prepared.recording
        with self._context.uow(principal, write=True) as uow:
            uow.serialise("evaluation", prepared.agreement_id)
            row = uow.agreements.find(prepared.agreement_id)
            if row is None:
                raise NotFound(f"no agreement {command.agreement!r}")
            run = EvaluationRunRow(
                agreement_id=row.id,
                version_id=prepared.primary().id,
                period=evaluation.period.label,
                as_of=evaluation.as_of,
                started_at=prepared.started_at,
                requested_by=principal.name,
                reason=command.reason,
                verdicts_recorded=0,
                verdicts_unchanged=0,
            )
            if recording.once and uow.runs.find_same(run) is not None:
                return None
            uow.runs.add(run)
            stated = {
                v.agreement.version_hash(): StatedVersion(v.id, v.span.number, v.span.effective_at)
                for v in prepared.versions.values()
            }
            windows = {verdict.window.label for verdict in evaluation.verdicts}
            closing = replace(
                prepared.closing,
                final=uow.books.closed(row.id, windows),
                restating=recording.restate is not None,
            )
            recorded = VerdictRecorder(uow, self._context.rendering).record(
                run, evaluation, stated, closing
            )
            if recording.restate is not None:
                recording.restate(uow, run, recorded)
            _open_incidents(uow, row, evaluation, closing)
            if not recording.keep_unchanged and not recorded.changes_anything:
                return None  # leaving without commit rolls the run back
            run.verdicts_recorded = recorded.new + recorded.changed
            run.verdicts_unchanged = recorded.unchanged
            view = Views(uow, row).run(run)
            uow.audit(
                "evaluation.recorded",
                "agreement",
                row.slug,
                after={
                    "run": run.id,
                    "period": run.period,
                    "reason": run.reason,
                    **recorded.as_record(),
                },
            )
            uow.commit()
        return view

    def runs(self, principal: Principal, agreement: str) -> list[RunView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            views = Views(uow, row)
            return [views.run(run) for run in uow.runs.all(row.id)]

    def verdicts(self, principal: Principal, agreement: str, query: VerdictQuery) -> VerdictPage:
        with self._context.uow(principal) as uow:
            return verdict_page(uow, get_agreement(uow, agreement), query)

    def _search(
        self, uow: UnitOfWork, agreement: str, query: VerdictQuery
    ) -> tuple[AgreementRow, Sequence[VerdictRow], int]:
        row = get_agreement(uow, agreement)
        rows, total = _matching(uow, row, query)
        return row, rows, total

    def verdict(self, principal: Principal, agreement: str, verdict_id: int) -> VerdictDetail:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            found = uow.verdicts.find(row.id, verdict_id)
            if found is None:
                raise NotFound(f"agreement {agreement!r} has no verdict {verdict_id}")
            views = Views(uow, row)
            key = (found.objective, found.scope_key, found.window_label)
            history = [views.verdict(v) for v in uow.verdicts.history(row.id, key)]
            explanation, evidence = stored_evidence(found)
            return VerdictDetail(views.verdict(found), explanation, evidence, history)

    def budgets(
        self, principal: Principal, agreement: str, query: VerdictQuery
    ) -> list[BudgetView]:
        """Error budgets of the matching verdicts that have one (occurrence objectives)."""
        with self._context.uow(principal) as uow:
            _, rows, _ = self._search(uow, agreement, query)
            found = []
            for row in rows:
                budget = stored_evidence(row)[1].get("budget")
                if budget:
                    scope = json.loads(row.scope_key)
                    found.append(
                        BudgetView(row.objective, scope, row.window_label, row.outcome, budget)
                    )
            return found

    def credits(self, principal: Principal, agreement: str, window: str | None) -> CreditLedger:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return credit_ledger(uow, get_agreement(uow, agreement), window)


def _matching(
    uow: UnitOfWork, row: AgreementRow, query: VerdictQuery
) -> tuple[Sequence[VerdictRow], int]:
    uow.principal.require(Permission.READ)
    _check_query(query)
    wanted = VerdictFilter(
        objective=query.objective,
        scope_key=parse_scope(query.scope),
        window_label=query.window,
        outcome=query.outcome,
        include_superseded=query.include_superseded,
    )
    return uow.verdicts.search(row.id, wanted, limit=query.limit, offset=query.offset)


def verdict_page(uow: UnitOfWork, row: AgreementRow, query: VerdictQuery) -> VerdictPage:
    """``Verdicts.verdicts`` inside a unit of work the caller opened (the agreement page's)."""
    rows, total = _matching(uow, row, query)
    views = Views(uow, row)
    items = [views.verdict(verdict) for verdict in rows]
    following = query.offset + len(items)
    return VerdictPage(
        items, total, query.limit, query.offset, following if following < total else None
    )


def credit_ledger(uow: UnitOfWork, row: AgreementRow, window: str | None) -> CreditLedger:
    """``Verdicts.credits`` inside a unit of work the caller opened (the agreement page's)."""
    entries = [
        CreditEntryView(
            scheme=e.scheme,
            objective=e.objective,
            scope=e.scope_label,
            window=e.window_label,
            tier=e.tier,
            amount=e.amount,
            currency=e.currency,
            recorded_at=e.recorded_at,
            reason=e.reason,
            clipped=e.clipped,
            caps=e.caps,
        )
        for e in uow.credits.all(row.id, window)
    ]
    balances = [
        CreditBalance(scheme, label, amount, currency)
        for (scheme, label), (amount, currency) in sorted(uow.credits.balances(row.id).items())
        if window is None or label == window
    ]
    return CreditLedger(balances, entries)


def _open_incidents(
    uow: UnitOfWork, row: AgreementRow, evaluation: Evaluation, closing: Closing
) -> None:
    """The incidents the agreement's ``incidents.open_on`` opens from this run's verdicts of
    windows still open (``accord.services.auto_open``)."""
    agreement = agreement_in_force(uow, row, uow.now())
    if agreement is None or agreement.incidents is None or agreement.incidents.open_on is None:
        return
    records = (
        evaluation.record(verdict)
        for verdict in evaluation.verdicts
        if not closing.holds(verdict.window.label)
    )
    auto_open(uow, row, agreement, records)
