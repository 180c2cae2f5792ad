"""Evaluating stored agreements and reading what was recorded: verdicts with their history
and explanation, error budgets, the credit ledger and the runs.

An evaluation reads the agreement version and the files of its recorded batches in a short
read transaction, runs the engine outside any transaction, then records the outcome
(``recording``) and its audit entry in one writing transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.measurement import SourceFormat
from accord.core.periods import PeriodError, check_instant, parse_period
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.sources import DataError
from accord.engine.spark import SparkEngine
from accord.services.errors import Invalid, NotFound
from accord.services.external import fetch_external
from accord.services.measuring import SparkUnavailable, spark_for
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, get_version, parsed
from accord.services.recording import VerdictRecorder, scope_key, stored_evidence
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
from accord.store.tables import AgreementRow, EvaluationRunRow, VerdictRow

__all__ = ["MAX_PAGE", "RunEvaluation", "VerdictQuery", "Verdicts", "parse_scope"]

MAX_PAGE: Final = 500
_OUTCOMES: Final = ("met", "deviation", "breach", "no_data", "insufficient_data")


@dataclass(frozen=True, kw_only=True)
class RunEvaluation:
    agreement: str
    period: str
    #: ``None``: the latest version.
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


@dataclass(frozen=True)
class _Prepared:
    agreement_id: int
    version_id: int
    agreement: Agreement
    request: EvaluationRequest
    #: When the data was read: a batch received after it is not in the run.
    started_at: dt.datetime
    recording: _Recording


class Verdicts:
    """Use cases on evaluations and their results."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def evaluate(self, principal: Principal, command: RunEvaluation) -> RunView:
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

    def _evaluate(
        self, principal: Principal, command: RunEvaluation, recording: _Recording
    ) -> RunView | None:
        prepared = self._prepare(principal, command, recording)
        try:
            external = fetch_external(
                prepared.agreement,
                prepared.request.period,
                prepared.request.as_of,
                fetcher=self._context.fetcher,
                now=self._context.clock.now(),
                policy=prepared.request.policy,
            )
            request = replace(
                prepared.request, pushed={**prepared.request.pushed, **external.files}
            )
            evaluation = external.restore(evaluate(external.agreement, request))
        except DataError as exc:
            raise Invalid(str(exc)) from None
        return self._record(principal, command, prepared, evaluation)

    def _spark(self) -> SparkEngine | None:
        try:
            return spark_for(self._context.measuring)
        except SparkUnavailable as exc:
            raise Invalid(f"this service measures on Spark, which cannot start: {exc}") from None

    def _prepare(
        self, principal: Principal, command: RunEvaluation, recording: _Recording
    ) -> _Prepared:
        data_dir = self._context.data_dir
        started_at = self._context.clock.now()
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.EVALUATE)
            version = get_version(uow, row, command.version)
            agreement = parsed(version)
            pushed = {
                source.id: [data_dir / path for path in uow.batches.files(row.id, source.id)]
                for source in agreement.sources
                if source.format is SourceFormat.PUSH
            }
        as_of = command.as_of
        if as_of is not None and as_of.tzinfo is None:
            raise Invalid("as_of must carry a time zone")
        try:
            period = parse_period(command.period, agreement.timezone)
            if as_of is not None:
                check_instant(as_of, "as_of")
        except PeriodError as exc:
            raise Invalid(str(exc)) from None
        as_of = as_of or min(self._context.clock.now(), period.end_at)
        request = EvaluationRequest(
            data_dir=data_dir / "files",
            period=period,
            as_of=as_of.astimezone(dt.UTC),
            quarantine_dir=data_dir / "quarantine" / row.slug / "evaluations",
            pushed=pushed,
            spark=self._spark(),
        )
        return _Prepared(row.id, version.id, agreement, request, started_at, recording)

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
                version_id=prepared.version_id,
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
            recorded = VerdictRecorder(uow, self._context.rendering).record(run, evaluation)
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
            row, rows, total = self._search(uow, agreement, query)
            views = Views(uow, row)
            items = [views.verdict(verdict) for verdict in rows]
        following = query.offset + len(items)
        return VerdictPage(
            items, total, query.limit, query.offset, following if following < total else None
        )

    def _search(
        self, uow: UnitOfWork, agreement: str, query: VerdictQuery
    ) -> tuple[AgreementRow, Sequence[VerdictRow], int]:
        uow.principal.require(Permission.READ)
        _check_query(query)
        wanted = VerdictFilter(
            objective=query.objective,
            scope_key=parse_scope(query.scope),
            window_label=query.window,
            outcome=query.outcome,
            include_superseded=query.include_superseded,
        )
        row = get_agreement(uow, agreement)
        rows, total = uow.verdicts.search(row.id, wanted, limit=query.limit, offset=query.offset)
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
            row = get_agreement(uow, agreement)
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
                )
                for e in uow.credits.all(row.id, window)
            ]
            balances = [
                CreditBalance(scheme, label, amount, currency)
                for (scheme, label), (amount, currency) in sorted(
                    uow.credits.balances(row.id).items()
                )
                if window is None or label == window
            ]
        return CreditLedger(balances, entries)
